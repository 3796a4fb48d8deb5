using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Storage.Sqlite.Connections;
using TaskOrchestrator.Storage.Sqlite.Migrations;

namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>
/// Opens one SQLite database per workspace at <c>&lt;workspace&gt;/.task-orchestrator/orchestrator.db</c>.
/// A workspace opened twice in one process shares one store.
/// </summary>
public sealed class SqliteStoreProvider : IStoreProvider, IAsyncDisposable
{
    private readonly OpenStores<SqliteOrchestratorStore> _stores = new();
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly StoreChangeSignal? _changes;

    static SqliteStoreProvider()
    {
        SQLitePCL.Batteries_V2.Init();
        MillisecondSleepVfs.Install();
    }

    /// <summary>Creates the provider.</summary>
    public SqliteStoreProvider(SqliteStoreOptions options, TimeProvider time)
        : this(options, time, null)
    {
    }

    /// <summary>
    /// Creates the provider; its stores raise <paramref name="changes"/> after every committed write unit
    /// that appended events (commits of this process only: other processes on the same file are seen by polling).
    /// </summary>
    public SqliteStoreProvider(SqliteStoreOptions options, TimeProvider time, StoreChangeSignal? changes)
    {
        _changes = changes;
        _options = options;
        _time = time;
        _ids = new IdGenerator(time);
    }

    /// <inheritdoc />
    public string Backend => "sqlite";

    /// <summary>The newest schema version this build migrates a database to.</summary>
    public static int LatestSchemaVersion => SqliteMigrator.Latest;

    /// <summary>The database path of a workspace.</summary>
    public static string DatabasePath(string workspaceRoot) =>
        Path.Combine(workspaceRoot, SqliteStoreOptions.DataFolder, SqliteStoreOptions.DatabaseFile);

    /// <inheritdoc />
    public async ValueTask<IOrchestratorStore> OpenAsync(string workspaceRoot, CancellationToken cancellationToken) =>
        await _stores.GetAsync(workspaceRoot, CreateAsync, cancellationToken);

    /// <summary>Closes every store this provider opened.</summary>
    public ValueTask DisposeAsync() => _stores.DisposeAllAsync();

    private async Task<SqliteOrchestratorStore> CreateAsync(string workspaceRoot, CancellationToken cancellationToken)
    {
        var databasePath = DatabasePath(workspaceRoot);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Fail.With(ErrorCodes.WorkspaceUnavailable, $"Cannot create the data folder for workspace '{workspaceRoot}': {ex.Message}", "working_directory", null,
                "Use a workspace folder this user can write to.");
        }

        var pool = new SqliteConnectionPool(databasePath, _options);
        try
        {
            var connection = pool.Rent();
            try
            {
                var workspace = await SqliteMigrator.MigrateAsync(connection, workspaceRoot, _options, _time, _ids, cancellationToken);
                var store = new SqliteOrchestratorStore(workspace, databasePath, pool, _options, _time) { Changes = _changes };

                // Tasks past the search mark at open (a crash before their batch, or an imported
                // workspace) are indexed in the background, not on the way to the first call.
                if (store.SearchIndex.IsBehind())
                {
                    store.SearchIndex.ScheduleBatch();
                }

                return store;
            }
            finally
            {
                pool.Return(connection);
            }
        }
        catch (SqliteException ex)
        {
            pool.Dispose();
            throw SqliteErrors.Translate(ex, $"opening '{databasePath}'");
        }
        catch
        {
            pool.Dispose();
            throw;
        }
    }
}
