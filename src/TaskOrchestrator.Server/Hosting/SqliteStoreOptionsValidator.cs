using System.Globalization;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>Refuses SQLite settings that cannot work, naming each one, its value and what is allowed.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public const string Section = "Storage:Sqlite";

    // The write gate waits with SemaphoreSlim, which refuses negative waits; beyond ten minutes a
    // caller has long given up, so a larger value only hides a stuck writer.
    private static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > MaxBusyTimeout)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:BusyTimeout is {options.BusyTimeout}; it must be a positive duration up to {MaxBusyTimeout}, such as 00:00:30."));
        }

        if (options.MaxIdleConnections is < 0 or > 64)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:MaxIdleConnections is {options.MaxIdleConnections}; it must lie between 0 and 64."));
        }

        // The value becomes "PRAGMA cache_size = -N": zero or a negative number would not be a size in KiB.
        if (options.CacheSizeKib is < 1 or > 1_048_576)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:CacheSizeKib is {options.CacheSizeKib}; it must lie between 1 and 1048576 (KiB per connection)."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
