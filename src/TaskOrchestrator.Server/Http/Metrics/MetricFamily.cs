namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>One instrument's aggregated series at the moment of a collection.</summary>
/// <param name="Name">The instrument name (OpenTelemetry style, dotted).</param>
/// <param name="Unit">The instrument's unit (UCUM), if any.</param>
/// <param name="Description">The instrument's description, if any.</param>
/// <param name="Kind">How it aggregates.</param>
/// <param name="Boundaries">Histogram bucket upper bounds, ascending; empty for other kinds.</param>
/// <param name="Points">One point per distinct label set.</param>
internal sealed record MetricFamily(string Name, string? Unit, string? Description, MetricKind Kind, IReadOnlyList<double> Boundaries, IReadOnlyList<MetricPoint> Points);
