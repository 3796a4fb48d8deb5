using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Agents;

namespace TaskOrchestrator.Mcp.Agents;

/// <summary>
/// Refuses agent settings that cannot work, naming each one, its value and what is allowed: NaN,
/// infinite or out-of-range thresholds (the binder reads "NaN" and "Infinity" as numbers), a degraded
/// threshold not above the healthy one, and a cool-down outside one second to one day.
/// </summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(RiskThresholds.Problems(
            options.HealthyBelow,
            options.DegradedBelow,
            $"{AgentOptions.Section}:{nameof(AgentOptions.HealthyBelow)}",
            $"{AgentOptions.Section}:{nameof(AgentOptions.DegradedBelow)}"));
        if (AgentHealthPolicy.CooldownProblem(options.CircuitCooldown, $"{AgentOptions.Section}:{nameof(AgentOptions.CircuitCooldown)}") is { } cooldown)
        {
            failures.Add(cooldown);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
