using System.Globalization;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Storage.Postgres;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>
/// Refuses a store selection that cannot work: an unknown provider, or PostgreSQL without a usable
/// connection string or with impossible settings. Messages never repeat the connection string itself,
/// which may hold a password.
/// </summary>
internal sealed class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>, IValidateOptions<StorageOptions>
{
    public const string Section = PostgresStoreOptions.Section;

    private static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);
    private readonly bool _required;

    /// <param name="required">True when PostgreSQL is the chosen store; otherwise its section is not checked.</param>
    public PostgresStoreOptionsValidator(bool required)
    {
        _required = required;
    }

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StorageOptions.Providers.Contains(options.Provider, StringComparer.OrdinalIgnoreCase)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{StorageOptions.Section}:Provider ({StorageOptions.ProviderVariable}, --store) is '{options.Provider}'; it must be one of: {string.Join(", ", StorageOptions.Providers)}.");
    }

    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!_required)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        try
        {
            PostgresConnectionString.Validate(options.ConnectionString);
        }
        catch (OrchestratorException ex)
        {
            failures.Add($"{ex.Error.Message} {ex.Error.Hint}");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > MaxBusyTimeout)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:BusyTimeout is {options.BusyTimeout}; it must be a positive duration up to {MaxBusyTimeout}, such as 00:00:30."));
        }

        if (options.MaxPoolSize is < 2 or > 1_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:MaxPoolSize is {options.MaxPoolSize}; it must lie between 2 and 1000."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
