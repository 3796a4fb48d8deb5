namespace TaskOrchestrator.Core.Agents;

/// <summary>
/// What an agent has done, as plain counts. Durations are kept as a count and a sum of whole
/// milliseconds, so that the average is exact however many claims are added.
/// </summary>
public sealed record AgentCounters
{
    /// <summary>No activity yet.</summary>
    public static AgentCounters None { get; } = new();

    /// <summary>Claims taken (claim_next_task, execute_task with an agent_id).</summary>
    public long Claims { get; init; }

    /// <summary>Lease renewals.</summary>
    public long Heartbeats { get; init; }

    /// <summary>Claims ended with the task completed.</summary>
    public long Completed { get; init; }

    /// <summary>Claims ended by sending the task back for revision.</summary>
    public long NeedsRevision { get; init; }

    /// <summary>Claims ended by reporting the task blocked.</summary>
    public long Blocked { get; init; }

    /// <summary>Claims ended by marking the task failed.</summary>
    public long Failed { get; init; }

    /// <summary>Claims given back without a result.</summary>
    public long Released { get; init; }

    /// <summary>Claims lost because the lease ran out without a heartbeat.</summary>
    public long LeaseExpired { get; init; }

    /// <summary>How many claim-to-completion durations <see cref="DurationTotalMs"/> sums.</summary>
    public long DurationCount { get; init; }

    /// <summary>The sum of claim-to-completion durations of completed claims, in milliseconds.</summary>
    public long DurationTotalMs { get; init; }

    /// <summary>Claims that ended with a verdict on the agent's work: every ended claim except releases.</summary>
    public long Outcomes => Completed + NeedsRevision + Blocked + Failed + LeaseExpired;

    /// <summary>Errors: claims that ended failed or with the lease lost.</summary>
    public long Errors => Failed + LeaseExpired;

    /// <summary>Completed share of <see cref="Outcomes"/>, or null before the first.</summary>
    public double? SuccessRate => Rate(Completed);

    /// <summary>Failed share of <see cref="Outcomes"/>, or null before the first.</summary>
    public double? FailureRate => Rate(Failed);

    /// <summary>Lease-expired share of <see cref="Outcomes"/>, or null before the first.</summary>
    public double? LeaseExpiryRate => Rate(LeaseExpired);

    /// <summary>The mean claim-to-completion duration, or null before the first completion.</summary>
    public TimeSpan? AverageDuration => DurationCount == 0 ? null : TimeSpan.FromMilliseconds((double)DurationTotalMs / DurationCount);

    /// <summary>These counters with one more <paramref name="outcome"/>; a completion adds its <paramref name="duration"/>.</summary>
    public AgentCounters With(AgentOutcome outcome, TimeSpan? duration = null) => outcome switch
    {
        AgentOutcome.Completed => duration is { } d
            ? this with { Completed = Completed + 1, DurationCount = DurationCount + 1, DurationTotalMs = DurationTotalMs + Math.Max(0, (long)d.TotalMilliseconds) }
            : this with { Completed = Completed + 1 },
        AgentOutcome.NeedsRevision => this with { NeedsRevision = NeedsRevision + 1 },
        AgentOutcome.Blocked => this with { Blocked = Blocked + 1 },
        AgentOutcome.Failed => this with { Failed = Failed + 1 },
        AgentOutcome.Released => this with { Released = Released + 1 },
        AgentOutcome.LeaseExpired => this with { LeaseExpired = LeaseExpired + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
    };

    private double? Rate(long part) => Outcomes == 0 ? null : (double)part / Outcomes;
}
