using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// Refreshes <see cref="StoreGauges"/> on a timer: at most one count query per open workspace per
/// interval, however often the metrics are scraped. A refresh that fails unexpectedly is logged and
/// the next tick tries again: stale figures are better than a server that stops over its metrics.
/// </summary>
internal sealed partial class StoreGaugeRefresher : BackgroundService
{
    private readonly StoreGauges _gauges;
    private readonly MetricsStartup _startup;
    private readonly MetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StoreGaugeRefresher> _logger;

    public StoreGaugeRefresher(StoreGauges gauges, MetricsStartup startup, IOptions<MetricsOptions> options, TimeProvider time, ILogger<StoreGaugeRefresher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _gauges = gauges;
        _startup = startup;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_startup.Observed)
        {
            return; // nothing scrapes or exports this host's metrics: no count queries for nobody
        }

        try
        {
            using var timer = new PeriodicTimer(_options.StoreRefreshInterval, _time);
            do
            {
                try
                {
                    await _gauges.RefreshAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(_logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the store-backed metrics failed; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
