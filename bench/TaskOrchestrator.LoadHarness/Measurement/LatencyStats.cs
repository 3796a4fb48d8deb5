namespace TaskOrchestrator.LoadHarness.Measurement;

/// <summary>Summary of a latency sample, in milliseconds. Percentiles are nearest-rank, as the server's own metrics are.</summary>
internal sealed record LatencyStats(int Count, double Median, double P90, double P99, double Mean, double Min, double Max)
{
    public static LatencyStats Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return new LatencyStats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = samples.Order().ToArray();
        return new LatencyStats(
            sorted.Length,
            Round(Percentile(sorted, 0.50)),
            Round(Percentile(sorted, 0.90)),
            Round(Percentile(sorted, 0.99)),
            Round(sorted.Average()),
            Round(sorted[0]),
            Round(sorted[^1]));
    }

    private static double Percentile(double[] sorted, double q)
    {
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static double Round(double value) => Math.Round(value, 3);
}
