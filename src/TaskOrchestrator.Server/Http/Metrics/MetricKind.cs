namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>How an instrument's measurements aggregate, and so which Prometheus type it renders as.</summary>
internal enum MetricKind
{
    /// <summary>A monotonic sum (Counter, ObservableCounter): rendered as a counter with <c>_total</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down (Gauge, ObservableGauge, UpDownCounter): rendered as a gauge.</summary>
    Gauge,

    /// <summary>A distribution: rendered as cumulative buckets, sum and count.</summary>
    Histogram,
}
