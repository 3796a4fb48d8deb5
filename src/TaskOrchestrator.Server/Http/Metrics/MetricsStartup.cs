using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// Starts what the host's metrics need, when the host starts and before the first tool call (a
/// collector created at the first scrape would have missed every call before it): the collector when
/// the host serves <c>/metrics</c> (<see cref="MetricsScrape"/>), the store and SLO gauges when anything
/// reads them, and the OTLP exporter when an endpoint is configured. A stdio worker with no OTLP
/// endpoint starts none of them, so it neither listens to every measurement nor loads OpenTelemetry.
/// </summary>
internal sealed class MetricsStartup : IHostedService
{
    private readonly IServiceProvider _services;
    private readonly bool _scrape;
    private readonly bool _export;
    private IHostedService? _exporter;

    public MetricsStartup(IServiceProvider services, IOptions<MetricsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _scrape = services.GetService<MetricsScrape>() is not null;
        _export = !string.IsNullOrWhiteSpace(options.Value.Otlp.Endpoint);
    }

    /// <summary>Whether anything reads the metrics in this host: the store gauges are refreshed only then.</summary>
    public bool Observed => _scrape || _export;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Observed)
        {
            return;
        }

        // Resolving them is the point: their constructors start listening and create the instruments.
        if (_scrape)
        {
            _ = _services.GetRequiredService<MetricsCollector>();
        }

        _ = _services.GetRequiredService<StoreGauges>();
        _ = _services.GetRequiredService<SloGauges>();
        if (_export)
        {
            _exporter = Exporter();
            await _exporter.StartAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _exporter?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    // Kept out of StartAsync so that the OpenTelemetry assemblies load only when export is configured.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private IHostedService Exporter() => _services.GetRequiredService<OtlpMetricsExporter>();
}
