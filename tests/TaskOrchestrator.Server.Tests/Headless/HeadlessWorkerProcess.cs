using System.Diagnostics;
using System.Text;

namespace TaskOrchestrator.Server.Tests.Headless;

/// <summary>A <c>task-orchestrator worker</c> child process, with its stdout and stderr collected.</summary>
internal sealed class HeadlessWorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private HeadlessWorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    /// <summary>Starts <c>task-orchestrator worker</c> on <paramref name="workspace"/> with <paramref name="arguments"/>.</summary>
    public static HeadlessWorkerProcess Start(string workspace, params string[] arguments) => Start(workspace, null, arguments);

    /// <summary>As <see cref="Start(string, string[])"/>, with <paramref name="environment"/> added to the process's variables.</summary>
    public static HeadlessWorkerProcess Start(string workspace, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[ServerProcess.ServerDll, "worker", "--workspace", workspace, "--log-level", "debug", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("TASK_ORCHESTRATOR_WORKSPACE");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new HeadlessWorkerProcess(Process.Start(start)!);
    }

    public void Signal(int signal) => _ = Posix.Kill(_process.Id, signal);

    /// <summary>SIGKILL to the worker and the commands it runs, as a crash or an OOM kill would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
