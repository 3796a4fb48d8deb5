using TaskOrchestrator.Core.Events;

namespace TaskOrchestrator.Core.Storage;

/// <summary>The append-only event log. Sequences increase strictly and are never reused.</summary>
public interface IEventStore
{
    /// <summary>
    /// Appends an event, numbered with the workspace's next sequence. A store may send the append
    /// with the unit's next statement or its commit: a failure then surfaces there, and the unit never
    /// commits without the event.
    /// </summary>
    Task AppendAsync(EventRecord record, CancellationToken cancellationToken);

    /// <summary>The events of the given tasks, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<EventRecord>> GetForTasksAsync(IReadOnlyCollection<string> taskIds, int limit, CancellationToken cancellationToken);

    /// <summary>The newest events of the workspace or of one session, newest first.</summary>
    Task<IReadOnlyList<EventRecord>> GetRecentAsync(string? sessionId, int limit, CancellationToken cancellationToken);

    /// <summary>The events after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<EventRecord>> GetAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken);
}
