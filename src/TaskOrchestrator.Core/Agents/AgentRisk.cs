namespace TaskOrchestrator.Core.Agents;

/// <summary>
/// The risk score of an agent: the weighted share of its claim outcomes that went wrong, damped by
/// a prior of <see cref="PriorOutcomes"/> good outcomes so that one mishap of a new agent does not
/// trip its circuit.
/// <code>
/// risk = (1.0 × failed + 1.0 × lease_expired + 0.5 × blocked + 0.25 × needs_revision)
///        / (completed + needs_revision + blocked + failed + lease_expired + 4)
/// </code>
/// Failures and lost leases weigh fully (the work was not done, and a lost lease also held the task
/// hostage for a lease); a blocked report half (often the plan's fault, not the agent's); a revision
/// a quarter (the agent said honestly that the work needs another pass). Releases are left out: giving
/// work back is the correct move for an agent that cannot finish it. The numerator never exceeds the
/// outcomes, so the score lies in 0..1 (below 1), and it is a pure function of the counters.
/// </summary>
public static class AgentRisk
{
    /// <summary>Good outcomes assumed before any are seen.</summary>
    public const int PriorOutcomes = 4;

    /// <summary>Weight of a failed claim.</summary>
    public const double FailedWeight = 1.0;

    /// <summary>Weight of a claim lost to lease expiry.</summary>
    public const double LeaseExpiredWeight = 1.0;

    /// <summary>Weight of a blocked report.</summary>
    public const double BlockedWeight = 0.5;

    /// <summary>Weight of a revision.</summary>
    public const double NeedsRevisionWeight = 0.25;

    /// <summary>The formula as text, for answers and docs.</summary>
    public const string Formula =
        "risk = (1.0*failed + 1.0*lease_expired + 0.5*blocked + 0.25*needs_revision) / (completed + needs_revision + blocked + failed + lease_expired + 4)";

    /// <summary>The risk score of <paramref name="counters"/>, in 0..1.</summary>
    public static double Score(AgentCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        if (counters.Completed < 0 || counters.NeedsRevision < 0 || counters.Blocked < 0 || counters.Failed < 0 || counters.LeaseExpired < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(counters), counters, "Agent counters are never negative.");
        }

        double weighted = (FailedWeight * counters.Failed) + (LeaseExpiredWeight * counters.LeaseExpired)
            + (BlockedWeight * counters.Blocked) + (NeedsRevisionWeight * counters.NeedsRevision);
        return weighted / (counters.Outcomes + PriorOutcomes);
    }
}
