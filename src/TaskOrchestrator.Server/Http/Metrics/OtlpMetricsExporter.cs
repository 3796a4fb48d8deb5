using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using TaskOrchestrator.Mcp.Metrics;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// Pushes the orchestrator's meter to an OTLP collector when <c>Metrics:Otlp:Endpoint</c> is set:
/// the same instruments /metrics shows, cumulative, every <c>Metrics:Otlp:ExportInterval</c>. A
/// collector that is down costs a logged export failure (from the OpenTelemetry SDK), never a call.
/// </summary>
internal sealed partial class OtlpMetricsExporter : IHostedService, IDisposable
{
    private readonly OtlpExportOptions _options;
    private readonly ILogger<OtlpMetricsExporter> _logger;
    private MeterProvider? _provider;

    public OtlpMetricsExporter(IOptions<MetricsOptions> options, ILogger<OtlpMetricsExporter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Otlp;
        _logger = logger;
    }

    /// <summary>Whether an endpoint is configured (and so whether anything is exported).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(_options.Endpoint);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return Task.CompletedTask;
        }

        var endpoint = new Uri(_options.Endpoint!, UriKind.Absolute);
        _provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("task-orchestrator", serviceVersion: BuildInfo.Version))
            .AddMeter(OrchestratorMeter.Name)
            .AddOtlpExporter((exporter, reader) =>
            {
                // Set in code, the endpoint is used as given: an http/protobuf URL names its /v1/metrics path.
                exporter.Endpoint = endpoint;
                exporter.Protocol = _options.Protocol == OtlpProtocols.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                exporter.TimeoutMilliseconds = (int)_options.Timeout.TotalMilliseconds;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)_options.ExportInterval.TotalMilliseconds;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
        LogExporting(_logger, endpoint, _options.Protocol, _options.ExportInterval);
        return Task.CompletedTask;
    }

    /// <summary>Pushes what was measured so far now; false when nothing is exported or the push failed.</summary>
    public bool Flush(TimeSpan timeout) => _provider?.ForceFlush((int)timeout.TotalMilliseconds) ?? false;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // The last figures go out before the process ends.
        _provider?.ForceFlush((int)_options.Timeout.TotalMilliseconds);
        return Task.CompletedTask;
    }

    public void Dispose() => _provider?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Exporting metrics over OTLP to {Endpoint} ({Protocol}) every {Interval}")]
    private static partial void LogExporting(ILogger logger, Uri endpoint, string protocol, TimeSpan interval);
}
