using System.Globalization;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Agents;

/// <summary>
/// Keeps agents' rows in step with their claims, inside the caller's write unit: the agent row, its
/// counters and any circuit change commit together with the task change that caused them.
/// </summary>
public static class AgentLedger
{
    /// <summary>
    /// The agent <paramref name="agentId"/> of workspace <paramref name="workspaceId"/>, registered now (kind llm, named by its id, with the
    /// caller's client) when the workspace does not know it yet, and only if it may take a new claim:
    /// throws <c>circuit_open</c> otherwise.
    /// </summary>
    public static async Task<AgentItem> AdmitAsync(IStoreUnit unit, string workspaceId, string agentId, Actor actor, AgentHealthPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return Admit(await unit.Agents.GetAsync(agentId, cancellationToken), workspaceId, agentId, actor, policy, now);
    }

    /// <summary>
    /// As <see cref="AdmitAsync"/>, for an agent whose row the caller has already read in this write unit
    /// (<paramref name="known"/>, null when the workspace does not know it).
    /// </summary>
    public static AgentItem Admit(AgentRecord? known, string workspaceId, string agentId, Actor actor, AgentHealthPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var agent = OpenOrRegister(known, workspaceId, agentId, actor.ClientName, now);
        agent.EnsureMayClaim(now, policy);
        return agent;
    }

    /// <summary>Counts the claim of <paramref name="task"/> by <paramref name="agent"/> and saves the agent.</summary>
    public static Task RecordClaimAsync(IStoreUnit unit, AgentItem agent, TaskRecord task, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(task);
        agent.RecordClaim(task.Id, now);
        return SaveAsync(unit, agent, actor, now, cancellationToken);
    }

    /// <summary>Counts a heartbeat of the agent holding <paramref name="task"/> (nothing when none does).</summary>
    public static async Task RecordHeartbeatAsync(IStoreUnit unit, TaskRecord task, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.AssignedAgent is not { } agentId)
        {
            return;
        }

        var agent = await LoadOrRegisterAsync(unit, task.WorkspaceId, agentId, null, now, cancellationToken);
        agent.RecordHeartbeat(now);
        await SaveAsync(unit, agent, actor, now, cancellationToken);
    }

    /// <summary>
    /// Counts how the claim on <paramref name="task"/> (as it was before the change) ended for the agent
    /// that held it, and moves that agent's circuit. Nothing for a task no agent held under a claim.
    /// </summary>
    public static async Task RecordOutcomeAsync(IStoreUnit unit, TaskRecord task, AgentOutcome outcome, Actor actor, AgentHealthPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.AssignedAgent is not { } agentId || task.LeaseToken is null)
        {
            return;
        }

        var agent = await LoadOrRegisterAsync(unit, task.WorkspaceId, agentId, null, now, cancellationToken);
        TimeSpan? duration = outcome == AgentOutcome.Completed && task.StartedAt is { } started ? now - started : null;
        agent.RecordOutcome(outcome, task.Id, duration, now, policy);
        await SaveAsync(unit, agent, actor, now, cancellationToken);
    }

    /// <summary>Saves <paramref name="agent"/> and appends an event for each of its circuit changes.</summary>
    public static async Task SaveAsync(IStoreUnit unit, AgentItem agent, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(actor);
        await unit.Agents.SaveAsync(agent.Current, cancellationToken);
        if (agent.RegistrationChanged)
        {
            var registered = agent.Current;
            await unit.Events.AppendAsync(
                new EventRecord
                {
                    WorkspaceId = registered.WorkspaceId,
                    Kind = EventKinds.AgentRegistered,
                    SessionId = actor.SessionId,
                    Actor = actor.Name,
                    DataJson = new JsonObject
                    {
                        ["agent_id"] = registered.Id,
                        ["name"] = registered.Name,
                        ["kind"] = WireNames.Of(registered.Kind),
                        ["specialist_types"] = new JsonArray([.. registered.SpecialistTypes.Select(t => (JsonNode)t)]),
                        ["client_info"] = registered.ClientInfo,
                        ["created"] = agent.IsNew,
                    }.ToJsonString(),
                    At = now,
                },
                cancellationToken);
        }

        foreach (var change in agent.Transitions)
        {
            var circuit = agent.Current.Circuit;
            await unit.Events.AppendAsync(
                new EventRecord
                {
                    WorkspaceId = agent.Current.WorkspaceId,
                    Kind = EventKinds.AgentCircuitChanged,
                    TaskId = change.TaskId,
                    SessionId = actor.SessionId,
                    Actor = actor.Name,
                    From = WireNames.Of(change.From),
                    To = WireNames.Of(change.To),
                    DataJson = new JsonObject
                    {
                        ["agent_id"] = agent.Current.Id,
                        ["reason"] = change.Reason,
                        ["risk"] = Math.Round(change.Risk, 4),
                        ["retry_at"] = change.To == CircuitState.Open ? circuit.RetryAt?.ToString("O", CultureInfo.InvariantCulture) : null,
                        ["probe_task_id"] = change.To == CircuitState.HalfOpen ? circuit.ProbeTaskId : null,
                    }.ToJsonString(),
                    At = now,
                },
                cancellationToken);
        }
    }

    // An agent first heard of through a claim (or through a claim made before agents were recorded)
    // is registered as an LLM agent named by its id; orchestrator_register_agent can correct that.
    private static async Task<AgentItem> LoadOrRegisterAsync(IStoreUnit unit, string workspaceId, string agentId, string? clientInfo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return OpenOrRegister(await unit.Agents.GetAsync(agentId, cancellationToken), workspaceId, agentId, clientInfo, now);
    }

    private static AgentItem OpenOrRegister(AgentRecord? known, string workspaceId, string agentId, string? clientInfo, DateTimeOffset now) =>
        known is not null ? new AgentItem(known) : AgentItem.Register(workspaceId, agentId, agentId, AgentKind.Llm, [], clientInfo, now);
}
