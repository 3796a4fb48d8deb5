using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Mcp.Operations.Instances;

/// <summary>
/// Reads processes from /proc and signals them: how stale-instance cleanup tells a dead process from a
/// reused process id from a hung process of ours. Linux only; elsewhere every process reads as gone
/// unless it is this one, and nothing is ever signalled.
/// </summary>
public class ProcessInspector
{
    /// <summary>The names this program runs under: the apphost and the assembly.</summary>
    public static IReadOnlyList<string> ProgramNames { get; } = ["task-orchestrator", "task-orchestrator.dll"];

    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(2);

    /// <summary>The process with <paramref name="processId"/>, or null when there is none.</summary>
    public virtual ProcessSnapshot? Read(int processId)
    {
        if (!OperatingSystem.IsLinux() || processId <= 0)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            var (state, startTicks) = ParseStat(stat);
            string[] commandLine;
            try
            {
                commandLine = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (UnauthorizedAccessException)
            {
                commandLine = [];
            }

            return new ProcessSnapshot(processId, state, startTicks, commandLine);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Parses /proc/&lt;pid&gt;/stat: the state (field 3) and start time (field 22). The command name
    /// (field 2) may hold spaces and parentheses, so fields are counted from its closing parenthesis.
    /// </summary>
    public static (char State, long StartTicks) ParseStat(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        int close = stat.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("No command name in /proc stat.");
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state), so field 22 is fields[19].
        if (fields.Length < 20)
        {
            throw new FormatException("Too few fields in /proc stat.");
        }

        return (fields[0][0], long.Parse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>The start time, in clock ticks since boot, of this process (0 where /proc is unavailable).</summary>
    public long CurrentStartTicks() => Read(Environment.ProcessId)?.StartTicks ?? 0;

    /// <summary>When the process with <paramref name="processId"/> started, or null when it cannot be told.</summary>
    public static DateTimeOffset? StartTimeOf(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>True when the command line names this program (as apphost, assembly or argv[0]).</summary>
    public static bool NamesThisProgram(IReadOnlyList<string> commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        return commandLine.Any(argument => ProgramNames.Contains(Path.GetFileName(argument), StringComparer.Ordinal));
    }

    /// <summary>What the process recorded in <paramref name="instance"/> is now.</summary>
    public ProcessOwnership Classify(ServerInstanceRecord instance, string host)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!string.Equals(instance.Host, host, StringComparison.Ordinal))
        {
            return ProcessOwnership.OtherHost;
        }

        var process = Read(instance.ProcessId);
        if (process is null || process.IsZombie)
        {
            return ProcessOwnership.Gone;
        }

        return process.StartTicks == instance.ProcessStartedAt && NamesThisProgram(process.CommandLine)
            ? ProcessOwnership.Ours
            : ProcessOwnership.Foreign;
    }

    /// <summary>True while the process that started at <paramref name="startTicks"/> is alive.</summary>
    public bool IsAlive(int processId, long startTicks) =>
        Read(processId) is { IsZombie: false } process && process.StartTicks == startTicks;

    /// <summary>
    /// Stops the process that started at <paramref name="startTicks"/>: SIGTERM, then SIGKILL when it is
    /// still alive after <paramref name="grace"/>. Returns how it ended: "exited" (gone before any
    /// signal), "terminated" (SIGTERM), "killed" (SIGKILL) or "survived". A process id that no longer
    /// belongs to that process is never signalled.
    /// </summary>
    public virtual async Task<string> TerminateAsync(int processId, long startTicks, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!IsAlive(processId, startTicks))
        {
            return "exited";
        }

        if (Signal(processId, SigTerm) && await WaitForExitAsync(processId, startTicks, grace, cancellationToken))
        {
            return "terminated";
        }

        // Checked again right before the kill: the id must still name the same process.
        if (IsAlive(processId, startTicks))
        {
            Signal(processId, SigKill);
        }

        return await WaitForExitAsync(processId, startTicks, KillWait, cancellationToken) ? "killed" : "survived";
    }

    /// <summary>Sends <paramref name="signal"/>; false when the process is gone or may not be signalled.</summary>
    protected virtual bool Signal(int processId, int signal) =>
        OperatingSystem.IsLinux() && NativeMethods.Kill(processId, signal) == 0;

    // Real time, not the injected clock: this waits for an operating-system process to exit.
    private async Task<bool> WaitForExitAsync(int processId, long startTicks, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (IsAlive(processId, startTicks))
        {
            if (waited.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return true;
    }

    // DllImport, not LibraryImport: the signature is blittable, and LibraryImport would need unsafe code.
    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Kill(int pid, int signal);
    }
}
