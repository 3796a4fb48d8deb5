using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TaskOrchestrator.Mcp.Metrics;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// Listens to the orchestrator's meter (this host's instance only, not every meter of that name in
/// the process) and aggregates what it measures: sums for counters, the current value for gauges,
/// buckets, sum and count for histograms. Observable instruments are asked for their values at each
/// collection. Must exist before the first measurement it is to count: the host starts it.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _states = new();
    private readonly MeterListener _listener;
    private readonly Lock _collecting = new();

    public MetricsCollector(OrchestratorMeter meter)
        : this(meter?.Meter ?? throw new ArgumentNullException(nameof(meter)))
    {
    }

    public MetricsCollector(Meter meter)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument, _states.GetOrAdd(instrument, i => new InstrumentState(i)));
                }
            },
            MeasurementsCompleted = (instrument, _) => _states.TryRemove(instrument, out InstrumentState? _),
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Every instrument's series now, ordered by instrument name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_collecting)
        {
            foreach (var state in _states.Values)
            {
                state.ClearObserved();
            }

            _listener.RecordObservableInstruments();
            return [.. _states.Values.Select(s => s.Snapshot()).OrderBy(f => f.Name, StringComparer.Ordinal)];
        }
    }

    public void Dispose() => _listener.Dispose();
}
