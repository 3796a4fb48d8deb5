using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Operations;

/// <summary>
/// Renews this process's server_instance rows in every open workspace on a timer (Health:HeartbeatInterval;
/// other processes take a row whose heartbeat is older than Health:InstanceTtl for dead). A workspace
/// whose store refuses the heartbeat is logged and tried again next time; an unexpected failure stops
/// the application loudly, since a server that stops heartbeating would be declared dead.
/// </summary>
internal sealed partial class InstanceHeartbeatService : BackgroundService
{
    private readonly WorkspaceRegistry _workspaces;
    private readonly InstanceRegistrar _registrar;
    private readonly HealthOptions _options;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<InstanceHeartbeatService> _logger;

    public InstanceHeartbeatService(WorkspaceRegistry workspaces, InstanceRegistrar registrar, IOptions<HealthOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<InstanceHeartbeatService> logger)
    {
        _workspaces = workspaces;
        _registrar = registrar;
        _options = options.Value;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>Heartbeats every open workspace once.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        foreach (var workspace in _workspaces.Open)
        {
            try
            {
                await _registrar.HeartbeatAsync(workspace.Store, cancellationToken);
            }
            catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
            {
                LogHeartbeatFailed(_logger, workspace.Root, HealthProbe.Describe(ex));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogDied(_logger, ex);
            _lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat in workspace {Workspace} failed: {Reason}; trying again at the next interval")]
    private static partial void LogHeartbeatFailed(ILogger logger, string workspace, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The instance heartbeat failed unexpectedly; stopping the server before other processes take it for dead")]
    private static partial void LogDied(ILogger logger, Exception exception);
}
