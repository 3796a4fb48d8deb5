using System.Collections.Concurrent;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>The workspaces this process has opened, by canonical root.</summary>
public sealed class WorkspaceRegistry
{
    private readonly ConcurrentDictionary<string, WorkspaceContext> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<WorkspaceContext>>> _opening = new(StringComparer.Ordinal);
    private readonly IStoreProvider _stores;
    private readonly IReadOnlyList<IWorkspaceObserver> _observers;

    /// <summary>Creates the registry over a store provider; <paramref name="observers"/> are told of each workspace opened.</summary>
    public WorkspaceRegistry(IStoreProvider stores, IEnumerable<IWorkspaceObserver> observers)
    {
        _stores = stores;
        _observers = [.. observers];
    }

    /// <summary>The workspaces opened so far.</summary>
    public IReadOnlyCollection<WorkspaceContext> Open => [.. _open.Values];

    /// <summary>Opens (once) the workspace at <paramref name="root"/>.</summary>
    public async Task<WorkspaceContext> OpenAsync(string root, CancellationToken cancellationToken)
    {
        if (_open.TryGetValue(root, out var context))
        {
            return context;
        }

        // One opening per workspace however many calls race for it: observers (instance registration,
        // stale cleanup) must run exactly once, before any call works in the workspace.
        var opening = _opening.GetOrAdd(root, r => new Lazy<Task<WorkspaceContext>>(() => OpenOnceAsync(r)));
        try
        {
            return await opening.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (opening.Value.IsFaulted)
        {
            // A failed open is not cached: the next call tries again (the user may have fixed the cause).
            _opening.TryRemove(new KeyValuePair<string, Lazy<Task<WorkspaceContext>>>(root, opening));
            throw;
        }
    }

    private async Task<WorkspaceContext> OpenOnceAsync(string root)
    {
        var store = await _stores.OpenAsync(root, CancellationToken.None);
        var context = new WorkspaceContext(root, store);
        foreach (var observer in _observers)
        {
            await observer.OnOpenedAsync(context, CancellationToken.None);
        }

        _open[root] = context;
        return context;
    }
}
