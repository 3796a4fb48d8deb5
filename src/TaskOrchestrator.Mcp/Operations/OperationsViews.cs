using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Mcp.Results;

namespace TaskOrchestrator.Mcp.Operations;

/// <summary>Builds the views the operations tools share.</summary>
public static class OperationsViews
{
    /// <summary>Tasks in progress with the state of the instance that holds each.</summary>
    public static IReadOnlyList<HeldTaskView> HeldTasks(IEnumerable<TaskRecord> tasks, IReadOnlyList<ServerInstanceRecord> instances)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(instances);
        var states = instances.ToDictionary(i => i.Id, i => i.State, StringComparer.Ordinal);
        return [.. tasks.Select(t => new HeldTaskView(
            t.Id,
            t.Title,
            t.AssignedAgent,
            t.HolderInstanceId,
            t.HolderInstanceId is { } holder && states.TryGetValue(holder, out var state) ? state : null,
            t.StartedAt,
            t.LeaseExpiresAt))];
    }

    /// <summary>
    /// Calls in flight other than the current one: the supervisor's account when it sent one (it sees
    /// every client call), else this process's own tracker.
    /// </summary>
    public static IReadOnlyList<PendingCallView> InFlight(SupervisorFacts? facts, InFlightCalls calls, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (facts is not null)
        {
            return [.. facts.InFlight.Select(c => new PendingCallView(c.Id, c.Method, c.Tool, c.StartedAt, AgeMs(now, c.StartedAt)))];
        }

        var current = InFlightCalls.Current?.Sequence;
        return [.. calls.Snapshot().Where(c => c.Sequence != current).Select(c => new PendingCallView(c.RequestId, "tools/call", c.Tool, c.StartedAt, AgeMs(now, c.StartedAt)))];
    }

    /// <summary>The connected clients: the supervisor's one client, else this process's connections.</summary>
    public static IReadOnlyList<ClientConnectionView> Clients(SupervisorFacts? facts, ConnectionRegistry connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        if (facts is not null)
        {
            return facts.Client is { } client ? [new ClientConnectionView(client.Name, client.Version, client.ProtocolVersion, client.ConnectedAt, client.LastActivityAt)] : [];
        }

        return [.. connections.All.Select(c => new ClientConnectionView(c.ClientName, c.ClientVersion, c.ProtocolVersion, c.ConnectedAt, c.LastActivityAt))];
    }

    /// <summary>The restart the supervisor has under way, if any.</summary>
    public static RestartInProgressView? RestartInProgress(SupervisorFacts? facts) =>
        facts?.RestartInProgress is { } restart ? new RestartInProgressView(restart.Phase, restart.Reason, restart.StartedAt) : null;

    private static double AgeMs(DateTimeOffset now, DateTimeOffset startedAt) => Math.Max(0, Math.Round((now - startedAt).TotalMilliseconds, 1));
}
