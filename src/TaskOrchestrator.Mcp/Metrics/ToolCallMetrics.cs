using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TaskOrchestrator.Mcp.Metrics;

/// <summary>
/// Counts and latencies of tool calls in this process, per tool: the source of the performance section
/// of <c>orchestrator_get_status</c> and of the per-tool SLIs (<see cref="Slo.SloTracker"/>). Also
/// published as instruments on the <see cref="OrchestratorMeter"/> for exporters.
/// </summary>
public sealed class ToolCallMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = OrchestratorMeter.Name;

    /// <summary>
    /// Histogram bucket upper bounds, in seconds. A call costs about one fsync'd commit (0.3-2 ms on an
    /// SSD, docs/PERFORMANCE.md): the fine buckets sit there, the coarse ones catch a slow disk, a
    /// busy store's retries and the seconds a drain or restart takes.
    /// </summary>
    public static IReadOnlyList<double> DurationBuckets { get; } =
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<string, ToolSamples> _tools = new(StringComparer.Ordinal);
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;
    private readonly Slo.SloTracker _slo;

    /// <summary>Creates the metrics and their instruments on <paramref name="meter"/>.</summary>
    public ToolCallMetrics(OrchestratorMeter meter, Slo.SloTracker slo, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(time);
        _slo = slo;
        Since = time == TimeProvider.System ? OrchestratorOptions.ProcessStart : time.GetUtcNow();
        _calls = meter.Meter.CreateCounter<long>("orchestrator.tool.calls", unit: "{call}", description: "Tool calls by tool and outcome (success, client_error, server_error).");
        _duration = meter.Meter.CreateHistogram(
            "orchestrator.tool.duration",
            unit: "s",
            description: "Tool call duration, from the call reaching the server to its result, by tool and outcome.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    /// <summary>When counting started: the process start.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>Records one call of <paramref name="tool"/> (read-only tools and writes have different latency objectives).</summary>
    public void Record(string tool, bool readOnly, TimeSpan elapsed, ToolOutcome outcome)
    {
        var tags = new TagList { { "tool", tool }, { "outcome", outcome.WireName() } };
        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        _tools.GetOrAdd(tool, _ => new ToolSamples()).Add(elapsed.TotalMilliseconds, outcome != ToolOutcome.Success);
        _slo.Record(tool, readOnly, elapsed, outcome);
    }

    /// <summary>Per-tool figures, busiest first.</summary>
    public IReadOnlyList<ToolCallStats> Snapshot() =>
        [.. _tools.Select(p => p.Value.Stats(p.Key)).OrderByDescending(s => s.Calls).ThenBy(s => s.Tool, StringComparer.Ordinal)];

    private sealed class ToolSamples
    {
        // The latest samples only: percentiles describe recent behaviour, and memory stays bounded.
        private const int Capacity = 2048;
        private readonly Lock _gate = new();
        private readonly double[] _ring = new double[Capacity];
        private long _calls;
        private long _errors;
        private int _next;
        private int _count;

        public void Add(double milliseconds, bool error)
        {
            lock (_gate)
            {
                _calls++;
                if (error)
                {
                    _errors++;
                }

                _ring[_next] = milliseconds;
                _next = (_next + 1) % Capacity;
                _count = Math.Min(_count + 1, Capacity);
            }
        }

        public ToolCallStats Stats(string tool)
        {
            double[] samples;
            long calls, errors;
            lock (_gate)
            {
                samples = _ring[.._count];
                calls = _calls;
                errors = _errors;
            }

            Array.Sort(samples);
            return new ToolCallStats(tool, calls, errors, Percentile(samples, 0.50), Percentile(samples, 0.95), Percentile(samples, 0.99), samples.Length == 0 ? 0 : Math.Round(samples.Average(), 3), samples.Length);
        }

        private static double Percentile(double[] sorted, double q)
        {
            if (sorted.Length == 0)
            {
                return 0;
            }

            // Nearest-rank: the smallest sample with at least q of the samples at or below it.
            int rank = (int)Math.Ceiling(q * sorted.Length);
            return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 3);
        }
    }
}
