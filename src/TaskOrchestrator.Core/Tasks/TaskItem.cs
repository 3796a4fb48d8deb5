using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>
/// A task as an aggregate: it guards its own transitions and edits, and keeps the record it was
/// loaded with (<see cref="Original"/>) beside its current state, so the store can check the version
/// and the caller can report exactly what changed.
/// </summary>
public sealed class TaskItem
{
    private readonly string _field;

    /// <summary>
    /// Wraps a task read from the store. <paramref name="field"/> is the argument errors name when a
    /// move is refused: "status" where the caller chose the status, else the task id.
    /// </summary>
    public TaskItem(TaskRecord record, string field = "task_id")
    {
        ArgumentNullException.ThrowIfNull(record);
        Original = record;
        Current = record;
        _field = field;
    }

    /// <summary>The state as loaded.</summary>
    public TaskRecord Original { get; }

    /// <summary>The state after the moves applied so far.</summary>
    public TaskRecord Current { get; private set; }

    /// <summary>The task id.</summary>
    public string Id => Current.Id;

    /// <summary>The current status.</summary>
    public TaskItemStatus Status => Current.Status;

    /// <summary>True when anything changed since loading.</summary>
    public bool IsChanged => !ReferenceEquals(Original, Current);

    /// <summary>
    /// Moves a pending task to in-progress for <paramref name="agentId"/>, held through
    /// <paramref name="holderInstanceId"/> until <paramref name="leaseExpiresAt"/>.
    /// </summary>
    public StatusChange Start(string? agentId, string? holderInstanceId, DateTimeOffset? leaseExpiresAt, DateTimeOffset now) =>
        Move(TaskItemStatus.InProgress, null, now, r => r with
        {
            StartedAt = now,
            AssignedAgent = agentId,
            StatusReason = null,
            HolderInstanceId = holderInstanceId,
            LeaseExpiresAt = leaseExpiresAt,
        });

    /// <summary>
    /// Moves a pending task to in-progress under a claim by <paramref name="agentId"/>: a new fencing
    /// number, the claim's secret <paramref name="token"/> (which must carry that number, see
    /// <see cref="Claims.LeaseTokens"/>), and a lease of <paramref name="lease"/> that heartbeats renew.
    /// </summary>
    public StatusChange Claim(string agentId, string? holderInstanceId, TimeSpan lease, string token, DateTimeOffset now) =>
        Move(TaskItemStatus.InProgress, null, now, r => r with
        {
            StartedAt = now,
            AssignedAgent = agentId,
            StatusReason = null,
            HolderInstanceId = holderInstanceId,
            LeaseExpiresAt = now + lease,
            LeaseSeconds = (int)lease.TotalSeconds,
            LeaseToken = token,
            LeaseFence = r.LeaseFence + 1,
        });

    /// <summary>Renews the lease of the claim in progress, from <paramref name="now"/>, for the claim's length.</summary>
    public void RenewLease(TimeSpan lease, DateTimeOffset now)
    {
        if (Current.Status != TaskItemStatus.InProgress || Current.LeaseToken is null)
        {
            throw new InvalidOperationException($"Task '{Id}' is not held under a claim.");
        }

        Current = Current with { LeaseExpiresAt = now + lease, LeaseSeconds = (int)lease.TotalSeconds, Version = Original.Version + 1, UpdatedAt = now };
    }

    /// <summary>Completes an in-progress task with its summary.</summary>
    public StatusChange Complete(string summary, DateTimeOffset now) =>
        Move(TaskItemStatus.Completed, null, now, r => r with { CompletedAt = now, ResultSummary = summary, StatusReason = null, AssignedAgent = null });

    /// <summary>Sends in-progress work back to pending with a revision note.</summary>
    public StatusChange ReturnForRevision(string note, DateTimeOffset now) =>
        Move(TaskItemStatus.Pending, note, now, r => r with { AssignedAgent = null });

    /// <summary>Blocks a pending or in-progress task for a stated reason.</summary>
    public StatusChange Block(string reason, DateTimeOffset now) =>
        Move(TaskItemStatus.Blocked, reason, now, r => r with { AssignedAgent = null });

    /// <summary>Marks a task failed for a stated reason.</summary>
    public StatusChange Fail(string reason, DateTimeOffset now) =>
        Move(TaskItemStatus.Failed, reason, now, r => r with { AssignedAgent = null });

    /// <summary>Cancels a task that has not ended yet (or a failed one).</summary>
    public StatusChange Cancel(string reason, DateTimeOffset now) =>
        Move(TaskItemStatus.Cancelled, reason, now, r => r with { AssignedAgent = null });

    /// <summary>
    /// Returns a task to pending: unblocks a blocked task, reopens a completed, failed or cancelled
    /// one, or releases one in progress.
    /// </summary>
    public StatusChange Reopen(string? reason, DateTimeOffset now) =>
        Move(TaskItemStatus.Pending, reason, now, r => r with { AssignedAgent = null, CompletedAt = r.Status == TaskItemStatus.Completed ? null : r.CompletedAt });

    /// <summary>
    /// Ends the server instance's hold on a task in progress while the agent that started it keeps
    /// it under its lease: the agent may still finish it through any server until the lease ends.
    /// </summary>
    public void DetachFromInstance(DateTimeOffset now)
    {
        if (Current.Status != TaskItemStatus.InProgress || Current.HolderInstanceId is null)
        {
            return;
        }

        Current = Current with { HolderInstanceId = null, Version = Original.Version + 1, UpdatedAt = now };
    }

    /// <summary>Archives a task that is not in progress; archived is final.</summary>
    public StatusChange Archive(string? reason, DateTimeOffset now) =>
        Move(TaskItemStatus.Archived, reason ?? Current.StatusReason, now, r => r,
            Current.Status == TaskItemStatus.InProgress
                ? "A task in progress cannot be archived: complete, release or cancel it first."
                : null);

    /// <summary>
    /// Applies field edits. Refused once the task has ended, because a terminal task's record is the
    /// account of what happened; reopen it first.
    /// </summary>
    public void Edit(Func<TaskRecord, TaskRecord> edit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(edit);
        EnsureEditable();
        var edited = edit(Current);
        if (edited != Current)
        {
            Current = edited with { Version = Original.Version + 1, UpdatedAt = now };
        }
    }

    /// <summary>Records a change made beside the task's own fields, such as to its dependencies.</summary>
    public void Touch(DateTimeOffset now)
    {
        EnsureEditable();
        Current = Current with { Version = Original.Version + 1, UpdatedAt = now };
    }

    /// <summary>Throws unless the task's fields and dependencies may still change.</summary>
    public void EnsureEditable()
    {
        if (!Current.IsTerminal)
        {
            return;
        }

        throw Errors.Fail.With(
            ErrorCodes.IllegalTransition,
            $"Task '{Id}' is '{Common.WireNames.Of(Status)}', so its fields and dependencies can no longer be edited.",
            "task_id",
            null,
            Status == TaskItemStatus.Archived
                ? "Archived tasks are final; plan a new task instead."
                : "Reopen it first with status='pending' in the same or an earlier orchestrator_update_task call.");
    }

    private StatusChange Move(TaskItemStatus to, string? reason, DateTimeOffset now, Func<TaskRecord, TaskRecord> apply, string? hint = null)
    {
        var from = Current.Status;
        TaskTransitions.Ensure(Id, from, to, hint, _field);

        // Any move out of in-progress ends the hold on the work and the claim (its fencing number stays).
        var moved = to == TaskItemStatus.InProgress
            ? apply(Current)
            : apply(Current) with { HolderInstanceId = null, LeaseExpiresAt = null, LeaseToken = null, LeaseSeconds = null };
        Current = moved with
        {
            Status = to,
            StatusReason = reason,
            Version = Original.Version + 1,
            UpdatedAt = now,
        };
        return new StatusChange(Id, from, to, reason);
    }
}
