using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using TaskOrchestrator.Mcp.Tools;

namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>Refuses SLO settings that cannot be judged, naming each one, its value and what is allowed.</summary>
public sealed class SloOptionsValidator : IValidateOptions<SloOptions>
{
    /// <summary>The shortest window: one sixtieth of it (the step it slides by) is then a second.</summary>
    public static readonly TimeSpan MinimumWindow = TimeSpan.FromMinutes(1);

    /// <summary>The longest window; longer ones belong to a metrics backend, not to one process's memory.</summary>
    public static readonly TimeSpan MaximumWindow = TimeSpan.FromDays(31);

    // Every tool this build defines, whatever profile a server lists: one configuration serves all profiles.
    private static readonly Lazy<HashSet<string>> ToolNames = new(() => new HashSet<string>(
        typeof(ToolProfiles).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<McpServerToolTypeAttribute>() is not null)
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<McpServerToolAttribute>()?.Name)
            .OfType<string>(),
        StringComparer.Ordinal));

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Window < MinimumWindow || options.Window > MaximumWindow)
        {
            failures.Add($"{SloOptions.Section}:Window is {options.Window}; it must lie between {MinimumWindow} and {MaximumWindow:d\\.hh\\:mm\\:ss}, for example 01:00:00 for the last hour.");
        }

        Objective(options.Availability, $"{SloOptions.Section}:Availability", failures);
        Objective(options.Latency, $"{SloOptions.Section}:Latency", failures);
        Threshold(options.ReadLatencyThreshold, $"{SloOptions.Section}:ReadLatencyThreshold", failures);
        Threshold(options.WriteLatencyThreshold, $"{SloOptions.Section}:WriteLatencyThreshold", failures);
        foreach (var (tool, own) in options.Tools.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var prefix = $"{SloOptions.Section}:Tools:{tool}";
            if (!ToolNames.Value.Contains(tool))
            {
                failures.Add($"{prefix} names no tool of this server; allowed: the tool names in docs/tools.md, such as orchestrator_plan_task.");
            }

            if (own is null)
            {
                continue;
            }

            if (own.Availability is { } availability)
            {
                Objective(availability, $"{prefix}:Availability", failures);
            }

            if (own.Latency is { } latency)
            {
                Objective(latency, $"{prefix}:Latency", failures);
            }

            if (own.LatencyThreshold is { } threshold)
            {
                Threshold(threshold, $"{prefix}:LatencyThreshold", failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Objective(double value, string setting, List<string> failures)
    {
        // 1 would leave no error budget at all (every bad call an infinite burn); 0 would promise nothing.
        if (!(value > 0 && value < 1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} is {value}; an objective is a fraction greater than 0 and less than 1, for example 0.999 for 99.9 %."));
        }
    }

    private static void Threshold(TimeSpan value, string setting, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{setting} is {value}; it must be a positive duration such as 00:00:00.100 (100 ms).");
        }
    }
}
