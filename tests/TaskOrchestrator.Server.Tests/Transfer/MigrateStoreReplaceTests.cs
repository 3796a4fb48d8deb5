using Shouldly;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Server.Cli;
using TaskOrchestrator.Server.Tests.Instances;
using TaskOrchestrator.Storage.Postgres;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Transfer;

/// <summary>
/// migrate-store --replace against a PostgreSQL target that a live server instance is using: refused with the
/// instance named and nothing changed, unless --force; --force alone is bad input.
/// </summary>
public sealed class MigrateStoreReplaceTests : IClassFixture<PostgresServerCluster>, IDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly PostgresServerCluster _cluster;
    private readonly TemporaryDirectory _workspace = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public MigrateStoreReplaceTests(PostgresServerCluster cluster) => _cluster = cluster;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _workspace.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task Replace_WhileALiveInstanceUsesTheTargetWorkspace_Exit3UnlessForced()
    {
        var connectionString = await _cluster.NewDatabaseAsync();
        await SeedSqliteAsync("First title");
        var to = "postgres:" + connectionString;
        (await MigrateStoreCommand.RunAsync(new("sqlite:" + _workspace.Path, to), Ttl, TimeProvider.System, _output, _error, Ct)).ShouldBe(0, _error.ToString());
        await MarkLiveAsync(connectionString);
        await SeedSqliteAsync("Second title");

        int refused = await MigrateStoreCommand.RunAsync(new("sqlite:" + _workspace.Path, to, Replace: true), Ttl, TimeProvider.System, _output, _error, Ct);

        refused.ShouldBe(3);
        _error.ToString().ShouldContain(": standalone inst-live (pid 4242 on build-host, heartbeat ");
        _error.ToString().ShouldContain("Nothing was changed.");
        (await TitleInPostgresAsync(connectionString)).ShouldBe("First title");

        int forced = await MigrateStoreCommand.RunAsync(new("sqlite:" + _workspace.Path, to, Replace: true, Force: true), Ttl, TimeProvider.System, _output, _error, Ct);

        forced.ShouldBe(0, _error.ToString());
        _output.ToString().ShouldContain("--force: replacing although a server is running (standalone inst-live");
        (await TitleInPostgresAsync(connectionString)).ShouldBe("Second title");
    }

    [Fact]
    public async Task Force_WithoutReplace_Exit2AndNothingCopied()
    {
        var connectionString = await _cluster.NewDatabaseAsync();
        await SeedSqliteAsync("Only title");

        int exit = await MigrateStoreCommand.RunAsync(new("sqlite:" + _workspace.Path, "postgres:" + connectionString, Force: true), Ttl, TimeProvider.System, _output, _error, Ct);

        exit.ShouldBe(2);
        _error.ToString().ShouldContain("--force only overrides --replace's check for live servers");
        (await TitleInPostgresAsync(connectionString)).ShouldBeNull();
    }

    // The workspace's SQLite file holds one task, "only", with this title.
    private async Task SeedSqliteAsync(string title)
    {
        await using var provider = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System);
        var store = await provider.OpenAsync(_workspace.Path, Ct);
        await using var unit = await store.BeginWriteAsync(Ct);
        var existing = await unit.Tasks.GetAsync("only", Ct);
        var task = new TaskRecord { Id = "only", WorkspaceId = store.Workspace.Id, Title = title, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch, Version = (existing?.Version ?? 0) + 1 };
        await (existing is null ? unit.Tasks.InsertAsync(task, Ct) : unit.Tasks.UpdateAsync(task, existing, Ct));
        await unit.CommitAsync(Ct);
    }

    // A server instance of the migrated workspace in PostgreSQL that heartbeat just now.
    private async Task MarkLiveAsync(string connectionString)
    {
        await using var provider = new PostgresStoreProvider(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        var store = await provider.OpenAsync(_workspace.Path, Ct);
        await using var unit = await store.BeginWriteAsync(Ct);
        await unit.Instances.UpsertAsync(LiveInstanceRows.At(store.Workspace.Id, DateTimeOffset.UtcNow), Ct);
        await unit.CommitAsync(Ct);
    }

    private async Task<string?> TitleInPostgresAsync(string connectionString)
    {
        await using var provider = new PostgresStoreProvider(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        var store = await provider.OpenAsync(_workspace.Path, Ct);
        await using var unit = await store.BeginReadAsync(Ct);
        return (await unit.Tasks.GetAsync("only", Ct))?.Title;
    }
}
