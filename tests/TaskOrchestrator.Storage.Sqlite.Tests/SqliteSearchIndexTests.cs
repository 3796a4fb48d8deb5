using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>
/// The full-text index is brought up to the tasks after the commits that create them (migration 0005,
/// <see cref="Search.SqliteSearchIndex"/>): in the background, before a search, and at open. Each test
/// ends with FTS5's own integrity check against the task table, which fails on any entry too many or
/// too few.
/// </summary>
public sealed class SqliteSearchIndexTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TemporaryDirectory _workspace = new("to-sqlite-search");
    private readonly ManualTimeProvider _time = new();
    private readonly List<SqliteStoreProvider> _providers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_workspace.Path, SqliteStoreOptions.DataFolder, SqliteStoreOptions.DatabaseFile);

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
    public async Task Commit_CreatingTasks_TheBackgroundBatchIndexesThemWithoutASearch()
    {
        var store = await OpenAsync();
        await InsertAsync(store, NewTask(store, "task_1", "Roadmap review"), NewTask(store, "task_2", "Release notes"));

        await WaitUntilIndexedAsync();

        IndexedMatches("roadmap OR release").ShouldBe(2L);
        AssertIndexMatchesTasks();
    }

    [Fact]
    public async Task PrepareSearchAsync_RightAfterACommit_IndexesEveryNewTaskBeforeReturning()
    {
        var store = await OpenAsync();
        await InsertAsync(store, [.. Enumerable.Range(1, 50).Select(i => NewTask(store, $"task_{i}", $"Ledger entry {i}"))]);

        await store.PrepareSearchAsync(Ct);

        RawDatabase.Scalar(DatabasePath, "SELECT indexed_through FROM search_index").ShouldBe(RawDatabase.Scalar(DatabasePath, "SELECT max(seq) FROM task"));
        await using var read = await store.BeginReadAsync(Ct);
        (await read.Tasks.QueryAsync(new TaskQuery { SearchText = "ledger", Limit = 100 }, Ct)).TotalCount.ShouldBe(50);
        AssertIndexMatchesTasks();
    }

    [Fact]
    public async Task PrepareSearchAsync_BacklogOfMoreThanAChunk_IndexesItInChunkSizedCommitsInOrder()
    {
        var store = await OpenAsync();

        // Test-only: a log of every move of the mark, whoever moves it (this call or the background batch).
        RawDatabase.Execute(DatabasePath, """
            CREATE TABLE mark_log (n INTEGER PRIMARY KEY, from_mark INTEGER NOT NULL, to_mark INTEGER NOT NULL);
            CREATE TRIGGER mark_logged AFTER UPDATE OF indexed_through ON search_index
            BEGIN INSERT INTO mark_log (from_mark, to_mark) VALUES (old.indexed_through, new.indexed_through); END;
            """);
        int count = (2 * Search.SqliteSearchIndex.ChunkSize) + 500;
        await InsertAsync(store, [.. Enumerable.Range(1, count).Select(i => NewTask(store, $"task_{i}", $"Ledger entry {i}"))]);

        await store.PrepareSearchAsync(Ct);

        RawDatabase.Rows(DatabasePath, "SELECT from_mark, to_mark FROM mark_log ORDER BY n").ShouldBe(
        [
            [0L, (long)Search.SqliteSearchIndex.ChunkSize],
            [(long)Search.SqliteSearchIndex.ChunkSize, 2L * Search.SqliteSearchIndex.ChunkSize],
            [2L * Search.SqliteSearchIndex.ChunkSize, (long)count],
        ]);
        (await SearchAsync(store, "ledger")).Length.ShouldBe(50);
        AssertIndexMatchesTasks();
    }

    [Fact]
    public async Task TasksEditedAndDeletedBeforeTheirBatch_AreIndexedAsTheyAreThen()
    {
        var store = await OpenAsync();

        // One unit, so no batch can run in between: the edit and the delete meet tasks not yet indexed.
        await using (var unit = await store.BeginWriteAsync(Ct))
        {
            var kept = NewTask(store, "task_kept", "Roadmap draft");
            await unit.Tasks.InsertAsync(kept, Ct);
            await unit.Tasks.InsertAsync(NewTask(store, "task_gone", "Roadmap appendix"), Ct);
            await unit.Tasks.UpdateAsync(kept with { Title = "Changelog draft", Version = 2 }, 1, Ct);
            await unit.Tasks.DeleteAsync(["task_gone"], Ct);
            await unit.CommitAsync(Ct);
        }

        (await SearchAsync(store, "roadmap")).ShouldBeEmpty();
        (await SearchAsync(store, "changelog")).ShouldBe(["task_kept"]);
        AssertIndexMatchesTasks();
    }

    [Fact]
    public async Task TasksEditedAndDeletedAfterTheirBatch_ChangeTheIndexInTheirOwnCommit()
    {
        var store = await OpenAsync();
        var kept = NewTask(store, "task_kept", "Roadmap draft");
        await InsertAsync(store, kept, NewTask(store, "task_gone", "Roadmap appendix"));
        await store.PrepareSearchAsync(Ct);

        await using (var unit = await store.BeginWriteAsync(Ct))
        {
            await unit.Tasks.UpdateAsync(kept with { Title = "Changelog draft", Version = 2 }, 1, Ct);
            await unit.Tasks.DeleteAsync(["task_gone"], Ct);
            await unit.CommitAsync(Ct);
        }

        // Read straight from the index, with no catching up in between.
        IndexedMatches("roadmap").ShouldBe(0L);
        IndexedMatches("changelog").ShouldBe(1L);
        AssertIndexMatchesTasks();
    }

    [Fact]
    public async Task NewTaskGivenANumberAtOrBelowTheMark_IsIndexedInItsOwnCommit()
    {
        var store = await OpenAsync();
        await InsertAsync(store, NewTask(store, "task_1", "First"), NewTask(store, "task_2", "Second"));
        await store.PrepareSearchAsync(Ct);
        await WriteAsync(store, unit => unit.Tasks.DeleteAsync(["task_2"], Ct));

        // SQLite hands out the highest rowid plus one again: the deleted task's number, which the mark covers.
        await InsertAsync(store, NewTask(store, "task_3", "Third"));

        RawDatabase.Scalar(DatabasePath, "SELECT seq FROM task WHERE id = 'task_3'").ShouldBe(RawDatabase.Scalar(DatabasePath, "SELECT indexed_through FROM search_index"));
        IndexedMatches("third").ShouldBe(1L);
        AssertIndexMatchesTasks();
    }

    [Fact]
    public async Task OpenAsync_TasksPastTheMark_IndexesThemInTheBackground()
    {
        var first = await OpenAsync();
        await InsertAsync(first, NewTask(first, "task_1", "Roadmap review"), NewTask(first, "task_2", "Release notes"));
        await first.PrepareSearchAsync(Ct);
        await _providers[0].DisposeAsync();
        _providers.Clear();

        // As after a crash before the batch committed: entries and mark both gone.
        RawDatabase.Execute(DatabasePath, "INSERT INTO task_fts (task_fts) VALUES ('delete-all'); UPDATE search_index SET indexed_through = 0");

        await OpenAsync();
        await WaitUntilIndexedAsync();

        IndexedMatches("roadmap OR release").ShouldBe(2L);
        AssertIndexMatchesTasks();
    }

    private async Task<IOrchestratorStore> OpenAsync()
    {
        var provider = new SqliteStoreProvider(new SqliteStoreOptions(), _time);
        _providers.Add(provider);
        return await provider.OpenAsync(_workspace.Path, Ct);
    }

    private static async Task InsertAsync(IOrchestratorStore store, params TaskRecord[] tasks) => await WriteAsync(store, async unit =>
    {
        foreach (var task in tasks)
        {
            await unit.Tasks.InsertAsync(task, Ct);
        }
    });

    private static async Task WriteAsync(IOrchestratorStore store, Func<IStoreUnit, Task> write)
    {
        await using var unit = await store.BeginWriteAsync(Ct);
        await write(unit);
        await unit.CommitAsync(Ct);
    }

    private static async Task<string[]> SearchAsync(IOrchestratorStore store, string text)
    {
        await store.PrepareSearchAsync(Ct);
        await using var read = await store.BeginReadAsync(Ct);
        return [.. (await read.Tasks.QueryAsync(new TaskQuery { SearchText = text }, Ct)).Items.Select(t => t.Id)];
    }

    private async Task WaitUntilIndexedAsync()
    {
        var started = DateTime.UtcNow;
        while (!Equals(RawDatabase.Scalar(DatabasePath, "SELECT indexed_through FROM search_index"), RawDatabase.Scalar(DatabasePath, "SELECT max(seq) FROM task")))
        {
            (DateTime.UtcNow - started).ShouldBeLessThan(Patience, "the background batch did not index the tasks");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Entries of the index matching <paramref name="expression"/>, read straight from it, with no catching up.</summary>
    private long? IndexedMatches(string expression) =>
        (long?)RawDatabase.Scalar(DatabasePath, $"SELECT count(*) FROM task_fts WHERE task_fts MATCH '{expression}'");

    /// <summary>FTS5's integrity check of an external-content index: it fails unless the index holds exactly the indexed tasks' text.</summary>
    private void AssertIndexMatchesTasks()
    {
        var mark = RawDatabase.Scalar(DatabasePath, "SELECT indexed_through FROM search_index");
        RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM task WHERE seq > " + mark).ShouldBe(0L, "check after the tasks are indexed");
        RawDatabase.Execute(DatabasePath, "INSERT INTO task_fts (task_fts, rank) VALUES ('integrity-check', 1)");
    }

    private TaskRecord NewTask(IOrchestratorStore store, string id, string title) => new()
    {
        Id = id,
        WorkspaceId = store.Workspace.Id,
        Title = title,
        CreatedAt = _time.Now(),
        UpdatedAt = _time.Now(),
    };
}
