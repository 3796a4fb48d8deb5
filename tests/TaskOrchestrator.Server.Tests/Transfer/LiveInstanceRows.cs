using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Server.Tests.Transfer;

/// <summary>The server instance row the transfer tests plant to stand for a server running on a workspace.</summary>
internal static class LiveInstanceRows
{
    /// <summary>Instance <c>inst-live</c>, pid 4242 on build-host, of <paramref name="workspaceId"/>, last heartbeat at <paramref name="heartbeat"/>.</summary>
    public static ServerInstanceRecord At(string workspaceId, DateTimeOffset heartbeat) => new()
    {
        Id = "inst-live",
        WorkspaceId = workspaceId,
        Role = InstanceRole.Standalone,
        Host = "build-host",
        ProcessId = 4242,
        ProcessStartedAt = 1,
        Executable = "task-orchestrator",
        Version = "1.0.0",
        StartedAt = heartbeat,
        HeartbeatAt = heartbeat,
    };
}
