namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>Told once when this process opens a workspace, before any call works in it.</summary>
public interface IWorkspaceObserver
{
    /// <summary>
    /// Runs when <paramref name="workspace"/> has been opened. Must not throw for a problem of its own:
    /// a failure here would make the workspace unusable, so it is logged and retried later instead.
    /// </summary>
    Task OnOpenedAsync(WorkspaceContext workspace, CancellationToken cancellationToken);
}
