using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Core.Storage;

/// <summary>The persisted history of restarts and crash recoveries.</summary>
public interface IRestartStore
{
    /// <summary>Records a restart that has begun.</summary>
    Task InsertAsync(RestartRecord restart, CancellationToken cancellationToken);

    /// <summary>Replaces a restart's row as it progresses.</summary>
    Task UpdateAsync(RestartRecord restart, CancellationToken cancellationToken);

    /// <summary>The restart with <paramref name="id"/>, or null.</summary>
    Task<RestartRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The newest restarts first, at most <paramref name="limit"/>, and how many there are in all.</summary>
    Task<(IReadOnlyList<RestartRecord> Items, int TotalCount)> ListAsync(int limit, CancellationToken cancellationToken);
}
