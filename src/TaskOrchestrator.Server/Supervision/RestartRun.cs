using System.Diagnostics;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// A restart or crash recovery as it happens: the phases with their timings. It is written to history
/// when it starts and when it ends, so that its outcome survives the supervisor; the phase under way
/// is read from here (orchestrator_restart_status). Used by one task at a time.
/// </summary>
internal sealed class RestartRun
{
    private readonly List<RestartPhaseRecord> _phases = [];
    private readonly TimeProvider _time;
    private RestartPhase? _phase;
    private DateTimeOffset _phaseStartedAt;
    private long _phaseStartedTicks;

    public RestartRun(RestartRecord record, TimeProvider time)
    {
        Record = record;
        _time = time;
    }

    /// <summary>The record as it stands.</summary>
    public RestartRecord Record { get; private set; }

    /// <summary>The phase under way, if any.</summary>
    public RestartPhase? Phase => _phase;

    /// <summary>How many phases have finished.</summary>
    public int FinishedPhases => _phases.Count;

    /// <summary>Starts a phase.</summary>
    public void Begin(RestartPhase phase)
    {
        _phase = phase;
        _phaseStartedAt = _time.GetUtcNow();
        _phaseStartedTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Ends the phase under way.</summary>
    public void End(bool succeeded, string detail)
    {
        if (_phase is not { } phase)
        {
            return;
        }

        _phases.Add(new RestartPhaseRecord(phase, _phaseStartedAt, Stopwatch.GetElapsedTime(_phaseStartedTicks).TotalMilliseconds, succeeded, detail));
        _phase = null;
        Record = Record with { Phases = [.. _phases] };
    }

    /// <summary>Records the versions before and after.</summary>
    public void SetVersions(string? from, string? to) => Record = Record with { FromVersion = from ?? Record.FromVersion, ToVersion = to ?? Record.ToVersion };

    /// <summary>Ends the run.</summary>
    public void Finish(RestartOutcome outcome, string? error)
    {
        if (_phase is not null)
        {
            End(false, error ?? "did not finish");
        }

        Record = Record with { Outcome = outcome, Error = error ?? Record.Error, FinishedAt = _time.GetUtcNow() };
    }
}
