using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serilog.Events;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Server.Cli;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Supervision;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>The settings other checks use: the configured ones when they are valid, the defaults otherwise.</summary>
/// <param name="Check">The configuration check.</param>
/// <param name="Sqlite">The SQLite settings.</param>
/// <param name="Health">The health thresholds.</param>
internal sealed record ConfigurationOutcome(DoctorCheck Check, SqliteStoreOptions Sqlite, HealthOptions Health);

/// <summary>
/// Loads the configuration exactly as serve does, by building serve's own orchestrator host (without
/// starting it), and runs every options validation that host runs at start: the rules live once, in
/// the validators the host registers, and a setting the host would refuse is refused here too.
/// </summary>
internal static class ConfigurationCheck
{
    public const string Name = "configuration";

    public const string EnvironmentPrefix = "TASK_ORCHESTRATOR__";

    private const string FixHint =
        "Correct the setting in the --config file or its " + EnvironmentPrefix + " environment variable (for example " + EnvironmentPrefix + "Storage__Sqlite__BusyTimeout=00:00:30); docs/reference.md lists every setting.";

    public static ConfigurationOutcome Run(string? workspaceOption, string? configFile)
    {
        var variables = Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => k.ToString()!)
            .Where(k => k.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var figures = new JsonObject
        {
            ["config_file"] = configFile is null ? null : Path.GetFullPath(configFile),
            ["environment_variables"] = new JsonArray([.. variables.Select(v => (JsonNode?)v)]),
        };

        IHost host;
        try
        {
            host = OrchestratorHost.Build(new ServeSettings(workspaceOption, configFile, LogEventLevel.Fatal, LogFile: false), Serilog.Core.Logger.None, _ => { });
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or InvalidOperationException or UnauthorizedAccessException)
        {
            var cause = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
            figures["failures"] = new JsonArray(cause);
            return new ConfigurationOutcome(
                DoctorCheck.Critical(Name, $"The configuration cannot be loaded: {cause}", "Fix or replace the file given with --config (it must exist and be valid JSON).", figures),
                new SqliteStoreOptions(),
                new HealthOptions());
        }

        using (host)
        {
            var failures = new List<string>();
            try
            {
                host.Services.GetService<IStartupValidator>()?.Validate();
            }
            catch (OptionsValidationException ex)
            {
                failures.AddRange(ex.Failures);
            }
            catch (AggregateException ex)
            {
                failures.AddRange(ex.InnerExceptions.SelectMany(e => e is OptionsValidationException v ? v.Failures : [e.Message]));
            }
            catch (InvalidOperationException ex)
            {
                // The binder's "Failed to convert configuration value at 'key' to type 'T'".
                failures.Add(ex.Message);
            }

            var sqlite = Resolve(() => host.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value, failures) ?? new SqliteStoreOptions();
            var health = BindHealth(host.Services.GetRequiredService<IConfiguration>(), failures) ?? new HealthOptions();

            // The supervisor's own section, which no worker reads: checked as serve checks it at start.
            try
            {
                SuperviseCommand.Bind<SupervisorOptions>(host.Services.GetRequiredService<IConfiguration>(), SupervisorOptions.Section);
            }
            catch (Exception ex) when (ex is System.ComponentModel.DataAnnotations.ValidationException or InvalidOperationException or FormatException)
            {
                failures.Add($"{SupervisorOptions.Section}: {ex.Message}");
            }

            // The HTTP server's section, which only serve --http reads: checked as it checks it at start.
            Resolve(() =>
            {
                var http = new Http.HttpOptions();
                host.Services.GetRequiredService<IConfiguration>().GetSection(Http.HttpOptions.Section).Bind(http);
                var result = new Http.HttpOptionsValidator().Validate(Options.DefaultName, http);
                return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(Http.HttpOptions), result.Failures) : http;
            }, failures);

            string[] distinct = [.. failures.Distinct(StringComparer.Ordinal)];
            figures["failures"] = new JsonArray([.. distinct.Select(f => (JsonNode?)f)]);
            var sources = configFile is null ? "defaults" : $"defaults and '{Path.GetFullPath(configFile)}'";
            sources += variables.Length == 0 ? string.Empty : $" with {variables.Length} {EnvironmentPrefix} variable{(variables.Length == 1 ? string.Empty : "s")}";
            var check = distinct.Length == 0
                ? DoctorCheck.Ok(Name, $"Loaded from {sources}; every validated setting is valid.", figures)
                : DoctorCheck.Critical(Name, $"{distinct.Length} invalid setting{(distinct.Length == 1 ? string.Empty : "s")} (from {sources}): {string.Join(" ", distinct)}", FixHint, figures);
            return new ConfigurationOutcome(check, sqlite, health);
        }
    }

    /// <summary>The bound options, or null (with the failure recorded) when binding or validation refuses them.</summary>
    private static T? Resolve<T>(Func<T> resolve, List<string> failures)
        where T : class
    {
        try
        {
            return resolve();
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            failures.Add(ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The health thresholds bound from the host's configuration and validated by their own validator,
    /// whether or not this build's host registers them yet.
    /// </summary>
    private static HealthOptions? BindHealth(IConfiguration configuration, List<string> failures) => Resolve(() =>
    {
        var options = new HealthOptions();
        configuration.GetSection(HealthOptions.Section).Bind(options);
        var result = new HealthOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(HealthOptions), result.Failures) : options;
    }, failures);
}
