using Npgsql;
using TaskOrchestrator.Testing.Postgres;

[assembly: AssemblyFixture(typeof(TaskOrchestrator.Storage.Postgres.Tests.PostgresCluster))]

namespace TaskOrchestrator.Storage.Postgres.Tests;

/// <summary>
/// The throwaway PostgreSQL cluster of this test run (see <see cref="ThrowawayPostgres"/>), fsync off,
/// stopped and deleted at the end. Where the binaries are missing the cluster is unavailable and every
/// test that needs it is reported skipped with the reason.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly Dictionary<string, string> _databases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _databaseGate = new(1, 1);
    private ThrowawayPostgres? _cluster;

    /// <summary>Why the cluster is not available, or null when it runs.</summary>
    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        UnavailableReason = ThrowawayPostgres.UnavailableReason();
        if (UnavailableReason is null)
        {
            _cluster = await ThrowawayPostgres.StartAsync(["fsync=off", "max_connections=200"], CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _databaseGate.Dispose();
    }

    /// <summary>Skips the calling test, with the reason, when the cluster is not available.</summary>
    public void SkipIfUnavailable()
    {
        if (UnavailableReason is not null)
        {
            Assert.Skip(UnavailableReason);
        }
    }

    /// <summary>The connection string of database <paramref name="name"/>, created empty on first use in this run.</summary>
    public async Task<string> DatabaseAsync(string name)
    {
        SkipIfUnavailable();
        await _databaseGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_databases.TryGetValue(name, out var existing))
            {
                return existing;
            }

            await using (var admin = new NpgsqlConnection(_cluster!.ConnectionString("postgres")))
            {
                await admin.OpenAsync(TestContext.Current.CancellationToken);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            return _databases[name] = _cluster.ConnectionString(name);
        }
        finally
        {
            _databaseGate.Release();
        }
    }
}
