using Shouldly;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

// The diagnostics health checks and shutdown rely on: the write probe, checkpoints and open write units.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task ProbeWriteAsync_WritableStore_ReturnsAPositiveDuration()
    {
        var took = await Store.Diagnostics.ProbeWriteAsync("inst_1", Ct);

        took.ShouldBeGreaterThan(TimeSpan.Zero);
        Store.Diagnostics.OpenWriteUnits.ShouldBe(0);
    }

    [Fact]
    public async Task ProbeWriteAsync_ProbedTwice_ChangesNothingAnyRoleStoreReads()
    {
        await SeedEveryRoleStoreAsync();
        var before = await SnapshotAsync();

        await Store.Diagnostics.ProbeWriteAsync("inst_1", Ct);
        Time.Advance(TimeSpan.FromSeconds(10));
        await Store.Diagnostics.ProbeWriteAsync("inst_2", Ct);

        // A fresh unit: the probes committed and left every row a tool or a check reads as it was.
        (await SnapshotAsync()).ShouldBe(before);
        Store.Diagnostics.OpenWriteUnits.ShouldBe(0);
    }

    [Fact]
    public async Task CheckpointAsync_TruncateAfterWritesWithNoReaders_NothingPendingAndTheLogIsEmpty()
    {
        await SeedEveryRoleStoreAsync();
        await InsertAsync(NewTask("task_more"));

        var result = await Store.Diagnostics.CheckpointAsync(truncate: true, Ct);

        result.Busy.ShouldBeFalse();
        result.PendingFrames.ShouldBe(0);
        (await Store.Diagnostics.GetSizeAsync(Ct)).WalBytes.ShouldBe(0);
        (await GetTaskAsync("task_more")).ShouldNotBeNull();
    }

    [Fact]
    public async Task CheckpointAsync_PassiveWhileAReadUnitHoldsAnOlderSnapshot_ReportsTheNewerFramesPending()
    {
        SkipWithoutOwnWriteAheadLog();
        await InsertAsync(NewTask("task_1"));
        await Store.Diagnostics.CheckpointAsync(truncate: true, Ct);
        await using var reader = await Store.BeginReadAsync(Ct);
        (await reader.Tasks.GetAsync("task_1", Ct)).ShouldNotBeNull(); // the snapshot is taken at the first read
        await InsertAsync(NewTask("task_2"));

        var result = await Store.Diagnostics.CheckpointAsync(truncate: false, Ct);

        // Passive does not wait: the frames committed after the reader's snapshot stay in the log.
        result.Busy.ShouldBeFalse();
        result.PendingFrames.ShouldBeGreaterThan(0);
        result.CheckpointedFrames.ShouldBe(0);
        (await reader.Tasks.GetAsync("task_2", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task CheckpointAsync_PassiveAfterTheReaderEnded_NothingPending()
    {
        await InsertAsync(NewTask("task_1"));
        await using (var reader = await Store.BeginReadAsync(Ct))
        {
            (await reader.Tasks.GetAsync("task_1", Ct)).ShouldNotBeNull();
            await InsertAsync(NewTask("task_2"));
        }

        var result = await Store.Diagnostics.CheckpointAsync(truncate: false, Ct);

        result.Busy.ShouldBeFalse();
        result.PendingFrames.ShouldBe(0);
    }

    [Fact]
    public async Task CheckpointAsync_TruncateWhileAReadUnitIsOpen_WaitsForItThenEmptiesTheLog()
    {
        SkipWithoutOwnWriteAheadLog();
        await InsertAsync(NewTask("task_1"));
        var reader = await Store.BeginReadAsync(Ct);
        (await reader.Tasks.GetAsync("task_1", Ct)).ShouldNotBeNull();
        await InsertAsync(NewTask("task_2"));

        var checkpoint = Store.Diagnostics.CheckpointAsync(truncate: true, Ct);
        bool finishedWhileReaderOpen = checkpoint.IsCompleted;
        await reader.DisposeAsync();
        var result = await checkpoint;

        finishedWhileReaderOpen.ShouldBeFalse();
        result.Busy.ShouldBeFalse();
        result.PendingFrames.ShouldBe(0);
        (await Store.Diagnostics.GetSizeAsync(Ct)).WalBytes.ShouldBe(0);
    }

    [Fact]
    public async Task OpenWriteUnits_WriteUnitOpenedThenDisposed_CountsItOnlyWhileOpen()
    {
        int before = Store.Diagnostics.OpenWriteUnits;
        int during;
        await using (var unit = await Store.BeginWriteAsync(Ct))
        {
            during = Store.Diagnostics.OpenWriteUnits;
        }

        before.ShouldBe(0);
        during.ShouldBe(1);
        Store.Diagnostics.OpenWriteUnits.ShouldBe(0);
    }

    [Fact]
    public async Task OpenWriteUnits_WriteUnitCommitted_CountsItUntilTheCommit()
    {
        await using var unit = await Store.BeginWriteAsync(Ct);
        await unit.Tasks.InsertAsync(NewTask("task_1"), Ct);
        int beforeCommit = Store.Diagnostics.OpenWriteUnits;

        await unit.CommitAsync(Ct);

        beforeCommit.ShouldBe(1);
        Store.Diagnostics.OpenWriteUnits.ShouldBe(0);
    }

    [Fact]
    public async Task OpenWriteUnits_ReadUnitOpen_DoesNotCountIt()
    {
        await using var unit = await Store.BeginReadAsync(Ct);
        (await unit.Tasks.GetAllNodesAsync(Ct)).ShouldBeEmpty();

        Store.Diagnostics.OpenWriteUnits.ShouldBe(0);
    }

    private void SkipWithoutOwnWriteAheadLog()
    {
        if (NoOwnWriteAheadLog is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    private async Task SeedEveryRoleStoreAsync()
    {
        await WriteAsync(async unit =>
        {
            await unit.Sessions.InsertAsync(NewSession("ses_1"), Ct);
            await unit.Tasks.InsertAsync(NewTask("task_a") with { SessionId = "ses_1" }, Ct);
            await unit.Tasks.InsertAsync(NewTask("task_b") with { Status = TaskItemStatus.InProgress, StartedAt = Start, HolderInstanceId = "inst_1", LeaseExpiresAt = Start.AddHours(1) }, Ct);
            await unit.Dependencies.AddAsync(new TaskDependency("task_a", "task_b"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_1", "task_b", "work"), Ct);
            await unit.Events.AppendAsync(NewEvent(EventKinds.TaskCreated, "task_a", "ses_1"), Ct);
            await unit.Instances.UpsertAsync(NewInstance("inst_1"), Ct);
            await unit.Restarts.InsertAsync(NewRestart("rst_1"), Ct);
        });
    }

    /// <summary>Everything the role stores return for this workspace, as comparable text.</summary>
    private Task<string[]> SnapshotAsync() => ReadAsync<string[]>(async unit =>
    {
        var nodes = await unit.Tasks.GetAllNodesAsync(Ct);
        var tasks = await unit.Tasks.GetManyAsync([.. nodes.Select(n => n.Id)], Ct);
        var (sessions, sessionCount) = await unit.Sessions.ListAsync(null, 100, 0, Ct);
        var (restarts, restartCount) = await unit.Restarts.ListAsync(100, Ct);
        return
        [
            .. tasks.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => t.ToString()),
            .. (await unit.Dependencies.GetAllAsync(Ct)).Select(d => d.ToString()),
            .. (await unit.Artifacts.GetAfterAsync(null, 100, includeContent: true, Ct)).Select(a => $"{a.Id} {a.TaskId} {a.Summary} {a.ContentHash} {a.ContentLength} {a.Content}"),
            .. (await unit.Events.GetAfterAsync(0, 100, Ct)).Select(e => e.ToString()),
            .. sessions.Select(s => $"{s.Session} {string.Join(',', s.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"))}"), $"sessions {sessionCount}",
            .. (await unit.Instances.ListAsync(includeEnded: true, 100, Ct)).Select(i => i.ToString()),
            .. restarts.Select(r => r with { Phases = [] }).Select(r => r.ToString()), $"restarts {restartCount}",
        ];
    });
}
