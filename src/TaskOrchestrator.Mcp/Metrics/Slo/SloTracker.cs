using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>
/// Per-tool availability and latency SLIs over a rolling window, in memory. Each tool keeps one
/// counter set per step of one sixtieth of the window, so memory stays fixed however many calls
/// arrive; a call leaves the window when its step is sixty steps old. The figures are this process's
/// own: a restarted worker starts its window afresh (a metrics backend keeps the longer history).
/// Thread-safe.
/// </summary>
public sealed class SloTracker
{
    /// <summary>How many steps the window is divided into.</summary>
    public const int Steps = 60;

    private readonly ConcurrentDictionary<string, ToolWindow> _tools = new(StringComparer.Ordinal);
    private readonly SloOptions _options;
    private readonly TimeProvider _time;
    private readonly long _stepTicks;

    /// <summary>Creates the tracker with validated options.</summary>
    public SloTracker(IOptions<SloOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _stepTicks = Math.Max(1, _options.Window.Ticks / Steps);
    }

    /// <summary>Counts one call of <paramref name="tool"/> that took <paramref name="elapsed"/> and ended with <paramref name="outcome"/>.</summary>
    public void Record(string tool, bool readOnly, TimeSpan elapsed, ToolOutcome outcome)
    {
        var window = _tools.GetOrAdd(tool, name => new ToolWindow(_options.For(name, readOnly)));
        var failed = outcome == ToolOutcome.ServerError;

        // A failed call already spent availability budget; its latency says nothing about serving.
        var slow = !failed && elapsed > window.Objectives.LatencyThreshold;
        window.Add(CurrentStep(), failed, slow);
    }

    /// <summary>The SLIs of every tool called in this process, by tool name.</summary>
    public SloView Report()
    {
        var step = CurrentStep();
        var tools = _tools
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t =>
            {
                var (calls, failed, slow) = t.Value.Totals(step);
                var objectives = t.Value.Objectives;
                return new ToolSloView(
                    t.Key,
                    objectives.LatencyThreshold.TotalMilliseconds,
                    Indicator(objectives.Availability, calls, failed),
                    Indicator(objectives.Latency, calls - failed, slow));
            })
            .ToList();
        return new SloView(_options.Window.TotalSeconds, tools);
    }

    /// <summary>The SLI of <paramref name="events"/> of which <paramref name="bad"/> were bad, against <paramref name="objective"/>.</summary>
    public static SliView Indicator(double objective, long events, long bad)
    {
        if (events == 0)
        {
            return new SliView(objective, 0, 0, 0, null, 1, 0, Met: true);
        }

        var errorRate = (double)bad / events;
        var allowed = 1 - objective;
        var ratio = 1 - errorRate;
        return new SliView(
            objective,
            events,
            events - bad,
            bad,
            Math.Round(ratio, 6),
            Math.Round(1 - (bad / (events * allowed)), 6),
            Math.Round(errorRate / allowed, 6),
            Met: Math.Round(ratio, 9) >= objective); // rounded: 1 − 2/200 must meet 0.99 despite binary fractions
    }

    private long CurrentStep() => _time.GetUtcNow().UtcTicks / _stepTicks;

    private sealed class ToolWindow
    {
        private readonly Lock _gate = new();
        private readonly long[] _stepOf = new long[Steps];
        private readonly long[] _calls = new long[Steps];
        private readonly long[] _failed = new long[Steps];
        private readonly long[] _slow = new long[Steps];

        public ToolWindow(ToolObjectives objectives)
        {
            Objectives = objectives;
            Array.Fill(_stepOf, long.MinValue);
        }

        public ToolObjectives Objectives { get; }

        public void Add(long step, bool failed, bool slow)
        {
            var slot = (int)(step % Steps);
            lock (_gate)
            {
                if (_stepOf[slot] != step)
                {
                    // The slot last held a step that has left the window (or never held one).
                    _stepOf[slot] = step;
                    _calls[slot] = 0;
                    _failed[slot] = 0;
                    _slow[slot] = 0;
                }

                _calls[slot]++;
                _failed[slot] += failed ? 1 : 0;
                _slow[slot] += slow ? 1 : 0;
            }
        }

        public (long Calls, long Failed, long Slow) Totals(long step)
        {
            long calls = 0, failed = 0, slow = 0;
            lock (_gate)
            {
                for (int i = 0; i < Steps; i++)
                {
                    if (_stepOf[i] > step - Steps && _stepOf[i] <= step)
                    {
                        calls += _calls[i];
                        failed += _failed[i];
                        slow += _slow[i];
                    }
                }
            }

            return (calls, failed, slow);
        }
    }
}
