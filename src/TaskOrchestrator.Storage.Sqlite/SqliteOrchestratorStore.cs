using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Sqlite.Connections;
using TaskOrchestrator.Storage.Sqlite.Migrations;
using TaskOrchestrator.Storage.Sqlite.Search;

namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>The SQLite store of one workspace.</summary>
public sealed class SqliteOrchestratorStore : IOrchestratorStore
{
    // Writers of this process queue here, asynchronously, instead of spinning on SQLite's lock; then
    // with the writers of other processes in the writer queue; SqliteWriteLock takes SQLite's lock itself.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly WriterQueue _writerQueue;
    private int _openWriteUnits;
    private readonly SqliteConnectionPool _pool;

    // Every write unit of this process runs on this one connection, outside the pool (the write gate
    // lets one unit in at a time). SQLite drops a connection's whole page cache when it finds the log
    // changed by another connection, so pooled connections taking turns at writing re-read every page
    // each write touches (about ten 4 KiB reads per plan_task); one writer keeps its cache across its
    // own commits. Readers still come from the pool.
    private PooledConnection? _writer;
    private bool _disposed;
    private readonly SqliteStoreOptions _options;

    internal SqliteOrchestratorStore(WorkspaceInfo workspace, string databasePath, SqliteConnectionPool pool, SqliteStoreOptions options, TimeProvider time)
    {
        Time = time;
        Workspace = workspace;
        DatabasePath = databasePath;
        _pool = pool;
        _options = options;
        _writerQueue = WriterQueue.Open(databasePath);
        Location = new StoreLocation("sqlite", databasePath);
        Diagnostics = new SqliteDiagnostics(this);
        SearchIndex = new SqliteSearchIndex(this);
    }

    /// <inheritdoc />
    public WorkspaceInfo Workspace { get; }

    /// <inheritdoc />
    public StoreLocation Location { get; }

    /// <inheritdoc />
    public IStoreDiagnostics Diagnostics { get; }

    internal TimeProvider Time { get; }

    /// <summary>Indexes tasks for search after the commits that create them.</summary>
    internal SqliteSearchIndex SearchIndex { get; }

    /// <summary>Raised after a committed write unit that appended events; null when nobody listens.</summary>
    internal StoreChangeSignal? Changes { get; init; }

    /// <summary>Write units of this process open right now.</summary>
    internal int OpenWriteUnits => Volatile.Read(ref _openWriteUnits);

    /// <summary>How long waits for other connections last.</summary>
    internal TimeSpan BusyTimeout => _options.BusyTimeout;

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    internal static int LatestSchemaVersion => SqliteMigrator.Latest;

    /// <inheritdoc />
    public async ValueTask<IStoreUnit> BeginWriteAsync(CancellationToken cancellationToken)
    {
        // One busy timeout covers both waits: for this process's other writers, then for other processes.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        // A timed-out wait does not hold the gate: it must fail here, not go on and later release a turn it never had.
        if (!await _writeGate.WaitAsync(_options.BusyTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw SqliteWriteLock.Busy(_options.BusyTimeout);
        }

        if (!await _writerQueue.EnterAsync(Remaining(started), cancellationToken))
        {
            _writeGate.Release();
            throw SqliteWriteLock.Busy(_options.BusyTimeout);
        }

        PooledConnection? connection = null;
        try
        {
            connection = _writer ??= _pool.Open();
            await SqliteWriteLock.BeginImmediateAsync(connection, Remaining(started), _options.BusyTimeout, cancellationToken);
            Interlocked.Increment(ref _openWriteUnits);
            return new SqliteStoreUnit(this, connection, isWrite: true);
        }
        catch (SqliteException ex)
        {
            Release(connection, write: true);
            throw SqliteErrors.Translate(ex, "beginning a write");
        }
        catch
        {
            Release(connection, write: true);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<IStoreUnit> BeginReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = _pool.Rent();
        try
        {
            // A deferred transaction: the snapshot is taken at the first read and held until the unit ends.
            SqliteWriteLock.Exec(connection, "BEGIN", "beginning a read");
            return ValueTask.FromResult<IStoreUnit>(new SqliteStoreUnit(this, connection, isWrite: false));
        }
        catch
        {
            connection.Healthy = false;
            _pool.Return(connection);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask PrepareSearchAsync(CancellationToken cancellationToken) => await SearchIndex.CatchUpAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, true);

        // A write unit still open closes the writer when it ends (Release).
        if (_writeGate.Wait(0))
        {
            _writer?.Dispose();
            _writer = null;
        }

        _pool.Dispose();
        _writerQueue.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs the log checkpoints beside the commits; explicit checkpoints go through it too.</summary>
    internal WalCheckpointer Checkpointer => _pool.Checkpointer;

    /// <summary>A connection outside any unit, for diagnostics that must not run in a transaction.</summary>
    internal PooledConnection RentConnection() => _pool.Rent();

    internal void WriteUnitEnded() => Interlocked.Decrement(ref _openWriteUnits);

    internal void Release(PooledConnection? connection, bool write)
    {
        if (!write)
        {
            if (connection is not null)
            {
                _pool.Return(connection);
            }

            return;
        }

        if (Volatile.Read(ref _disposed))
        {
            // The store was closed while this unit ran: its writer queue and gate went with it.
            connection?.Dispose();
            _writer = null;
            return;
        }

        // The writer is kept while it is healthy; one an error left in an unknown state is replaced by
        // a new connection at the next write.
        if (connection is not null && !connection.Healthy)
        {
            connection.Dispose();
            _writer = null;
        }

        _writerQueue.Leave();
        _writeGate.Release();
    }

    private TimeSpan Remaining(long started)
    {
        var remaining = _options.BusyTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
