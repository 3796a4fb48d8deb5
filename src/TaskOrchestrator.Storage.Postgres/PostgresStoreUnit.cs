using System.Data;
using Npgsql;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Postgres.Connections;
using TaskOrchestrator.Storage.Postgres.Notifications;
using TaskOrchestrator.Storage.Postgres.Stores;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>
/// One PostgreSQL transaction, read or write, over the role stores.
/// <para>
/// Round trips. Every statement the server waits for costs a round trip, and a write unit holds the
/// workspace's write lock for all of its round trips. So writes whose outcome the caller does not need
/// at once (a task's narrow update, an event, an agent's row) are deferred: they travel, in order, in
/// one batch with the unit's next statement that must be answered, or with its commit. A deferred write
/// is checked when its batch has run (an update that found its row gone or changed fails there), and any
/// failure aborts the transaction, so nothing of a unit commits unless every write of it succeeded. A write
/// unit's workspace lock, and a read unit's <c>SET TRANSACTION READ ONLY</c>, travel with its first
/// statement the same way.
/// </para>
/// </summary>
internal sealed class PostgresStoreUnit : IStoreUnit
{
    // Past this many deferred writes the batch is sent without waiting for a read: a batch is kept in
    // memory until it is sent, and one large enough saves nothing more.
    private const int MaxDeferred = 512;

    private readonly PostgresOrchestratorStore _store;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly List<Deferred> _deferred = [];
    private NpgsqlBatchCommand[]? _opening;
    private int _openingResults;
    private bool _finished;
    private bool _eventsAppended;
    private PostgresTaskStore? _tasks;
    private PostgresDependencyStore? _dependencies;
    private PostgresArtifactStore? _artifacts;
    private PostgresEventStore? _events;
    private PostgresSessionStore? _sessions;
    private PostgresIdempotencyStore? _idempotency;
    private PostgresInstanceStore? _instances;
    private PostgresRestartStore? _restarts;
    private PostgresAgentStore? _agents;

    /// <summary>
    /// A write unit when <paramref name="writeLockTimeout"/> (the <c>SET LOCAL lock_timeout</c> statement
    /// bounding the wait for the workspace's write lock) is given, else a read unit.
    /// </summary>
    public PostgresStoreUnit(PostgresOrchestratorStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, string? writeLockTimeout)
    {
        _store = store;
        _connection = connection;
        _transaction = transaction;
        IsWrite = writeLockTimeout is not null;
        if (writeLockTimeout is null)
        {
            _opening = [new NpgsqlBatchCommand("SET TRANSACTION READ ONLY")];
            return;
        }

        // The lock returns one row, which a query sent after it in the same batch skips.
        var takeLock = new NpgsqlBatchCommand(WorkspaceLocks.TakeWriteLock);
        takeLock.Parameters.AddWithValue("ns", WorkspaceLocks.Namespace);
        takeLock.Parameters.AddWithValue("ws", WorkspaceId);
        _opening = [new NpgsqlBatchCommand(writeLockTimeout), takeLock];
        _openingResults = 1;
    }

    public bool IsWrite { get; }

    public string WorkspaceId => _store.Workspace.Id;

    public TimeProvider Time => _store.Time;

    public ITaskStore Tasks => _tasks ??= new PostgresTaskStore(this);

    public IDependencyStore Dependencies => _dependencies ??= new PostgresDependencyStore(this);

    public IArtifactStore Artifacts => _artifacts ??= new PostgresArtifactStore(this);

    public IEventStore Events => _events ??= new PostgresEventStore(this);

    public ISessionStore Sessions => _sessions ??= new PostgresSessionStore(this);

    public IIdempotencyStore Idempotency => _idempotency ??= new PostgresIdempotencyStore(this);

    public IInstanceStore Instances => _instances ??= new PostgresInstanceStore(this);

    public IRestartStore Restarts => _restarts ??= new PostgresRestartStore(this);

    public IAgentStore Agents => _agents ??= new PostgresAgentStore(this);

    /// <summary>A command for reading, bound to the unit's transaction.</summary>
    public NpgsqlCommand Read(string sql)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        return new NpgsqlCommand(sql, _connection, _transaction);
    }

    /// <summary>A command for writing; refused on a read unit.</summary>
    public NpgsqlCommand Write(string sql)
    {
        if (!IsWrite)
        {
            throw new InvalidOperationException("This is a read unit; begin a write unit to change the store.");
        }

        return Read(sql);
    }

    /// <summary>
    /// Queues a write whose outcome the caller need not wait for; it runs with the unit's next answered
    /// statement or its commit. <paramref name="verify"/>, when given, judges the rows it affected then
    /// and throws to fail the unit.
    /// </summary>
    public async Task DeferAsync(NpgsqlCommand command, Func<int, CancellationToken, Task>? verify, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        await using (command)
        {
            _deferred.Add(new Deferred(ToBatchCommand(command), verify));
        }

        if (_deferred.Count >= MaxDeferred)
        {
            await SendPendingAsync(cancellationToken);
        }
    }

    /// <summary>Runs a command that returns no rows, translating the failures a user can act on.</summary>
    public async Task<int> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            try
            {
                if (TakePending(command) is not { } batch)
                {
                    return await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (batch)
                {
                    await batch.Batch.ExecuteNonQueryAsync(cancellationToken);
                    await VerifyAsync(batch.Deferred, cancellationToken);
                    return batch.Batch.BatchCommands[^1].RecordsAffected;
                }
            }
            catch (NpgsqlException ex)
            {
                throw PostgresErrors.Translate(ex, "writing", _store.BusyTimeout);
            }
        }
    }

    /// <summary>Runs a query and returns the first column of its first row, or null.</summary>
    public async Task<object?> ScalarAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var value = await FirstAsync<object>(command, r => r.GetValue(0), cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a query and maps every row.</summary>
    public async Task<List<T>> ListAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken) =>
        await QueryAsync(command, CommandBehavior.Default, async reader =>
        {
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        }, cancellationToken);

    /// <summary>Runs a query and maps its first row, or returns null.</summary>
    public Task<T?> FirstAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
        where T : class =>
        QueryAsync<T?>(command, CommandBehavior.SingleRow, async reader => await reader.ReadAsync(cancellationToken) ? map(reader) : null, cancellationToken);

    // A query, sent after the pending statements in the same round trip when there are any: the reader
    // passes over their results (they return no rows) to the query's own.
    private async Task<T> QueryAsync<T>(NpgsqlCommand command, CommandBehavior behavior, Func<NpgsqlDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        await using (command)
        {
            try
            {
                if (TakePending(command) is not { } batch)
                {
                    await using var reader = await command.ExecuteReaderAsync(behavior, cancellationToken);
                    return await read(reader);
                }

                await using (batch)
                {
                    T result;
                    await using (var reader = await batch.Batch.ExecuteReaderAsync(cancellationToken))
                    {
                        // Past the rows of the pending statements that return one (the write lock's).
                        for (int i = 0; i < batch.ResultsBefore; i++)
                        {
                            await reader.NextResultAsync(cancellationToken);
                        }

                        result = await read(reader);
                    }

                    await VerifyAsync(batch.Deferred, cancellationToken);
                    return result;
                }
            }
            catch (NpgsqlException ex)
            {
                throw PostgresErrors.Translate(ex, "reading", _store.BusyTimeout);
            }
        }
    }

    // Sends the pending statements on their own (before a commit, or when too many wait).
    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        if (TakePending(null) is not { } batch)
        {
            return;
        }

        await using (batch)
        {
            try
            {
                await batch.Batch.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw PostgresErrors.Translate(ex, "writing", _store.BusyTimeout);
            }

            await VerifyAsync(batch.Deferred, cancellationToken);
        }
    }

    // The pending statements, and then command when given, as one batch; null when nothing is pending.
    private PendingBatch? TakePending(NpgsqlCommand? command)
    {
        if (_deferred.Count == 0 && _opening is null)
        {
            return null;
        }

        var batch = new NpgsqlBatch(_connection, _transaction);
        int resultsBefore = 0;
        if (_opening is { } opening)
        {
            foreach (var statement in opening)
            {
                batch.BatchCommands.Add(statement);
            }

            resultsBefore = _openingResults;
            _opening = null;
        }

        var deferred = _deferred.ToArray();
        _deferred.Clear();
        foreach (var write in deferred)
        {
            batch.BatchCommands.Add(write.Command);
        }

        if (command is not null)
        {
            batch.BatchCommands.Add(ToBatchCommand(command));
        }

        return new PendingBatch(batch, deferred, resultsBefore);
    }

    private static async Task VerifyAsync(Deferred[] deferred, CancellationToken cancellationToken)
    {
        foreach (var write in deferred)
        {
            if (write.Verify is { } verify)
            {
                await verify(write.Command.RecordsAffected, cancellationToken);
            }
        }
    }

    // A batch command with the command's text and parameters (a parameter belongs to one collection at a time).
    private static NpgsqlBatchCommand ToBatchCommand(NpgsqlCommand command)
    {
        var batchCommand = new NpgsqlBatchCommand(command.CommandText);
        var parameters = command.Parameters.ToArray();
        command.Parameters.Clear();
        batchCommand.Parameters.AddRange(parameters);
        return batchCommand;
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!IsWrite)
        {
            throw new InvalidOperationException("A read unit has nothing to commit.");
        }

        // No cancellation past this point: a commit that has started must finish or fail on its own.
        // With synchronous_commit on (PostgreSQL's default) the server answers only after the commit
        // record is flushed, so a returned commit survives a crash of the database server too.
        try
        {
            if (_eventsAppended)
            {
                // Delivered to the listeners of every process when, and only if, the transaction commits;
                // PostgreSQL folds the notifications of one transaction with the same payload into one.
                var notify = new NpgsqlCommand(ChangeNotifications.Notify, _connection, _transaction);
                notify.Parameters.AddWithValue("ws", WorkspaceId);
                await DeferAsync(notify, null, CancellationToken.None);
            }

            await SendPendingAsync(CancellationToken.None);
            await _transaction.CommitAsync(CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            await FinishAsync();
            throw PostgresErrors.Translate(ex, "committing", _store.BusyTimeout);
        }

        await FinishAsync();
        if (_eventsAppended)
        {
            // This process's own waiters need not wait for the notification's round trip.
            _store.Changes?.Raise(WorkspaceId);
        }
    }

    /// <summary>Notes that the unit appended events, so that its commit notifies the listeners.</summary>
    internal void EventAppended() => _eventsAppended = true;

    public async ValueTask DisposeAsync()
    {
        if (_finished)
        {
            return;
        }

        try
        {
            await _transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection rolls the transaction back on the server by itself; closing it below
            // discards it from the pool.
        }

        await FinishAsync();
    }

    private async ValueTask FinishAsync()
    {
        _finished = true;
        _deferred.Clear();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
        if (IsWrite)
        {
            _store.WriteUnitEnded();
        }
    }

    private sealed record Deferred(NpgsqlBatchCommand Command, Func<int, CancellationToken, Task>? Verify);

    private sealed record PendingBatch(NpgsqlBatch Batch, Deferred[] Deferred, int ResultsBefore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Batch.DisposeAsync();
    }
}
