namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// Registered by a host that serves <c>/metrics</c>: the collector must then listen from the start.
/// A host without it (the stdio worker) collects nothing unless OTLP export is configured.
/// </summary>
internal sealed class MetricsScrape;
