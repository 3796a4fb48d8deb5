using System.Globalization;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Mcp.Tools;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>Refuses orchestrator settings that cannot work, naming each one, its value and what is allowed.</summary>
internal sealed class OrchestratorOptionsValidator : IValidateOptions<OrchestratorOptions>
{
    public ValidateOptionsResult Validate(string? name, OrchestratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.DefaultStaleAfter <= TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{OrchestratorOptions.Section}:DefaultStaleAfter is {options.DefaultStaleAfter}; it must be a positive duration such as 1.00:00:00."));
        }

        if (options.RootsTimeout <= TimeSpan.Zero || options.RootsTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{OrchestratorOptions.Section}:RootsTimeout is {options.RootsTimeout}; it must be a positive duration up to 00:05:00, such as 00:00:05."));
        }

        if (!ToolProfiles.IsKnown(options.Tools))
        {
            failures.Add($"{OrchestratorOptions.Section}:Tools is '{options.Tools}'; allowed: {string.Join(", ", ToolProfiles.Names)} (the tools a client sees; see docs/reference.md).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
