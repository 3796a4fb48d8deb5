using System.Globalization;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>
/// The claim state changes, each inside the caller's write unit together with its event: claiming a
/// pending task, renewing a claim's lease, and giving a claimed task back.
/// </summary>
public static class TaskClaims
{
    /// <summary>The shortest lease a claim may ask for.</summary>
    public static readonly TimeSpan MinLease = TimeSpan.FromSeconds(10);

    /// <summary>The longest lease a claim may ask for: a day.</summary>
    public static readonly TimeSpan MaxLease = TimeSpan.FromDays(1);

    /// <summary>
    /// Claims the pending task <paramref name="record"/> for <paramref name="agent"/> (admitted by
    /// <see cref="AgentLedger.AdmitAsync"/>), counts the claim on the agent, and returns the task claimed.
    /// </summary>
    public static async Task<TaskRecord> ClaimAsync(IStoreUnit unit, TaskRecord record, AgentItem agent, TimeSpan lease, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(actor);
        var agentId = agent.Current.Id;
        var task = new TaskItem(record);
        var fence = record.LeaseFence + 1;
        var change = task.Claim(agentId, actor.InstanceId, lease, LeaseTokens.New(fence), now);

        // The agent's side first, so that the log reads: agent registered (or its probe begun), task claimed.
        await AgentLedger.RecordClaimAsync(unit, agent, task.Current, actor, now, cancellationToken);
        await unit.Tasks.UpdateAsync(task.Current, record, cancellationToken);
        await unit.Events.AppendAsync(
            TaskEvents.StatusChanged(record, change, actor, now, new JsonObject
            {
                ["agent_id"] = agentId,
                ["fence"] = fence,
                ["lease_expires_at"] = Instant(task.Current.LeaseExpiresAt),
            }),
            cancellationToken);
        return task.Current;
    }

    /// <summary>
    /// Renews the lease of the claim <paramref name="token"/> on <paramref name="taskId"/>, for
    /// <paramref name="lease"/> or the claim's own length, and returns the task.
    /// </summary>
    public static async Task<TaskRecord> RenewAsync(IStoreUnit unit, string taskId, string token, TimeSpan? lease, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(actor);
        var record = await unit.Tasks.GetAsync(taskId, cancellationToken) ?? throw Fail.NotFound("task_id", "task", taskId);
        LeaseGuard.Ensure(record, token, "renewing its lease");
        var task = new TaskItem(record);
        task.RenewLease(lease ?? TimeSpan.FromSeconds(record.LeaseSeconds ?? (int)MinLease.TotalSeconds), now);
        await unit.Tasks.UpdateAsync(task.Current, record, cancellationToken);
        await AgentLedger.RecordHeartbeatAsync(unit, record, actor, now, cancellationToken);
        await unit.Events.AppendAsync(
            TaskEvents.Of(EventKinds.LeaseRenewed, record.WorkspaceId, record.Id, actor, now, new JsonObject
            {
                ["agent_id"] = record.AssignedAgent,
                ["fence"] = record.LeaseFence,
                ["lease_expires_at"] = Instant(task.Current.LeaseExpiresAt),
            }),
            cancellationToken);
        return task.Current;
    }

    /// <summary>Gives the claimed task back (pending, ready for the next claim), counts the release on its agent, and returns it.</summary>
    public static async Task<TaskRecord> ReleaseAsync(IStoreUnit unit, string taskId, string token, string? reason, Actor actor, DateTimeOffset now, AgentHealthPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(actor);
        var record = await unit.Tasks.GetAsync(taskId, cancellationToken) ?? throw Fail.NotFound("task_id", "task", taskId);
        LeaseGuard.Ensure(record, token, "releasing it");
        var task = new TaskItem(record);
        var change = task.Reopen($"released by agent '{record.AssignedAgent}'{(reason is null ? string.Empty : ": " + reason)}", now);
        await unit.Tasks.UpdateAsync(task.Current, record, cancellationToken);
        await unit.Events.AppendAsync(
            TaskEvents.StatusChanged(record, change, actor, now, new JsonObject
            {
                ["released_from_agent"] = record.AssignedAgent,
                ["cause"] = "released",
                ["fence"] = record.LeaseFence,
            }),
            cancellationToken);
        await AgentLedger.RecordOutcomeAsync(unit, record, AgentOutcome.Released, actor, policy, now, cancellationToken);
        return task.Current;
    }

    /// <summary>Throws unless <paramref name="lease"/> is within the allowed range.</summary>
    public static TimeSpan CheckLease(TimeSpan lease, string field) =>
        lease < MinLease || lease > MaxLease
            ? throw Fail.Invalid(field, string.Create(CultureInfo.InvariantCulture, $"'{field}' is {lease.TotalSeconds:0} seconds; a lease is {MinLease.TotalSeconds:0} to {MaxLease.TotalSeconds:0} seconds."), "Ask for a lease a little longer than the time between two heartbeats.")
            : lease;

    private static string? Instant(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture);
}
