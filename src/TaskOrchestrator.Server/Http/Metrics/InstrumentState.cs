using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>The aggregation of one instrument's measurements, series by series. Thread-safe.</summary>
internal sealed class InstrumentState
{
    /// <summary>OpenTelemetry's default histogram bounds, for a histogram that gives no advice.</summary>
    private static readonly double[] DefaultBoundaries = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly double[] _boundaries;

    public InstrumentState(Instrument instrument)
    {
        Instrument = instrument;
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        Observable = instrument.IsObservable;
        Kind = definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? MetricKind.Counter
            : definition == typeof(Histogram<>) ? MetricKind.Histogram
            : MetricKind.Gauge;

        // An observable instrument reports its current value (a total for a counter): replaced, not added.
        Replace = Observable || definition == typeof(Gauge<>);
        _boundaries = Kind == MetricKind.Histogram ? AdvisedBoundaries(instrument) ?? DefaultBoundaries : [];
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    public bool Observable { get; }

    private bool Replace { get; }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = Key(tags, out var labels);
        if (!_series.TryGetValue(key, out var series))
        {
            var created = new Series(labels ?? [], _boundaries.Length);
            series = _series.GetOrAdd(key, created);
        }

        series.Add(value, Kind, Replace, _boundaries);
    }

    /// <summary>Observable instruments report afresh at each collection: a series not reported again is gone.</summary>
    public void ClearObserved()
    {
        if (Observable)
        {
            _series.Clear();
        }
    }

    public MetricFamily Snapshot() => new(
        Instrument.Name,
        Instrument.Unit,
        Instrument.Description,
        Kind,
        _boundaries,
        [.. _series.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.Point())]);

    private static double[]? AdvisedBoundaries(Instrument instrument) => instrument switch
    {
        Instrument<double> d => d.Advice?.HistogramBucketBoundaries?.ToArray(),
        Instrument<float> f => f.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Instrument<long> l => l.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Instrument<int> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        _ => null,
    };

    /// <summary>A key that identifies the label set whatever order the tags came in.</summary>
    private static string Key(ReadOnlySpan<KeyValuePair<string, object?>> tags, out KeyValuePair<string, string>[]? labels)
    {
        labels = null;
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        labels = Labels(tags);
        var key = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            key.Append(name).Append('\u001F').Append(value).Append('\u001E');
        }

        return key.ToString();
    }

    private static KeyValuePair<string, string>[] Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
        }

        Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return labels;
    }

    private sealed class Series
    {
        private readonly Lock _gate = new();
        private readonly KeyValuePair<string, string>[] _labels;
        private readonly long[] _buckets;
        private double _value;
        private long _count;

        public Series(KeyValuePair<string, string>[] labels, int boundaries)
        {
            _labels = labels;
            _buckets = boundaries == 0 ? [] : new long[boundaries + 1];
        }

        public void Add(double value, MetricKind kind, bool replace, double[] boundaries)
        {
            lock (_gate)
            {
                if (replace)
                {
                    _value = value;
                    return;
                }

                _value += value;
                if (kind == MetricKind.Histogram)
                {
                    _count++;

                    // Bucket i holds (bound[i-1], bound[i]]; the last one everything above the top bound.
                    int index = Array.BinarySearch(boundaries, value);
                    _buckets[index >= 0 ? index : ~index]++;
                }
            }
        }

        public MetricPoint Point()
        {
            lock (_gate)
            {
                return new MetricPoint(_labels, _value, _count, [.. _buckets]);
            }
        }
    }
}
