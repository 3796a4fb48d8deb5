using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Logging;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Core.Tasks.Execution;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Headless;

/// <summary>
/// One claimed task on a worker: runs its command, heartbeats the claim while it runs, and reports
/// the outcome. When the worker stops, the command gets the grace period to finish; after that it is
/// killed and the task released. When a heartbeat finds the claim lost, the command is killed and
/// its result discarded.
/// </summary>
internal sealed partial class TaskRun
{
    // The failure reason holds this much of each stream's end, within the 4,000-character reason limit.
    private const int ReasonTailLength = 1_500;

    private readonly ExecutionOutcome _claimed;
    private readonly HeadlessWorkerSettings _settings;
    private readonly WorkspaceContext _workspace;
    private readonly TaskReporter _reporter;
    private readonly Actor _actor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TaskRun(ExecutionOutcome claimed, HeadlessWorkerSettings settings, WorkspaceContext workspace, TaskReporter reporter, Actor actor, TimeProvider time, ILogger logger)
    {
        _claimed = claimed;
        _settings = settings;
        _workspace = workspace;
        _reporter = reporter;
        _actor = actor;
        _time = time;
        _logger = logger;
    }

    private enum Ending
    {
        Exited,
        ExitedWhileStopping,
        KilledAtStop,
        LeaseLost,
    }

    private TaskRecord ClaimedTask => _claimed.Task;

    /// <summary>Runs the task to its end; <paramref name="stopping"/> starts the grace period.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var started = _time.GetTimestamp();
        ShellCommand command;
        try
        {
            command = ShellCommand.Start(_settings.Command, _workspace.Root, TaskInput.Environment(_claimed, _settings.AgentId, _workspace.Root), TaskInput.Json(_claimed, _settings.AgentId), _settings.OutputLimit);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            LogStartFailed(_logger, ClaimedTask.Id, ex.Message);
            await _reporter.FailAsync(ClaimedTask, $"The worker '{_settings.AgentId}' could not start its command through /bin/sh: {ex.Message}");
            return;
        }

        using (command)
        {
            LogStarted(_logger, ClaimedTask.Id, ClaimedTask.Title, ClaimedTask.LeaseFence, command.ProcessId);
            var (ending, exitCode, lostReason) = await SuperviseAsync(command, stopping);
            var elapsed = _time.GetElapsedTime(started);
            await ReportAsync(command, ending, exitCode, lostReason, elapsed);
        }
    }

    private async Task<(Ending Ending, int ExitCode, string? LostReason)> SuperviseAsync(ShellCommand command, CancellationToken stopping)
    {
        using var heartbeatStop = new CancellationTokenSource();
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var heartbeats = HeartbeatAsync(lost, heartbeatStop.Token);
        var exited = command.WaitForExitAsync();
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopRegistration = stopping.Register(() => stop.TrySetResult());
        var stopRequested = stop.Task;

        var ending = Ending.Exited;
        var first = await Task.WhenAny(exited, lost.Task, stopRequested);
        if (first == stopRequested)
        {
            LogGrace(_logger, ClaimedTask.Id, _settings.GracePeriod.TotalSeconds);
            var deadline = Task.Delay(_settings.GracePeriod, _time, CancellationToken.None);
            first = await Task.WhenAny(exited, lost.Task, deadline);
            ending = first == exited ? Ending.ExitedWhileStopping : Ending.KilledAtStop;
        }

        if (first == lost.Task)
        {
            ending = Ending.LeaseLost;
        }

        if (ending is Ending.KilledAtStop or Ending.LeaseLost)
        {
            command.Kill();
        }

        var exitCode = await exited;
        await heartbeatStop.CancelAsync();
        await heartbeats;
        return (ending, exitCode, lost.Task.IsCompleted ? lost.Task.Result : null);
    }

    private async Task ReportAsync(ShellCommand command, Ending ending, int exitCode, string? lostReason, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        switch (ending)
        {
            case Ending.LeaseLost:
                LogLeaseLost(_logger, ClaimedTask.Id, ClaimedTask.LeaseFence, lostReason ?? "claim ended", command.Stdout.TotalLength + command.Stderr.TotalLength);
                return;
            case Ending.KilledAtStop:
                LogKilled(_logger, ClaimedTask.Id, _settings.GracePeriod.TotalSeconds);
                await _reporter.ReleaseAsync(ClaimedTask, $"worker '{_settings.AgentId}' stopped: its command was still running after the {_settings.GracePeriod.TotalSeconds:0.#} s grace period and was killed; the task is ready for another try");
                return;
            case Ending.ExitedWhileStopping when exitCode != 0:
                // A command that dies while its worker stops was most likely stopped with it (a
                // terminal's Ctrl-C reaches the whole process group): give the task back, do not fail it.
                LogReleasedAtStop(_logger, ClaimedTask.Id, exitCode);
                await _reporter.ReleaseAsync(ClaimedTask, $"worker '{_settings.AgentId}' stopped: its command exited with code {exitCode} during shutdown; the task is ready for another try");
                return;
        }

        if (exitCode == 0)
        {
            var summary = Summary(command, seconds);
            if (await _reporter.CompleteAsync(ClaimedTask, summary, Artifact(command)))
            {
                LogCompleted(_logger, ClaimedTask.Id, seconds, command.Stdout.TotalLength, command.Stderr.TotalLength);
            }

            return;
        }

        var reason = FailureReason(command, exitCode, seconds);
        if (await _reporter.FailAsync(ClaimedTask, reason))
        {
            LogFailed(_logger, ClaimedTask.Id, exitCode, seconds);
        }
    }

    private async Task HeartbeatAsync(TaskCompletionSource<string> lost, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_settings.HeartbeatInterval, _time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await using var unit = await _workspace.Store.BeginWriteAsync(cancellationToken);
                    var renewed = await TaskClaims.RenewAsync(unit, ClaimedTask.Id, ClaimedTask.LeaseToken!, null, _actor, _time.Now(), cancellationToken);
                    await unit.CommitAsync(cancellationToken);
                    LogRenewed(_logger, ClaimedTask.Id, renewed.LeaseExpiresAt);
                }
                catch (OrchestratorException ex) when (ex.Error.Code is ErrorCodes.LeaseLost or ErrorCodes.LeaseRequired or ErrorCodes.NotFound)
                {
                    lost.TrySetResult(ex.Error.Message);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException && HealthProbe.IsStoreFailure(ex))
                {
                    // The next beat tries again; two may fail before the lease lapses.
                    LogHeartbeatFailed(_logger, ClaimedTask.Id, HealthProbe.Describe(ex));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private string Summary(ShellCommand command, string seconds)
    {
        var lastLine = command.Stdout.Tail(4_000).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        var said = lastLine is null ? "no output on stdout" : Clip(lastLine, 300);
        var cut = command.Stdout.CutLength + command.Stderr.CutLength > 0 ? " (output cut to the --max-output limit)" : string.Empty;
        return $"Done by worker '{_settings.AgentId}': the command exited with code 0 after {seconds} s{cut}. Last line: {said}";
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 3), "...");

    // stdout as it came, then stderr under a marker when there was any: the stdout of one task is
    // what its dependents read first.
    private static string Artifact(ShellCommand command)
    {
        var stdout = command.Stdout.Text();
        return command.Stderr.TotalLength == 0 ? stdout : $"{stdout}{(stdout.EndsWith('\n') || stdout.Length == 0 ? string.Empty : "\n")}--- stderr ---\n{command.Stderr.Text()}";
    }

    private string FailureReason(ShellCommand command, int exitCode, string seconds)
    {
        var parts = new List<string> { $"The command of worker '{_settings.AgentId}' exited with code {exitCode} after {seconds} s." };
        if (command.Stderr.TotalLength > 0)
        {
            parts.Add("stderr ends with:\n" + command.Stderr.Tail(ReasonTailLength));
        }

        if (command.Stdout.TotalLength > 0)
        {
            parts.Add("stdout ends with:\n" + command.Stdout.Tail(ReasonTailLength));
        }

        if (parts.Count == 1)
        {
            parts.Add("It printed nothing.");
        }

        return string.Join("\n", parts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} '{Title}' (claim #{Fence}): command started, pid {Pid}")]
    private static partial void LogStarted(ILogger logger, string taskId, string title, long fence, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId}: the command could not be started: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId}: lease renewed until {LeaseExpiresAt:u}")]
    private static partial void LogRenewed(ILogger logger, string taskId, DateTimeOffset? leaseExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: heartbeat failed ({Reason}); trying again at the next beat")]
    private static partial void LogHeartbeatFailed(ILogger logger, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: stopping; the command has {Seconds} s to finish")]
    private static partial void LogGrace(ILogger logger, string taskId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: claim #{Fence} was lost while the command ran ({Reason}); the command was killed and its result ({Characters} characters of output) discarded")]
    private static partial void LogLeaseLost(ILogger logger, string taskId, long fence, string reason, long characters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: the command was still running after the {Seconds} s grace period; killed it and released the task")]
    private static partial void LogKilled(ILogger logger, string taskId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: the command exited with code {ExitCode} while the worker stopped; released the task")]
    private static partial void LogReleasedAtStop(ILogger logger, string taskId, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} completed after {Seconds} s ({Stdout} characters on stdout, {Stderr} on stderr)")]
    private static partial void LogCompleted(ILogger logger, string taskId, string seconds, long stdout, long stderr);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} failed: the command exited with code {ExitCode} after {Seconds} s")]
    private static partial void LogFailed(ILogger logger, string taskId, int exitCode, string seconds);
}
