using System.Globalization;

namespace TaskOrchestrator.Core.Agents;

/// <summary>
/// Where risk scores turn degraded and critical: healthy below <see cref="HealthyBelow"/>, degraded
/// below <see cref="DegradedBelow"/>, critical at or above it. Both are finite, in 0..1, and the
/// degraded threshold lies above the healthy one.
/// </summary>
public sealed record RiskThresholds
{
    /// <summary>The documented defaults: healthy below 0.15, degraded below 0.30, critical at or above.</summary>
    public static RiskThresholds Default { get; } = new(0.15, 0.30);

    /// <summary>Creates thresholds; throws <see cref="ArgumentOutOfRangeException"/> naming what is wrong.</summary>
    public RiskThresholds(double healthyBelow, double degradedBelow)
    {
        if (Problems(healthyBelow, degradedBelow, nameof(HealthyBelow), nameof(DegradedBelow)) is [var first, ..])
        {
            throw new ArgumentOutOfRangeException(nameof(healthyBelow), first);
        }

        HealthyBelow = healthyBelow;
        DegradedBelow = degradedBelow;
    }

    /// <summary>Risk below this is healthy.</summary>
    public double HealthyBelow { get; }

    /// <summary>Risk below this (and not healthy) is degraded; at or above it, critical.</summary>
    public double DegradedBelow { get; }

    /// <summary>The class of <paramref name="risk"/>, which must be a finite number in 0..1.</summary>
    public AgentHealth Classify(double risk)
    {
        if (!double.IsFinite(risk) || risk is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(risk), risk, "A risk score is a finite number between 0 and 1.");
        }

        return risk < HealthyBelow ? AgentHealth.Healthy : risk < DegradedBelow ? AgentHealth.Degraded : AgentHealth.Critical;
    }

    /// <summary>
    /// What is wrong with a pair of thresholds, one sentence per problem naming the setting and its
    /// value (empty when they are usable). NaN and infinities are refused: a NaN threshold would make
    /// every comparison false and classify every agent as critical.
    /// </summary>
    public static IReadOnlyList<string> Problems(double healthyBelow, double degradedBelow, string healthyName, string degradedName)
    {
        var problems = new List<string>();
        void InRange(double value, string name)
        {
            if (!double.IsFinite(value) || value is <= 0 or > 1)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; it must be a finite number above 0 and at most 1, such as 0.15."));
            }
        }

        InRange(healthyBelow, healthyName);
        InRange(degradedBelow, degradedName);
        if (problems.Count == 0 && degradedBelow <= healthyBelow)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{degradedName} ({degradedBelow}) must be above {healthyName} ({healthyBelow}): risk between the two is degraded."));
        }

        return problems;
    }
}
