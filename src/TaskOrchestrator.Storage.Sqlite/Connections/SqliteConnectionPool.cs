using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.Storage.Sqlite.Connections;

/// <summary>
/// Open connections to one database file, each configured once with the durability pragmas. The
/// driver's own pooling is off: this pool keeps connections open together with their prepared
/// statements, which the driver's pool would discard.
/// </summary>
internal sealed class SqliteConnectionPool : IDisposable
{
    private readonly ConcurrentBag<PooledConnection> _idle = [];
    private readonly string _connectionString;
    private readonly SqliteStoreOptions _options;
    private int _idleCount;
    private bool _disposed;

    public SqliteConnectionPool(string databasePath, SqliteStoreOptions options)
    {
        _options = options;
        Checkpointer = new WalCheckpointer(Rent, Return);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            ForeignKeys = true,
        }.ToString();
    }

    /// <summary>Runs the log checkpoints of this pool's connections beside their commits.</summary>
    public WalCheckpointer Checkpointer { get; }

    public PooledConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        return Open();
    }

    public void Return(PooledConnection connection)
    {
        if (_disposed || !connection.Healthy)
        {
            connection.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > _options.MaxIdleConnections)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
    }

    public void Dispose()
    {
        _disposed = true;
        Checkpointer.Dispose();
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    /// <summary>A new connection, configured like the pooled ones, that the caller owns.</summary>
    public PooledConnection Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();

            // synchronous=FULL: in WAL mode every commit fsyncs the log, so an acknowledged write
            // survives power loss, not only a process crash. busy_timeout=0: SQLite's busy handler
            // backs off too coarsely, so waiting for the write lock is done by SqliteWriteLock instead.
            pragmas.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 0; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{_options.CacheSizeKib};");
            pragmas.ExecuteNonQuery();
            Checkpointer.Attach(connection);
            return new PooledConnection(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
