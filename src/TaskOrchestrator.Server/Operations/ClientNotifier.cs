using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Operations;

namespace TaskOrchestrator.Server.Operations;

/// <summary>Sends the monitor's news over MCP: log notifications to the clients, restart requests to the supervisor.</summary>
internal sealed partial class ClientNotifier
{
    /// <summary>The logger name clients see on health notifications.</summary>
    public const string LoggerName = "task-orchestrator.health";

    private readonly LiveServers _servers;
    private readonly ILogger<ClientNotifier> _logger;

    public ClientNotifier(LiveServers servers, ILogger<ClientNotifier> logger)
    {
        _servers = servers;
        _logger = logger;
    }

    // notifications/message is deprecated from protocol revision 2026-07-28, but every client that
    // negotiates an earlier revision (all current ones) shows these log messages to its user.
#pragma warning disable MCP9005
    /// <summary>Sends a transition as notifications/message to every initialized client.</summary>
    public async Task NotifyAsync(HealthTransition transition, CancellationToken cancellationToken)
    {
        var parameters = new LoggingMessageNotificationParams
        {
            Level = transition.To switch
            {
                HealthStatus.Critical => LoggingLevel.Error,
                HealthStatus.Degraded => LoggingLevel.Warning,
                _ => LoggingLevel.Info,
            },
            Logger = LoggerName,
            Data = JsonSerializer.SerializeToElement(transition, OperationsJson.Default.HealthTransition),
        };
        foreach (var server in _servers.Initialized())
        {
            try
            {
                await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, parameters, cancellationToken: cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or McpException or ObjectDisposedException)
            {
                LogNotifyFailed(_logger, ex.Message);
            }
        }
    }

#pragma warning restore MCP9005

    /// <summary>Asks the supervisor (over this worker's stdout) to replace this worker. False when it could not be sent.</summary>
    public async Task<bool> RequestRestartAsync(RestartRequestedParams request, CancellationToken cancellationToken)
    {
        foreach (var server in _servers.Initialized().Where(s => s.SessionId is null))
        {
            try
            {
                await server.SendNotificationAsync(SupervisorProtocol.RestartRequestedMethod, request, SupervisorJson.Default.Options, cancellationToken);
                return true;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or McpException or ObjectDisposedException)
            {
                LogNotifyFailed(_logger, ex.Message);
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification could not be sent to the client: {Reason}")]
    private static partial void LogNotifyFailed(ILogger logger, string reason);
}
