using System.Collections.Concurrent;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// The stores a provider has opened, one per workspace root: a workspace opened twice in one process
/// shares one store, callers racing to open it wait for the same open, and a failed open is not kept,
/// so the next call tries again (the user may have fixed the cause, the server may be back).
/// </summary>
/// <typeparam name="TStore">The backend's store.</typeparam>
internal sealed class OpenStores<TStore>
    where TStore : class, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TStore>>> _stores = new(StringComparer.Ordinal);

    /// <summary>
    /// The store of <paramref name="workspaceRoot"/>, opened by <paramref name="open"/> on first use. The open
    /// itself runs without the caller's token, since other callers may be waiting for it; the caller stops
    /// waiting when its token is cancelled.
    /// </summary>
    public async ValueTask<TStore> GetAsync(string workspaceRoot, Func<string, CancellationToken, Task<TStore>> open, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceRoot);
        var lazy = _stores.GetOrAdd(workspaceRoot, root => new Lazy<Task<TStore>>(() => open(root, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _stores.TryRemove(new KeyValuePair<string, Lazy<Task<TStore>>>(workspaceRoot, lazy));
            throw;
        }
    }

    /// <summary>Closes every store opened so far and forgets them.</summary>
    public async ValueTask DisposeAllAsync()
    {
        foreach (var lazy in _stores.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.DisposeAsync();
            }
        }

        _stores.Clear();
    }
}
