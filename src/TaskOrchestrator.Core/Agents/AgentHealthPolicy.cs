using System.Globalization;

namespace TaskOrchestrator.Core.Agents;

/// <summary>How agents are judged: the risk thresholds and how long an open circuit stays shut.</summary>
public sealed record AgentHealthPolicy
{
    /// <summary>The shortest cool-down allowed.</summary>
    public static readonly TimeSpan MinCooldown = TimeSpan.FromSeconds(1);

    /// <summary>The longest cool-down allowed: a day.</summary>
    public static readonly TimeSpan MaxCooldown = TimeSpan.FromDays(1);

    /// <summary>The defaults: thresholds 0.15 / 0.30 and a 5-minute cool-down.</summary>
    public static AgentHealthPolicy Default { get; } = new(RiskThresholds.Default, TimeSpan.FromMinutes(5));

    /// <summary>Creates the policy; throws <see cref="ArgumentOutOfRangeException"/> for a cool-down out of range.</summary>
    public AgentHealthPolicy(RiskThresholds thresholds, TimeSpan cooldown)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (CooldownProblem(cooldown, nameof(Cooldown)) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(cooldown), problem);
        }

        Thresholds = thresholds;
        Cooldown = cooldown;
    }

    /// <summary>The classification thresholds.</summary>
    public RiskThresholds Thresholds { get; }

    /// <summary>How long a circuit stays open before one probe claim is allowed.</summary>
    public TimeSpan Cooldown { get; }

    /// <summary>What is wrong with a cool-down, naming the setting, or null when it is usable.</summary>
    public static string? CooldownProblem(TimeSpan cooldown, string name) =>
        cooldown < MinCooldown || cooldown > MaxCooldown
            ? string.Create(CultureInfo.InvariantCulture, $"{name} is {cooldown}; it must lie between {MinCooldown} and {MaxCooldown}, such as 00:05:00.")
            : null;
}
