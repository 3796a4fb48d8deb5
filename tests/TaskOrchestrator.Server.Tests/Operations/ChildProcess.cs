using System.Diagnostics;
using Shouldly;
using TaskOrchestrator.Mcp.Operations.Instances;

namespace TaskOrchestrator.Server.Tests.Operations;

/// <summary>Child processes for ownership tests: this program's name on a harmless process, or a foreign one.</summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly Lazy<string> Folder = new(() => Directory.CreateTempSubdirectory("to-fake-bin-").FullName);
    private readonly Process _process;

    private ChildProcess(Process process)
    {
        _process = process;
        StartTicks = new ProcessInspector().Read(process.Id)!.StartTicks;
    }

    public int Pid => _process.Id;

    public long StartTicks { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>/bin/sleep itself: a foreign program.</summary>
    public static ChildProcess Sleep() => new(Process.Start("sleep", ["60"])!);

    /// <summary>A copy of sleep named task-orchestrator: its command line names this program from the start.</summary>
    public static ChildProcess OursSleeping()
    {
        var path = Path.Combine(Folder.Value, "sleeping", "task-orchestrator");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy("/bin/sleep", path);
        }

        return new ChildProcess(Process.Start(path, ["60"])!);
    }

    /// <summary>A shell script named task-orchestrator that ignores SIGTERM; returns once it ignores it.</summary>
    public static ChildProcess OursIgnoringSigterm()
    {
        var path = Path.Combine(Folder.Value, "stubborn", "task-orchestrator");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "trap '' TERM\necho ready\nwhile :; do sleep 1; done\n");
        }

        var process = Process.Start(new ProcessStartInfo("/bin/sh", [path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        process.StandardOutput.ReadLine().ShouldBe("ready");
        return new ChildProcess(process);
    }

    /// <summary>The id of a process that has exited and been reaped.</summary>
    public static int GonePid()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
