namespace TaskOrchestrator.Core.Events;

/// <summary>
/// One entry of the append-only event log: who did what to which task or session, from which state to
/// which, and when. Written in the same transaction as the change it describes.
/// </summary>
public sealed record EventRecord
{
    /// <summary>Position in the log, assigned by the store; 0 before it is appended.</summary>
    public long Sequence { get; init; }

    /// <summary>The workspace it belongs to.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>One of <see cref="EventKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The task concerned, if any.</summary>
    public string? TaskId { get; init; }

    /// <summary>The session concerned or acting, if any.</summary>
    public string? SessionId { get; init; }

    /// <summary>Who acted: an agent id, a session id or "system".</summary>
    public string? Actor { get; init; }

    /// <summary>The state before, for status changes.</summary>
    public string? From { get; init; }

    /// <summary>The state after, for status changes.</summary>
    public string? To { get; init; }

    /// <summary>Details as a JSON object, as text.</summary>
    public string? DataJson { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }
}
