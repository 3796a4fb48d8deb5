using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
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
