namespace TaskOrchestrator.Core.Storage;

/// <summary>Opens the store of a workspace, creating and migrating it on first use.</summary>
public interface IStoreProvider
{
    /// <summary>The backend name, such as "sqlite".</summary>
    string Backend { get; }

    /// <summary>
    /// Opens the store for the workspace at <paramref name="workspaceRoot"/> (an absolute, canonical
    /// folder). Safe to call concurrently from several processes: migrations run exactly once.
    /// Throws <see cref="Errors.OrchestratorException"/> with code <c>workspace_unavailable</c> when
    /// the store cannot be opened, naming the path and the cause.
    /// </summary>
    ValueTask<IOrchestratorStore> OpenAsync(string workspaceRoot, CancellationToken cancellationToken);
}
