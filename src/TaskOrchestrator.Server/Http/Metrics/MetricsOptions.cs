namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>Metrics settings (section <c>Metrics</c>): how often store-backed figures are read, and OTLP export.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// How often the task counts by status and the restart count are read from each open workspace's
    /// store. Scrapes read the cached figures, so a scrape never costs a store query.
    /// </summary>
    public TimeSpan StoreRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>OTLP export; off while no endpoint is set.</summary>
    public OtlpExportOptions Otlp { get; set; } = new();
}
