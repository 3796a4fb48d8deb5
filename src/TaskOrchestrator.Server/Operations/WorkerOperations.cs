using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server.Operations;

/// <summary>
/// The operations side of the worker host: identity, heartbeats, the background health monitor with
/// its hooks, graceful shutdown and the supervisor's stop announcement.
/// </summary>
internal static partial class WorkerOperations
{
    /// <summary>Extra time the host gives shutdown beyond the drain timeout, for release, bookkeeping and checkpoint.</summary>
    private static readonly TimeSpan FinishAllowance = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddWorkerOperations(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindStrictly(HealthOptions.Section).ValidateOnStart();
        services.AddOptions<ShutdownOptions>().BindStrictly(ShutdownOptions.Section)
            .Validate(o => o.DrainTimeout > TimeSpan.Zero, "Shutdown:DrainTimeout must be a positive duration such as 00:00:10.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.DrainTimeout + FinishAllowance);

        // The version the clients see in serverInfo, also in the instance rows.
        services.AddSingleton(sp => InstanceIdentity.FromEnvironment(
            Environment.GetEnvironmentVariable,
            sp.GetRequiredService<IdGenerator>(),
            sp.GetRequiredService<ProcessInspector>(),
            BuildInfo.Version));

        services.AddSingleton<AlertHooks>();
        services.AddSingleton<ClientNotifier>();
        services.AddSingleton<HealthMonitor>();
        services.AddSingleton<InstanceHeartbeatService>();
        services.AddHostedService<StartupWorkspaceOpener>();
        services.AddHostedService(sp => sp.GetRequiredService<InstanceHeartbeatService>());
        services.AddHostedService<HealthMonitorService>();
        services.AddHostedService<GracefulShutdown>();

        services.AddOptions<McpServerOptions>().Configure<WorkerLifecycle, ILoggerFactory>((options, lifecycle, loggers) =>
        {
            var logger = loggers.CreateLogger(typeof(WorkerOperations));
            KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>> stopping = new(SupervisorProtocol.StoppingMethod, (notification, _) =>
            {
                var restart = notification.Params?.Deserialize(SupervisorJson.Default.StoppingParams)?.Restart ?? false;
                lifecycle.AnnounceStop(restart);
                LogStopAnnounced(logger, restart);
                return ValueTask.CompletedTask;
            });
            options.Handlers.NotificationHandlers = [.. options.Handlers.NotificationHandlers ?? [], stopping];
        });
        return services;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The supervisor announced it stops this worker (restart: {Restart}); a restart keeps the work in progress for the next worker, a final stop releases it")]
    private static partial void LogStopAnnounced(ILogger logger, bool restart);
}
