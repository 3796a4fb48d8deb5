using System.Collections.Concurrent;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>The workspaces this process has opened, by canonical root.</summary>
public sealed class WorkspaceRegistry
{
    private readonly ConcurrentDictionary<string, WorkspaceContext> _open = new(StringComparer.Ordinal);
    private readonly IStoreProvider _stores;

    /// <summary>Creates the registry over a store provider.</summary>
    public WorkspaceRegistry(IStoreProvider stores)
    {
        _stores = stores;
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

        var store = await _stores.OpenAsync(root, cancellationToken);
        return _open.GetOrAdd(root, _ => new WorkspaceContext(root, store));
    }
}
