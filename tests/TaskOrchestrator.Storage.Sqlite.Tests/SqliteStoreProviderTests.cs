using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>What only the SQLite backend promises: where the file lives, how it is configured and migrated.</summary>
public sealed class SqliteStoreProviderTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _workspace = new("to-sqlite");
    private readonly ManualTimeProvider _time = new();
    private readonly List<SqliteStoreProvider> _providers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_workspace.Path, ".task-orchestrator", "orchestrator.db");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _workspace.Dispose();
    }

    [Fact]
    public async Task OpenAsync_NewWorkspace_CreatesTheDatabaseInsideTheWorkspaceDataFolder()
    {
        var store = await NewProvider().OpenAsync(_workspace.Path, Ct);

        File.Exists(DatabasePath).ShouldBeTrue();
        SqliteStoreProvider.DatabasePath(_workspace.Path).ShouldBe(DatabasePath);
        store.Location.ShouldBe(new StoreLocation("sqlite", DatabasePath));
    }

    [Fact]
    public async Task OpenAsync_NewWorkspace_JournalModeIsWal()
    {
        await NewProvider().OpenAsync(_workspace.Path, Ct);

        RawDatabase.Scalar(DatabasePath, "PRAGMA journal_mode").ShouldBe("wal");
    }

    [Fact]
    public async Task OpenAsync_NewWorkspace_SchemaVersionTableHoldsEveryMigrationInOrder()
    {
        await NewProvider().OpenAsync(_workspace.Path, Ct);

        var rows = RawDatabase.Rows(DatabasePath, "SELECT version, name, applied_at FROM schema_version ORDER BY version");

        var at = _time.GetUtcNow().ToUnixTimeMilliseconds();
        rows.Count.ShouldBe(6);
        rows[0].ShouldBe([1L, "initial", at]);
        rows[1].ShouldBe([2L, "operations", at]);
        rows[2].ShouldBe([3L, "claims", at]);
        rows[3].ShouldBe([4L, "agents", at]);
        rows[4].ShouldBe([5L, "search_catch_up", at]);
        rows[5].ShouldBe([6L, "claim_indexes", at]);
    }

    [Fact]
    public async Task OpenAsync_ExistingDatabaseFromAnotherProvider_KeepsTheWorkspaceIdAndCreationTime()
    {
        var first = NewProvider();
        var original = (await first.OpenAsync(_workspace.Path, Ct)).Workspace;
        await first.DisposeAsync();
        _time.Advance(TimeSpan.FromDays(2));

        var reopened = (await NewProvider().OpenAsync(_workspace.Path, Ct)).Workspace;

        reopened.ShouldBe(original);
        RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM workspace").ShouldBe(1L);
    }

    [Fact]
    public async Task OpenAsync_FourProvidersOpenANewFileAtOnce_MigrationsRunOnce()
    {
        var providers = Enumerable.Range(0, 4).Select(_ => NewProvider()).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var opening = providers.Select(p => Task.Run(async () =>
        {
            await go.Task;
            return await p.OpenAsync(_workspace.Path, Ct);
        }, Ct)).ToArray();
        go.SetResult();
        var stores = await Task.WhenAll(opening);

        stores.Select(s => s.Workspace.Id).Distinct().ShouldHaveSingleItem();
        RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM schema_version").ShouldBe(6L);
        RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM workspace").ShouldBe(1L);
        RawDatabase.Scalar(DatabasePath, "PRAGMA journal_mode").ShouldBe("wal");
    }

    [Fact]
    public async Task OpenAsync_DataFolderPathIsAFile_ThrowsWorkspaceUnavailableNamingTheWorkspace()
    {
        await File.WriteAllTextAsync(Path.Combine(_workspace.Path, ".task-orchestrator"), "not a folder", Ct);

        var ex = await Should.ThrowAsync<OrchestratorException>(async () => await NewProvider().OpenAsync(_workspace.Path, Ct));

        ex.Error.Code.ShouldBe(ErrorCodes.WorkspaceUnavailable);
        ex.Error.Message.ShouldContain(_workspace.Path);
    }

    [Fact]
    public async Task OpenAsync_DatabaseWrittenByANewerSchema_ThrowsWorkspaceUnavailableAndLeavesItUntouched()
    {
        var first = NewProvider();
        await first.OpenAsync(_workspace.Path, Ct);
        await first.DisposeAsync();
        RawDatabase.Execute(DatabasePath, "INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 0)");

        var ex = await Should.ThrowAsync<OrchestratorException>(async () => await NewProvider().OpenAsync(_workspace.Path, Ct));

        ex.Error.Code.ShouldBe(ErrorCodes.WorkspaceUnavailable);
        ex.Error.Message.ShouldContain("schema version 99");
        RawDatabase.Scalar(DatabasePath, "SELECT max(version) FROM schema_version").ShouldBe(99L);
    }

    [Fact]
    public async Task OpenAsync_FailedOnce_RetriesOnTheNextCallOnceTheCauseIsGone()
    {
        var dataPath = Path.Combine(_workspace.Path, ".task-orchestrator");
        await File.WriteAllTextAsync(dataPath, "not a folder", Ct);
        var provider = NewProvider();
        await Should.ThrowAsync<OrchestratorException>(async () => await provider.OpenAsync(_workspace.Path, Ct));
        File.Delete(dataPath);

        var store = await provider.OpenAsync(_workspace.Path, Ct);

        store.Workspace.RootPath.ShouldBe(_workspace.Path);
    }

    [Fact]
    public async Task GetSizeAsync_AfterWrites_ReportsTheDatabaseAndLogFileSizes()
    {
        var store = await NewProvider().OpenAsync(_workspace.Path, Ct);

        var size = await store.Diagnostics.GetSizeAsync(Ct);

        static long LengthOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
        size.ShouldBe(new StoreSize(LengthOf(DatabasePath), LengthOf(DatabasePath + "-wal")));
        size.DatabaseBytes.ShouldBeGreaterThan(0);
    }

    private SqliteStoreProvider NewProvider(SqliteStoreOptions? options = null)
    {
        var provider = new SqliteStoreProvider(options ?? new SqliteStoreOptions(), _time);
        _providers.Add(provider);
        return provider;
    }
}
