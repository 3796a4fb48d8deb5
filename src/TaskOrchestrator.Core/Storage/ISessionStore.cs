using TaskOrchestrator.Core.Sessions;

namespace TaskOrchestrator.Core.Storage;

/// <summary>Sessions.</summary>
public interface ISessionStore
{
    /// <summary>Stores a new session.</summary>
    Task InsertAsync(SessionRecord session, CancellationToken cancellationToken);

    /// <summary>The session with <paramref name="id"/>, or null.</summary>
    Task<SessionRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces a session when its stored version matches; otherwise <c>version_conflict</c>.</summary>
    Task UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Records activity without a version change.</summary>
    Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes a session that no task refers to.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Sessions with their task counts, most recently active first, and the total matching.</summary>
    Task<(IReadOnlyList<SessionTaskCounts> Items, int TotalCount)> ListAsync(SessionStatus? status, int limit, int offset, CancellationToken cancellationToken);
}
