using Microsoft.Data.Sqlite;
using SQLitePCL;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Sqlite.Connections;
using TaskOrchestrator.Storage.Sqlite.Stores;

namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>One SQLite transaction, read or write, over the role stores.</summary>
internal sealed class SqliteStoreUnit : IStoreUnit
{
    private readonly SqliteOrchestratorStore _store;
    private readonly PooledConnection _connection;
    private bool _finished;
    private bool _eventsAppended;
    private bool _tasksInserted;
    private SqliteTaskStore? _tasks;
    private SqliteDependencyStore? _dependencies;
    private SqliteArtifactStore? _artifacts;
    private SqliteEventStore? _events;
    private SqliteSessionStore? _sessions;
    private SqliteIdempotencyStore? _idempotency;
    private SqliteInstanceStore? _instances;
    private SqliteRestartStore? _restarts;
    private SqliteAgentStore? _agents;

    public SqliteStoreUnit(SqliteOrchestratorStore store, PooledConnection connection, bool isWrite)
    {
        _store = store;
        _connection = connection;
        IsWrite = isWrite;
    }

    public bool IsWrite { get; }

    /// <summary>The connection the unit runs on.</summary>
    internal PooledConnection Connection => _connection;

    public string WorkspaceId => _store.Workspace.Id;

    public TimeProvider Time => _store.Time;

    public ITaskStore Tasks => _tasks ??= new SqliteTaskStore(this);

    public IDependencyStore Dependencies => _dependencies ??= new SqliteDependencyStore(this);

    public IArtifactStore Artifacts => _artifacts ??= new SqliteArtifactStore(this);

    public IEventStore Events => _events ??= new SqliteEventStore(this);

    public ISessionStore Sessions => _sessions ??= new SqliteSessionStore(this);

    public IIdempotencyStore Idempotency => _idempotency ??= new SqliteIdempotencyStore(this);

    public IInstanceStore Instances => _instances ??= new SqliteInstanceStore(this);

    public IRestartStore Restarts => _restarts ??= new SqliteRestartStore(this);

    public IAgentStore Agents => _agents ??= new SqliteAgentStore(this);

    /// <summary>A prepared command for reading.</summary>
    public SqliteCommand Read(string sql)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        return _connection.Command(sql);
    }

    /// <summary>A prepared command for writing; refused on a read unit.</summary>
    public SqliteCommand Write(string sql)
    {
        if (!IsWrite)
        {
            throw new InvalidOperationException("This is a read unit; begin a write unit to change the store.");
        }

        return Read(sql);
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!IsWrite)
        {
            throw new InvalidOperationException("A read unit has nothing to commit.");
        }

        // No cancellation past this point: a commit that has started must finish or fail on its own.
        var handle = _connection.Connection.Handle!;
        int rc = raw.sqlite3_exec(handle, "COMMIT");
        if (rc != raw.SQLITE_OK)
        {
            throw SqliteErrors.From(rc, raw.sqlite3_errmsg(handle).utf8_to_string(), "committing");
        }

        Finish();
        if (_eventsAppended)
        {
            _store.Changes?.Raise(WorkspaceId);
        }

        if (_tasksInserted)
        {
            _store.SearchIndex.ScheduleBatch();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Notes that the unit appended events, so that its commit raises the store's change signal.</summary>
    internal void EventAppended() => _eventsAppended = true;

    /// <summary>Notes that the unit created tasks, so that its commit schedules their indexing for search.</summary>
    internal void TaskInserted() => _tasksInserted = true;

    public ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            var handle = _connection.Connection.Handle!;
            if (raw.sqlite3_get_autocommit(handle) == 0)
            {
                _ = raw.sqlite3_exec(handle, "ROLLBACK");
            }

            // A connection still inside a transaction after ROLLBACK cannot be trusted to the next unit.
            _connection.Healthy = raw.sqlite3_get_autocommit(handle) != 0;
            Finish();
        }

        return ValueTask.CompletedTask;
    }

    private void Finish()
    {
        _finished = true;
        if (IsWrite)
        {
            _store.WriteUnitEnded();
        }

        _store.Release(_connection, IsWrite);
    }
}
