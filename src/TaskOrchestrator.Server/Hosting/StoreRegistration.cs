using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Postgres;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>
/// Chooses the store backend from configuration: <c>--store</c>/<c>--connection-string</c>, then
/// <c>TASK_ORCHESTRATOR_STORE</c>/<c>TASK_ORCHESTRATOR_CONNECTION_STRING</c>, then <c>Storage:Provider</c>
/// and <c>Storage:Postgres:ConnectionString</c>. SQLite is the default.
/// </summary>
internal static partial class StoreRegistration
{
    /// <summary>
    /// Carries the command line's store options into this process's environment, where every command reads
    /// them and from where a supervisor's workers inherit them at each (re)start.
    /// </summary>
    public static void ApplyCommandLine(string? store, string? connectionString)
    {
        if (store is not null)
        {
            Environment.SetEnvironmentVariable(StorageOptions.ProviderVariable, store);
        }

        if (connectionString is not null)
        {
            Environment.SetEnvironmentVariable(StorageOptions.ConnectionStringVariable, connectionString);
        }
    }

    /// <summary>Registers the options of both backends and the chosen one as the <see cref="IStoreProvider"/>.</summary>
    public static void AddConfiguredStore(IHostApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(EnvironmentOverrides());
        var services = builder.Services;
        services.AddOptions<SqliteStoreOptions>().BindStrictly(SqliteStoreOptionsValidator.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>();
        services.AddOptions<StorageOptions>().BindStrictly(StorageOptions.Section, "Sqlite", "Postgres").ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>>(new PostgresStoreOptionsValidator(required: false));
        services.AddOptions<PostgresStoreOptions>().BindStrictly(PostgresStoreOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgresStoreOptions>>(sp => new PostgresStoreOptionsValidator(sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres));
        services.AddSingleton<StoreChangeSignal>();
        services.AddSingleton<SqliteStoreProvider>(sp => new SqliteStoreProvider(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreChangeSignal>()));
        services.AddSingleton<IStoreProvider>(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreRegistration).FullName!);
            if (!sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres)
            {
                return sp.GetRequiredService<SqliteStoreProvider>();
            }

            var postgres = sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
            var provider = new PostgresStoreProvider(postgres, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreChangeSignal>());
            LogPostgres(logger, provider.Database);
            return provider;
        });
    }

    /// <summary>
    /// The provider for commands that compose without a host (the supervisor's history, the headless
    /// worker). Throws <see cref="ValidationException"/> naming what is wrong, as their other settings do.
    /// With <paramref name="changes"/>, the provider raises it after commits that append events (and, on
    /// PostgreSQL, for other processes' commits too).
    /// </summary>
    public static IStoreProvider CreateProvider(IConfiguration configuration, SqliteStoreOptions sqlite, TimeProvider time, StoreChangeSignal? changes = null)
    {
        var (selection, postgres) = Resolve(configuration);
        var validator = new PostgresStoreOptionsValidator(selection.IsPostgres);
        if (validator.Validate(null, selection) is { Failed: true } refused)
        {
            throw new ValidationException(refused.FailureMessage);
        }

        if (!selection.IsPostgres)
        {
            return new SqliteStoreProvider(sqlite, time, changes);
        }

        if (validator.Validate(null, postgres) is { Failed: true } result)
        {
            throw new ValidationException(result.FailureMessage);
        }

        return new PostgresStoreProvider(postgres, time, changes);
    }

    /// <summary>The store selection and the PostgreSQL settings, with the environment's overrides applied; not validated.</summary>
    public static (StorageOptions Selection, PostgresStoreOptions Postgres) Resolve(IConfiguration configuration)
    {
        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(EnvironmentOverrides()).Build();
        var selection = new StorageOptions { Provider = effective[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"] ?? StorageOptions.Sqlite };
        var postgres = new PostgresStoreOptions();
        effective.GetSection(PostgresStoreOptions.Section).Bind(postgres, binder => binder.ErrorOnUnknownConfiguration = true);
        return (selection, postgres);
    }

    /// <summary>The two short environment variables, as configuration keys; they win over files.</summary>
    private static Dictionary<string, string?> EnvironmentOverrides()
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Environment.GetEnvironmentVariable(StorageOptions.ProviderVariable) is { Length: > 0 } provider)
        {
            overrides[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"] = provider;
        }

        if (Environment.GetEnvironmentVariable(StorageOptions.ConnectionStringVariable) is { Length: > 0 } connectionString)
        {
            overrides[$"{PostgresStoreOptions.Section}:{nameof(PostgresStoreOptions.ConnectionString)}"] = connectionString;
        }

        return overrides;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: PostgreSQL at {Database}; workspaces share it, separated by workspace id")]
    private static partial void LogPostgres(ILogger logger, string database);
}
