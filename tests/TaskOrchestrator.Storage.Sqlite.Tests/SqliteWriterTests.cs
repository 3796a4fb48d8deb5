using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Storage.Sqlite.Connections;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>
/// Writers of one database file. A second <see cref="SqliteStoreProvider"/> on the same folder stands in
/// for another process: it has its own connections and its own in-process write gate, so only SQLite's
/// file lock stands between the two.
/// </summary>
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private static readonly SqliteStoreOptions ShortBusyTimeout = new() { BusyTimeout = TimeSpan.FromMilliseconds(250) };

    private readonly TemporaryDirectory _workspace = new("to-sqlite-writers");
    private readonly ManualTimeProvider _time = new();
    private readonly List<SqliteStoreProvider> _providers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
    public async Task BeginWriteAsync_AnotherProcessHoldsTheWriteLock_WaitsForItsCommitThenSeesItsChanges()
    {
        var first = await OpenAsync();
        var second = await OpenAsync(); // opened before the lock is taken: opening migrates under the same lock
        var task = NewTask(first, "task_1");

        await using (var holding = await first.BeginWriteAsync(Ct))
        {
            await holding.Tasks.InsertAsync(task, Ct);
            var waiting = second.BeginWriteAsync(Ct).AsTask();
            waiting.IsCompleted.ShouldBeFalse();

            await holding.CommitAsync(Ct);

            await using var unit = await waiting;
            var seen = await unit.Tasks.GetAsync("task_1", Ct);
            seen.ShouldBe(task);
            await unit.Tasks.UpdateAsync(task with { Title = "updated by the second process", Version = 2 }, 1, Ct);
            await unit.CommitAsync(Ct);
        }

        await using var read = await first.BeginReadAsync(Ct);
        (await read.Tasks.GetAsync("task_1", Ct))!.Title.ShouldBe("updated by the second process");
    }

    [Fact]
    public async Task BeginWriteAsync_AnotherProcessHoldsTheLockPastTheBusyTimeout_ThrowsStoreBusy()
    {
        var first = await OpenAsync();
        var second = await OpenAsync(ShortBusyTimeout);
        await using var holding = await first.BeginWriteAsync(Ct);

        var ex = await Should.ThrowAsync<OrchestratorException>(async () => await second.BeginWriteAsync(Ct));

        ex.Error.Code.ShouldBe(ErrorCodes.StoreBusy);
    }

    [Fact]
    public async Task BeginWriteAsync_SameStoreWriterHoldsPastTheBusyTimeout_ThrowsStoreBusyAndWritersStaySerialized()
    {
        var store = await OpenAsync(ShortBusyTimeout);
        var holding = await store.BeginWriteAsync(Ct);

        var ex = await Should.ThrowAsync<OrchestratorException>(async () => await store.BeginWriteAsync(Ct));
        ex.Error.Code.ShouldBe(ErrorCodes.StoreBusy);

        // The refused writer must not have released a turn it never held.
        await holding.DisposeAsync();
        await using var next = await store.BeginWriteAsync(Ct);
        var after = store.BeginWriteAsync(Ct).AsTask();
        after.IsCompleted.ShouldBeFalse();
        await next.DisposeAsync();
        await using var last = await after;
        last.IsWrite.ShouldBeTrue();
    }

    [Fact]
    public async Task BeginWriteAsync_WritesOnOtherThreadsBesideAReader_RunOnOneConnectionThatReadsNoPageAgain()
    {
        var store = await OpenAsync();
        PooledConnection writer;
        await using (var unit = await store.BeginWriteAsync(Ct))
        {
            writer = ((SqliteStoreUnit)unit).Connection;
            await unit.Tasks.InsertAsync(NewTask(store, "task_1"), Ct);
            await unit.CommitAsync(Ct);
        }

        await using var reading = await store.BeginReadAsync(Ct);
        (await reading.Tasks.GetAsync("task_1", Ct)).ShouldNotBeNull();
        ((SqliteStoreUnit)reading).Connection.ShouldNotBeSameAs(writer);

        // Another thread, as the next tool call would be: the same connection, and its cache still
        // holds every page the first insert touched, so the second one reads none from the file.
        var (second, pagesRead) = await Task.Run(async () =>
        {
            await using var unit = await store.BeginWriteAsync(Ct);
            var connection = ((SqliteStoreUnit)unit).Connection;
            int before = CacheMisses(connection);
            await unit.Tasks.InsertAsync(NewTask(store, "task_2"), Ct);
            await unit.CommitAsync(Ct);
            return (connection, CacheMisses(connection) - before);
        }, Ct);

        second.ShouldBeSameAs(writer);
        pagesRead.ShouldBe(0);
    }

    [Fact]
    public async Task DisposeAsync_WithAWriteUnitOpen_ClosesTheWriterWhenTheUnitEnds()
    {
        var provider = new SqliteStoreProvider(new SqliteStoreOptions(), _time);
        var store = await provider.OpenAsync(_workspace.Path, Ct);
        var idle = await CommittedWriterAsync(store);
        var unit = await store.BeginWriteAsync(Ct);
        ((SqliteStoreUnit)unit).Connection.ShouldBeSameAs(idle);

        await provider.DisposeAsync();
        idle.Connection.State.ShouldBe(System.Data.ConnectionState.Open);
        await unit.DisposeAsync();

        idle.Connection.State.ShouldBe(System.Data.ConnectionState.Closed);
    }

    [Fact]
    public async Task DisposeAsync_WithNoWriteUnitOpen_ClosesTheWriter()
    {
        var provider = new SqliteStoreProvider(new SqliteStoreOptions(), _time);
        var store = await provider.OpenAsync(_workspace.Path, Ct);
        var writer = await CommittedWriterAsync(store);

        await provider.DisposeAsync();

        writer.Connection.State.ShouldBe(System.Data.ConnectionState.Closed);
    }

    private static async Task<PooledConnection> CommittedWriterAsync(IOrchestratorStore store)
    {
        await using var unit = await store.BeginWriteAsync(Ct);
        await unit.CommitAsync(Ct);
        return ((SqliteStoreUnit)unit).Connection;
    }

    /// <summary>Pages the connection has read from the file (or the log) since it opened.</summary>
    private static int CacheMisses(PooledConnection connection)
    {
        const int CacheMissStatus = 8; // SQLITE_DBSTATUS_CACHE_MISS
        SQLitePCL.raw.sqlite3_db_status(connection.Connection.Handle, CacheMissStatus, out int current, out _, 0).ShouldBe(SQLitePCL.raw.SQLITE_OK);
        return current;
    }

    private async Task<IOrchestratorStore> OpenAsync(SqliteStoreOptions? options = null)
    {
        var provider = new SqliteStoreProvider(options ?? new SqliteStoreOptions(), _time);
        _providers.Add(provider);
        return await provider.OpenAsync(_workspace.Path, Ct);
    }

    private TaskRecord NewTask(IOrchestratorStore store, string id) => new()
    {
        Id = id,
        WorkspaceId = store.Workspace.Id,
        Title = "Task " + id,
        CreatedAt = _time.Now(),
        UpdatedAt = _time.Now(),
    };
}
