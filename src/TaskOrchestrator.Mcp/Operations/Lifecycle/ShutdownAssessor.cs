using System.Globalization;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Results;

namespace TaskOrchestrator.Mcp.Operations.Lifecycle;

/// <summary>
/// Finds what makes a shutdown unsafe right now: calls in flight, tasks in progress and who holds them,
/// an open write transaction or a write lock held by another process, an un-checkpointed write-ahead
/// log, a restart under way.
/// </summary>
public sealed class ShutdownAssessor
{
    private const int ListLimit = 50;
    private readonly InFlightCalls _calls;
    private readonly TimeProvider _time;

    /// <summary>Creates the assessor.</summary>
    public ShutdownAssessor(InFlightCalls calls, TimeProvider time)
    {
        _calls = calls;
        _time = time;
    }

    /// <summary>Runs the checks asked for on <paramref name="store"/>; <paramref name="facts"/> are the supervisor's, if any.</summary>
    public async Task<ShutdownPrepareResult> AssessAsync(IOrchestratorStore store, SupervisorFacts? facts, bool checkActiveTasks, bool checkDatabaseState, bool checkClientConnections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = _time.GetUtcNow();
        var issues = new List<ShutdownIssueView>();
        var checks = new List<string>();

        IReadOnlyList<PendingCallView>? inFlight = null;
        if (checkClientConnections)
        {
            checks.Add("client_connections");
            inFlight = OperationsViews.InFlight(facts, _calls, now);
            if (inFlight.Count > 0)
            {
                issues.Add(new ShutdownIssueView(
                    "calls_in_flight",
                    $"{Text.Count(inFlight.Count, "call")} in flight besides this one ({string.Join(", ", inFlight.Take(5).Select(c => c.Tool ?? c.Method))}); a shutdown now waits for {(inFlight.Count == 1 ? "it" : "them")} up to the drain timeout, then cancels {(inFlight.Count == 1 ? "it" : "them")}.",
                    inFlight.Count));
            }
        }

        IReadOnlyList<HeldTaskView>? active = null;
        if (checkActiveTasks)
        {
            checks.Add("active_tasks");
            TaskPage page;
            IReadOnlyList<ServerInstanceRecord> instances;
            await using (var read = await store.BeginReadAsync(cancellationToken))
            {
                page = await read.Tasks.QueryAsync(new TaskQuery { Statuses = [TaskItemStatus.InProgress], Limit = ListLimit }, cancellationToken);
                instances = await read.Instances.ListAsync(includeEnded: true, 1_000, cancellationToken);
            }

            active = OperationsViews.HeldTasks(page.Items, instances);
            if (page.TotalCount > 0)
            {
                issues.Add(new ShutdownIssueView(
                    "tasks_in_progress",
                    $"{Text.Count(page.TotalCount, "task")} in progress: {string.Join(", ", active.Take(5).Select(t => $"{t.TaskId} by '{t.AgentId ?? "(unnamed)"}' held by {t.HolderInstanceId ?? "no instance"}"))}. A final stop sends work started without an agent back to pending and leaves work an agent started with that agent until its lease ends; a restart keeps all of it for the next worker.",
                    page.TotalCount));
            }
        }

        WriteStateView? database = null;
        if (checkDatabaseState)
        {
            checks.Add("database_state");
            database = await WriteStateAsync(store, issues, cancellationToken);
        }

        var restart = OperationsViews.RestartInProgress(facts);
        if (restart is not null)
        {
            issues.Add(new ShutdownIssueView("restart_in_progress", $"A restart ({restart.Reason}) is under way, in phase {restart.Phase} since {restart.StartedAt.ToString("u", CultureInfo.InvariantCulture)}.", 1));
        }

        var recommendation = issues.Count == 0
            ? "Safe to shut down now: nothing is in flight, held or unwritten."
            : "Wait, then check again: " + string.Join(" ", issues.Select(i => i.Kind switch
            {
                "calls_in_flight" => "let the calls in flight finish;",
                "tasks_in_progress" => "complete or release the tasks in progress, or accept that a final stop lets go of them (back to pending, or kept by their agents until their leases end);",
                "open_write_transaction" => "let the open write finish;",
                "write_lock_held" => "find the process holding the database (orchestrator_health_check lists instances' work);",
                "wal_not_checkpointed" => "let readers finish so the log can be checkpointed (shutdown checkpoints it);",
                "restart_in_progress" => "let the restart finish (orchestrator_restart_status);",
                _ => i.Kind + ";",
            })).TrimEnd(';') + ".";
        return new ShutdownPrepareResult(issues.Count == 0, issues, checks, inFlight, active, database, restart, recommendation, now);
    }

    private static async Task<WriteStateView> WriteStateAsync(IOrchestratorStore store, List<ShutdownIssueView> issues, CancellationToken cancellationToken)
    {
        var diagnostics = store.Diagnostics;
        int openUnits = diagnostics.OpenWriteUnits;
        bool locked = await diagnostics.IsWriteLockedAsync(cancellationToken);

        // Sampled again after the probe: a unit of this process that began meanwhile explains the lock.
        openUnits = Math.Max(openUnits, diagnostics.OpenWriteUnits);
        string? holder = !locked ? null : openUnits > 0 ? "this_process" : "another_process";
        if (openUnits > 0)
        {
            issues.Add(new ShutdownIssueView("open_write_transaction", $"{Text.Count(openUnits, "write transaction")} of this process {(openUnits == 1 ? "is" : "are")} open; shutting down now would roll {(openUnits == 1 ? "it" : "them")} back.", openUnits));
        }
        else if (locked)
        {
            issues.Add(new ShutdownIssueView("write_lock_held", "Another process holds the database's write lock right now.", 1));
        }

        var checkpoint = await diagnostics.CheckpointAsync(truncate: false, cancellationToken);
        if (checkpoint.PendingFrames > 0)
        {
            issues.Add(new ShutdownIssueView("wal_not_checkpointed", $"{checkpoint.PendingFrames} of {checkpoint.LogFrames} write-ahead log frames could not be checkpointed yet (readers hold them); the data is safe, but the log is not folded into the database.", checkpoint.PendingFrames));
        }

        return new WriteStateView(openUnits, locked, holder, checkpoint.LogFrames, checkpoint.PendingFrames, checkpoint.Busy);
    }
}
