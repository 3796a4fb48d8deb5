using Npgsql;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Storage.Postgres.Migrations;
using TaskOrchestrator.Storage.Postgres.Notifications;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>
/// Opens workspaces in one shared PostgreSQL database through one pooled data source. A workspace is its
/// canonical root folder: opening the same folder again, from this or any other process or host, serves
/// the same workspace; two folders never see each other's rows. A workspace opened twice in one process
/// shares one store.
/// </summary>
public sealed class PostgresStoreProvider : IStoreProvider, IAsyncDisposable
{
    private readonly OpenStores<PostgresOrchestratorStore> _stores = new();
    private readonly PostgresStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreLocation _location;
    private readonly SemaphoreSlim _migrated = new(1, 1);
    private readonly StoreChangeSignal? _changes;
    private bool _schemaReady;

    /// <summary>Creates the provider; the connection string is validated here, the server is first contacted on open.</summary>
    public PostgresStoreProvider(PostgresStoreOptions options, TimeProvider time)
        : this(options, time, null)
    {
    }

    /// <summary>
    /// Creates the provider. With <paramref name="changes"/>, commits that append events notify the
    /// database's other processes (NOTIFY), and this provider's listener (one connection, started with
    /// the first open workspace) raises <paramref name="changes"/> for their commits and for this process's own.
    /// </summary>
    public PostgresStoreProvider(PostgresStoreOptions options, TimeProvider time, StoreChangeSignal? changes)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _ids = new IdGenerator(time);
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.Validate(options.ConnectionString));
        var settings = builder.ConnectionStringBuilder;
        settings.Pooling = true;
        settings.MaxPoolSize = Math.Max(settings.MaxPoolSize == 100 ? options.MaxPoolSize : settings.MaxPoolSize, 2);

        // Statements are prepared on their second use and kept per pooled connection: a call then costs
        // binding and executing only, as with the SQLite backend's prepared-statement cache.
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 256;
            settings.AutoPrepareMinUsages = 2;
        }

        // A pooled connection comes back as the unit left it: every setting the backend makes is SET LOCAL
        // and every lock it takes is transaction-scoped, so the reset Npgsql would otherwise run on each
        // return to the pool (four statements, each planned anew) clears nothing.
        settings.NoResetOnClose = true;

        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = "task-orchestrator";
        }

        _dataSource = builder.Build();
        _location = new StoreLocation("postgres", PostgresConnectionString.Describe(settings));
        _changes = changes;
        if (changes is not null)
        {
            Listener = new PostgresChangeListener(settings.ConnectionString, changes, time);
        }
    }

    /// <summary>The listener that turns other processes' commits into change signals; null without a signal.</summary>
    internal PostgresChangeListener? Listener { get; }

    /// <inheritdoc />
    public string Backend => "postgres";

    /// <summary>Server, port, database and user (never the password), for logs and status.</summary>
    public string Database => _location.Location;

    /// <summary>The newest schema version this build migrates a database to.</summary>
    public static int LatestSchemaVersion => PostgresMigrator.Latest;

    /// <inheritdoc />
    public async ValueTask<IOrchestratorStore> OpenAsync(string workspaceRoot, CancellationToken cancellationToken)
    {
        Listener?.Start();
        return await _stores.GetAsync(workspaceRoot, CreateAsync, cancellationToken);
    }

    /// <summary>Closes every store this provider opened and the connection pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Listener is not null)
        {
            await Listener.DisposeAsync();
        }

        await _stores.DisposeAllAsync();
        await _dataSource.DisposeAsync();
        _migrated.Dispose();
    }

    private async Task<PostgresOrchestratorStore> CreateAsync(string workspaceRoot, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureSchemaAsync(cancellationToken);
            var workspace = await PostgresMigrator.EnsureWorkspaceAsync(_dataSource, workspaceRoot, _time, _ids, cancellationToken);
            return new PostgresOrchestratorStore(workspace, _dataSource, _location, _options, _time) { Changes = _changes };
        }
        catch (OrchestratorException)
        {
            throw;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw Fail.With(
                ErrorCodes.WorkspaceUnavailable,
                $"Cannot open workspace '{workspaceRoot}' in the PostgreSQL database {_location.Location}: {ex.Message}",
                null,
                null,
                "Check that the database server is running and reachable and that the connection string's user may create tables in that database.");
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _schemaReady))
        {
            return;
        }

        await _migrated.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await PostgresMigrator.MigrateAsync(_dataSource, _time, cancellationToken);
                Volatile.Write(ref _schemaReady, true);
            }
        }
        finally
        {
            _migrated.Release();
        }
    }
}
