using Microsoft.Extensions.Hosting;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// Creates the collector and the store and SLO gauges when the host starts, before the first tool
/// call: a collector created at the first scrape would have missed every call before it.
/// </summary>
internal sealed class MetricsStartup : IHostedService
{
    public MetricsStartup(MetricsCollector collector, StoreGauges store, SloGauges slo)
    {
        // Resolving them is the point: their constructors start listening and create the instruments.
        _ = collector;
        _ = store;
        _ = slo;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
