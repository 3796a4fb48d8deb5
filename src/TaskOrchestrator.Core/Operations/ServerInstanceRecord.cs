namespace TaskOrchestrator.Core.Operations;

/// <summary>A server process registered in a workspace, kept alive by its heartbeats.</summary>
public sealed record ServerInstanceRecord
{
    /// <summary>The instance id, <c>inst_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The workspace the row is in.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>What the process is.</summary>
    public required InstanceRole Role { get; init; }

    /// <summary>The supervisor instance of a worker.</summary>
    public string? ParentId { get; init; }

    /// <summary>The machine's host name.</summary>
    public required string Host { get; init; }

    /// <summary>The operating-system process id.</summary>
    public required int ProcessId { get; init; }

    /// <summary>
    /// The process start time as the operating system records it (clock ticks since boot on Linux), so
    /// that a reused process id is never mistaken for this process.
    /// </summary>
    public required long ProcessStartedAt { get; init; }

    /// <summary>The executable the process runs.</summary>
    public required string Executable { get; init; }

    /// <summary>The server version.</summary>
    public required string Version { get; init; }

    /// <summary>Where the process is in its lifecycle.</summary>
    public InstanceState State { get; init; } = InstanceState.Running;

    /// <summary>When it registered.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Its last heartbeat.</summary>
    public required DateTimeOffset HeartbeatAt { get; init; }

    /// <summary>When it stopped or was found dead.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>Why it stopped or how it was found dead.</summary>
    public string? Detail { get; init; }
}
