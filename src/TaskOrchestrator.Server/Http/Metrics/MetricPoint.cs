namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>One series of a <see cref="MetricFamily"/>.</summary>
/// <param name="Labels">The label set, sorted by name.</param>
/// <param name="Value">The sum (counters) or current value (gauges); for histograms the sum of the recorded values.</param>
/// <param name="Count">For histograms, how many values were recorded.</param>
/// <param name="BucketCounts">For histograms, the values per bucket (not cumulative): one per boundary, then the overflow bucket.</param>
internal sealed record MetricPoint(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, long Count, IReadOnlyList<long> BucketCounts);
