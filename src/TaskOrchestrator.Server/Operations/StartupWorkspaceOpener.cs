using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Workspaces;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Operations;

/// <summary>
/// Opens the workspace configured for the process (--workspace or TASK_ORCHESTRATOR_WORKSPACE) as the
/// server starts, when it already has a database, so that the server registers, heartbeats and cleans
/// up stale instances before the first call. A workspace without one is left alone until a call needs
/// it: a server pointed at a folder must not create files there unless it is used. In the background:
/// the client's handshake is not kept waiting, and the first call that needs the workspace waits for
/// the same opening.
/// </summary>
internal sealed partial class StartupWorkspaceOpener : IHostedService
{
    private readonly WorkspaceResolver _resolver;
    private readonly WorkspaceRegistry _workspaces;
    private readonly ILogger<StartupWorkspaceOpener> _logger;
    private Task _opening = Task.CompletedTask;

    public StartupWorkspaceOpener(WorkspaceResolver resolver, WorkspaceRegistry workspaces, ILogger<StartupWorkspaceOpener> logger)
    {
        _resolver = resolver;
        _workspaces = workspaces;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _opening = Task.Run(OpenAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _opening.WaitAsync(cancellationToken);

    private async Task OpenAsync()
    {
        try
        {
            if (_resolver.ConfiguredWorkspace() is { } workspace && File.Exists(SqliteStoreProvider.DatabasePath(workspace.Root)))
            {
                await _workspaces.OpenAsync(workspace.Root, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is OrchestratorException || HealthProbe.IsStoreFailure(ex))
        {
            // The first call that needs the workspace reports the problem to the client.
            LogOpenFailed(_logger, HealthProbe.Describe(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The configured workspace could not be opened at start: {Reason}")]
    private static partial void LogOpenFailed(ILogger logger, string reason);
}
