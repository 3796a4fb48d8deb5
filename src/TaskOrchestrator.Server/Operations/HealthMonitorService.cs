using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Mcp.Operations.Health;

namespace TaskOrchestrator.Server.Operations;

/// <summary>
/// Runs <see cref="HealthMonitor"/> on a timer. Stops with the host; a pass that fails unexpectedly
/// stops the application loudly rather than leaving a server that no longer watches itself.
/// </summary>
internal sealed partial class HealthMonitorService : BackgroundService
{
    private readonly HealthMonitor _monitor;
    private readonly HealthOptions _options;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<HealthMonitorService> _logger;

    public HealthMonitorService(HealthMonitor monitor, IOptions<HealthOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<HealthMonitorService> logger)
    {
        _monitor = monitor;
        _options = options.Value;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.MonitorEnabled)
        {
            LogDisabled(_logger);
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(_options.MonitorInterval, _time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await _monitor.RunOnceAsync(stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "The background health monitor is disabled (Health:MonitorEnabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The background health monitor failed unexpectedly; stopping the server")]
    private static partial void LogDied(ILogger logger, Exception exception);
}
