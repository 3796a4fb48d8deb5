namespace TaskOrchestrator.Core.Operations;

/// <summary>One restart or crash recovery in the persisted history.</summary>
public sealed record RestartRecord
{
    /// <summary>The restart id, <c>rst_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The workspace the history is kept in.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The supervisor instance that ran it.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Asked for, or a crash recovery.</summary>
    public required RestartKind Kind { get; init; }

    /// <summary>The reason given.</summary>
    public required RestartReason Reason { get; init; }

    /// <summary>Whether calls in flight were drained first.</summary>
    public bool Graceful { get; init; } = true;

    /// <summary>Who asked: a client, the health monitor or the supervisor itself.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>When it began.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How it ended.</summary>
    public RestartOutcome Outcome { get; init; } = RestartOutcome.InProgress;

    /// <summary>The worker build before.</summary>
    public string? FromVersion { get; init; }

    /// <summary>The worker build after.</summary>
    public string? ToVersion { get; init; }

    /// <summary>The phases in order, with timings.</summary>
    public IReadOnlyList<RestartPhaseRecord> Phases { get; init; } = [];

    /// <summary>What went wrong, if anything.</summary>
    public string? Error { get; init; }
}
