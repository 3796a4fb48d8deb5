using Npgsql;
using TaskOrchestrator.Testing.Postgres;

namespace TaskOrchestrator.Server.Tests.Instances;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests that run server processes on one database, started
/// once per test class that asks for it. Where the binaries are missing every such test is reported
/// skipped with the reason.
/// </summary>
public sealed class PostgresServerCluster : IAsyncLifetime
{
    private ThrowawayPostgres? _cluster;
    private int _databases;

    /// <summary>Why the cluster is not available, or null when it runs.</summary>
    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        UnavailableReason = ThrowawayPostgres.UnavailableReason();
        if (UnavailableReason is null)
        {
            // Three servers with the default pool of 50 each, their listeners and the test's own.
            _cluster = await ThrowawayPostgres.StartAsync(["fsync=off", "max_connections=250"], CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>The connection string of a new, empty database; skips the calling test when the cluster is not available.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        if (UnavailableReason is not null)
        {
            Assert.Skip(UnavailableReason);
        }

        var name = $"db{Interlocked.Increment(ref _databases)}";
        await _cluster!.CreateDatabaseAsync(name, TestContext.Current.CancellationToken);
        return _cluster.ConnectionString(name);
    }
}
