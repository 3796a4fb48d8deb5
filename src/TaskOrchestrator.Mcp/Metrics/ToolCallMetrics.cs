using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TaskOrchestrator.Mcp.Metrics;

/// <summary>
/// Counts and latencies of tool calls in this process, per tool: the source of the performance section
/// of <c>orchestrator_get_status</c>. Also published as <see cref="System.Diagnostics.Metrics"/>
/// instruments (meter "TaskOrchestrator") for exporters.
/// </summary>
public sealed class ToolCallMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "TaskOrchestrator";

    private readonly ConcurrentDictionary<string, ToolSamples> _tools = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the metrics and their instruments.</summary>
    public ToolCallMetrics(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Since = time == TimeProvider.System ? OrchestratorOptions.ProcessStart : time.GetUtcNow();
        _meter = new Meter(MeterName);
        _calls = _meter.CreateCounter<long>("orchestrator.tool.calls", description: "Tool calls by tool and outcome.");
        _duration = _meter.CreateHistogram<double>("orchestrator.tool.duration", unit: "ms", description: "Tool call duration.");
    }

    /// <summary>When counting started: the process start.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>Records one call.</summary>
    public void Record(string tool, TimeSpan elapsed, string outcome)
    {
        var tags = new KeyValuePair<string, object?>[] { new("tool", tool), new("outcome", outcome) };
        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalMilliseconds, tags);
        _tools.GetOrAdd(tool, _ => new ToolSamples()).Add(elapsed.TotalMilliseconds, outcome != "success");
    }

    /// <summary>Per-tool figures, busiest first.</summary>
    public IReadOnlyList<ToolCallStats> Snapshot() =>
        [.. _tools.Select(p => p.Value.Stats(p.Key)).OrderByDescending(s => s.Calls).ThenBy(s => s.Tool, StringComparer.Ordinal)];

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

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
