using System.Data;
using System.Globalization;
using Npgsql;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Postgres.Connections;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>
/// The store of one workspace in the shared PostgreSQL database.
/// <para>
/// How write units serialize. The contract says write units of a workspace serialize across threads and
/// processes, so that what a unit reads stays true until it commits (callers read a task, an agent or the
/// dependency graph, decide, then write). SQLite gets this from <c>BEGIN IMMEDIATE</c>. Here every write
/// unit takes the workspace's transaction-level advisory lock first, then runs at READ COMMITTED: each
/// statement sees everything committed before the lock was granted and nothing can commit in this
/// workspace until the unit ends. The alternatives were weighed and rejected: row locks
/// (<c>FOR UPDATE</c>) protect only the rows a unit names, not the absence of rows or whole-graph reads
/// such as the cycle check; SERIALIZABLE protects those but aborts the loser of every conflict, and the
/// store cannot replay a unit's caller, so claims racing for the same ready task would surface as errors
/// instead of waiting their turn. The lock is per workspace, so workspaces sharing the database never wait
/// for each other; lock_timeout bounds the wait by the busy timeout and turns it into <c>store_busy</c>.
/// </para>
/// </summary>
public sealed class PostgresOrchestratorStore : IOrchestratorStore
{
    // Writers of this process queue here without holding a pooled connection; writers of other
    // processes and hosts are waited for on the advisory lock.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStoreOptions _options;
    private readonly string _lockTimeout;
    private int _openWriteUnits;

    internal PostgresOrchestratorStore(WorkspaceInfo workspace, NpgsqlDataSource dataSource, StoreLocation location, PostgresStoreOptions options, TimeProvider time)
    {
        Workspace = workspace;
        _dataSource = dataSource;
        _options = options;
        Time = time;
        Location = location;
        Diagnostics = new PostgresDiagnostics(this);
        _lockTimeout = string.Create(CultureInfo.InvariantCulture, $"SET LOCAL lock_timeout = {Math.Max(1, (long)options.BusyTimeout.TotalMilliseconds)}");
    }

    /// <inheritdoc />
    public WorkspaceInfo Workspace { get; }

    /// <inheritdoc />
    public StoreLocation Location { get; }

    /// <inheritdoc />
    public IStoreDiagnostics Diagnostics { get; }

    internal TimeProvider Time { get; }

    /// <summary>Raised in this process after a committed write unit that appended events; null when nobody listens.</summary>
    internal StoreChangeSignal? Changes { get; init; }

    internal TimeSpan BusyTimeout => _options.BusyTimeout;

    internal NpgsqlDataSource DataSource => _dataSource;

    internal int OpenWriteUnits => Volatile.Read(ref _openWriteUnits);

    /// <inheritdoc />
    public async ValueTask<IStoreUnit> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!await _writeGate.WaitAsync(_options.BusyTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw PostgresErrors.Busy(_options.BusyTimeout);
        }

        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

            // The lock is asked for with the unit's first statement (see PostgresStoreUnit), in the same
            // round trip; the time already spent waiting in this process counts against the busy timeout.
            var remaining = _options.BusyTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var lockTimeout = remaining >= _options.BusyTimeout
                ? _lockTimeout
                : string.Create(CultureInfo.InvariantCulture, $"SET LOCAL lock_timeout = {Math.Max(1, (long)remaining.TotalMilliseconds)}");
            Interlocked.Increment(ref _openWriteUnits);
            return new PostgresStoreUnit(this, connection, transaction, lockTimeout);
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _writeGate.Release();
            if (ex is NpgsqlException npgsql)
            {
                throw PostgresErrors.Translate(npgsql, "beginning a write", _options.BusyTimeout);
            }

            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>Nothing to do: the search column is generated and indexed in the commit that writes the task.</remarks>
    public ValueTask PrepareSearchAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask<IStoreUnit> BeginReadAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken);

            // REPEATABLE READ: one snapshot, taken at the unit's first statement, for the whole unit; a
            // read-only transaction takes no locks that a writer would wait for. Npgsql sends the BEGIN with
            // the unit's first statement, and the unit sends SET TRANSACTION READ ONLY with it too.
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            return new PostgresStoreUnit(this, connection, transaction, writeLockTimeout: null);
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (ex is NpgsqlException npgsql)
            {
                throw PostgresErrors.Translate(npgsql, "beginning a read", _options.BusyTimeout);
            }

            throw;
        }
    }

    /// <summary>The data source belongs to the provider, which may serve other workspaces with it.</summary>
    public ValueTask DisposeAsync()
    {
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }

    internal void WriteUnitEnded()
    {
        Interlocked.Decrement(ref _openWriteUnits);
        _writeGate.Release();
    }
}
