using Npgsql;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Postgres.Notifications;
using TaskOrchestrator.Storage.Postgres.Stores;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>One PostgreSQL transaction, read or write, over the role stores.</summary>
internal sealed class PostgresStoreUnit : IStoreUnit
{
    private readonly PostgresOrchestratorStore _store;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
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

    public PostgresStoreUnit(PostgresOrchestratorStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, bool isWrite)
    {
        _store = store;
        _connection = connection;
        _transaction = transaction;
        IsWrite = isWrite;
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

    /// <summary>Runs a command that returns no rows, translating the failures a user can act on.</summary>
    public async Task<int> ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            try
            {
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                throw PostgresErrors.Translate(ex, "writing", _store.BusyTimeout);
            }
        }
    }

    /// <summary>Runs a command that returns one value.</summary>
    public async Task<object?> ScalarAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            try
            {
                var value = await command.ExecuteScalarAsync(cancellationToken);
                return value is DBNull ? null : value;
            }
            catch (NpgsqlException ex)
            {
                throw PostgresErrors.Translate(ex, "reading", _store.BusyTimeout);
            }
        }
    }

    /// <summary>Runs a query and maps every row.</summary>
    public async Task<List<T>> ListAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using (command)
        {
            try
            {
                var rows = new List<T>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(map(reader));
                }

                return rows;
            }
            catch (NpgsqlException ex)
            {
                throw PostgresErrors.Translate(ex, "reading", _store.BusyTimeout);
            }
        }
    }

    /// <summary>Runs a query and maps its first row, or returns null.</summary>
    public async Task<T?> FirstAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await using (command)
        {
            try
            {
                await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
                return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
            }
            catch (NpgsqlException ex)
            {
                throw PostgresErrors.Translate(ex, "reading", _store.BusyTimeout);
            }
        }
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
                await using var notify = new NpgsqlCommand(ChangeNotifications.Notify, _connection, _transaction);
                notify.Parameters.AddWithValue("ws", WorkspaceId);
                await notify.ExecuteNonQueryAsync(CancellationToken.None);
            }

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
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
        if (IsWrite)
        {
            _store.WriteUnitEnded();
        }
    }
}
