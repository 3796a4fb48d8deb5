using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

public abstract partial class StoreContractTests
{
    public static TheoryData<string> WriteMethods { get; } =
    [
        "tasks.insert", "tasks.update", "tasks.delete",
        "dependencies.add", "dependencies.remove",
        "artifacts.insert", "artifacts.delete",
        "events.append",
        "sessions.insert", "sessions.update", "sessions.touch", "sessions.delete",
        "idempotency.insert",
        "commit",
    ];

    [Fact]
    public async Task BeginWriteAsync_DisposedWithoutCommit_LeavesNothingBehind()
    {
        await using (var unit = await Store.BeginWriteAsync(Ct))
        {
            await unit.Sessions.InsertAsync(NewSession("ses_1"), Ct);
            await unit.Tasks.InsertAsync(NewTask("task_a") with { SessionId = "ses_1" }, Ct);
            await unit.Tasks.InsertAsync(NewTask("task_b"), Ct);
            await unit.Dependencies.AddAsync(new TaskDependency("task_a", "task_b"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_1", "task_a", "work"), Ct);
            await unit.Events.AppendAsync(NewEvent(EventKinds.TaskCreated, "task_a"), Ct);
            await unit.Idempotency.InsertAsync(new IdempotencyRecord(WorkspaceId, "key-1", "tool", "hash", "{}", "text", Time.Now()), Ct);
        }

        await using var read = await Store.BeginReadAsync(Ct);
        (await read.Tasks.GetAllNodesAsync(Ct)).ShouldBeEmpty();
        (await read.Dependencies.GetAllAsync(Ct)).ShouldBeEmpty();
        (await read.Artifacts.GetTotalsAsync(Ct)).ShouldBe((0, 0L));
        (await read.Events.GetAfterAsync(0, 10, Ct)).ShouldBeEmpty();
        (await read.Sessions.GetAsync("ses_1", Ct)).ShouldBeNull();
        (await read.Idempotency.GetAsync("key-1", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task BeginWriteAsync_OperationFailsMidUnit_EarlierChangesOfTheUnitAreRolledBack()
    {
        await InsertAsync(NewTask("task_existing"));

        await Should.ThrowAsync<OrchestratorException>(async () => await WriteAsync(async unit =>
        {
            await unit.Tasks.InsertAsync(NewTask("task_new"), Ct);
            await unit.Tasks.UpdateAsync(NewTask("task_existing") with { Title = "stale write", Version = 6 }, expectedVersion: 5, Ct);
        }));

        (await GetTaskAsync("task_new")).ShouldBeNull();
        (await GetTaskAsync("task_existing"))!.Title.ShouldBe("Task task_existing");
    }

    [Fact]
    public async Task UpdateAsync_StaleVersionAmongOtherWrites_UnitFailsByItsCommitAndStoresNoneOfIt()
    {
        var task = NewTask("task_1");
        await InsertAsync(task);
        await WriteAsync(unit => unit.Tasks.UpdateAsync(task with { Title = "first", Version = 2 }, 1, Ct));

        // A store may send writes late (with the next read or the commit); the conflict still fails the
        // unit, and the writes around it are not stored.
        var ex = await Should.ThrowAsync<OrchestratorException>(async () =>
            await WriteAsync(async unit =>
            {
                await unit.Tasks.InsertAsync(NewTask("task_2"), Ct);
                await unit.Events.AppendAsync(NewEvent("before"), Ct);
                await unit.Tasks.UpdateAsync(task with { Title = "second", Version = 2 }, 1, Ct);
                await unit.Agents.SaveAsync(NewAgent("agent-after"), Ct);
                await unit.Events.AppendAsync(NewEvent("after"), Ct);
            }));

        ex.Error.Code.ShouldBe(ErrorCodes.VersionConflict);
        ex.Error.Details!["current_version"]!.GetValue<long>().ShouldBe(2);
        (await GetTaskAsync("task_1"))!.Title.ShouldBe("first");
        (await GetTaskAsync("task_2")).ShouldBeNull();
        (await ReadAsync(unit => unit.Events.GetAfterAsync(0, 10, Ct))).ShouldBeEmpty();
        (await ReadAsync(unit => unit.Agents.GetAsync("agent-after", Ct))).ShouldBeNull();
    }

    [Fact]
    public async Task ReadsInAWriteUnit_AfterItsWrites_SeeEveryOneOfThem()
    {
        var task = NewTask("task_1");
        await WriteAsync(async unit =>
        {
            await unit.Tasks.InsertAsync(task, Ct);
            await unit.Tasks.UpdateAsync(task with { Title = "changed", Version = 2 }, 1, Ct);
            await unit.Events.AppendAsync(NewEvent("e1", "task_1"), Ct);
            await unit.Agents.SaveAsync(NewAgent("agent-1"), Ct);

            (await unit.Tasks.GetAsync("task_1", Ct))!.Title.ShouldBe("changed");
            (await unit.Events.GetForTasksAsync(["task_1"], 10, Ct)).Select(e => e.Kind).ShouldBe(["e1"]);
            (await unit.Agents.GetManyAsync(["agent-1"], Ct)).ShouldHaveSingleItem().Id.ShouldBe("agent-1");
        });

        (await GetTaskAsync("task_1"))!.Version.ShouldBe(2);
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ThrowsVersionConflictWithTheCurrentVersion()
    {
        var task = NewTask("task_1");
        await InsertAsync(task);
        await WriteAsync(unit => unit.Tasks.UpdateAsync(task with { Title = "first", Version = 2 }, 1, Ct));

        var ex = await Should.ThrowAsync<OrchestratorException>(async () =>
            await WriteAsync(unit => unit.Tasks.UpdateAsync(task with { Title = "second", Version = 2 }, 1, Ct)));

        ex.Error.Code.ShouldBe(ErrorCodes.VersionConflict);
        ex.Error.Field.ShouldBe("expected_version");
        ex.Error.Details.ShouldNotBeNull();
        ex.Error.Details["current_version"]!.GetValue<long>().ShouldBe(2);
        ex.Error.Details["expected_version"]!.GetValue<long>().ShouldBe(1);
        (await GetTaskAsync("task_1"))!.Title.ShouldBe("first");
    }

    [Fact]
    public async Task BeginReadAsync_IsWriteFalse_BeginWriteAsyncIsWriteTrue()
    {
        await using (var read = await Store.BeginReadAsync(Ct))
        {
            read.IsWrite.ShouldBeFalse();
        }

        await using var write = await Store.BeginWriteAsync(Ct);
        write.IsWrite.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(WriteMethods), MemberType = typeof(StoreContractTests))]
    public async Task BeginReadAsync_WriteMethodCalled_ThrowsInvalidOperationException(string method)
    {
        var task = NewTask("task_1");
        var session = NewSession("ses_1");
        await InsertAsync(task, NewTask("task_2"));
        await WriteAsync(unit => unit.Sessions.InsertAsync(session, Ct));
        await using var unit = await Store.BeginReadAsync(Ct);

        await Should.ThrowAsync<InvalidOperationException>(async () => await (method switch
        {
            "tasks.insert" => unit.Tasks.InsertAsync(NewTask("task_3"), Ct),
            "tasks.update" => unit.Tasks.UpdateAsync(task with { Version = 2 }, 1, Ct),
            "tasks.delete" => unit.Tasks.DeleteAsync(["task_1"], Ct),
            "dependencies.add" => unit.Dependencies.AddAsync(new TaskDependency("task_1", "task_2"), Ct),
            "dependencies.remove" => unit.Dependencies.RemoveAsync("task_1", "task_2", Ct),
            "artifacts.insert" => unit.Artifacts.InsertAsync(NewArtifact("art_1", "task_1", "x"), Ct),
            "artifacts.delete" => unit.Artifacts.DeleteForTasksAsync(["task_1"], Ct),
            "events.append" => unit.Events.AppendAsync(NewEvent("kind"), Ct),
            "sessions.insert" => unit.Sessions.InsertAsync(NewSession("ses_2"), Ct),
            "sessions.update" => unit.Sessions.UpdateAsync(session with { Version = 2 }, 1, Ct),
            "sessions.touch" => unit.Sessions.TouchAsync("ses_1", Start.AddDays(1), Ct),
            "sessions.delete" => unit.Sessions.DeleteAsync("ses_1", Ct),
            "idempotency.insert" => unit.Idempotency.InsertAsync(new IdempotencyRecord(WorkspaceId, "k", "t", "h", "{}", "x", Start), Ct),
            "commit" => unit.CommitAsync(Ct).AsTask(),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown write method"),
        }));

        (await GetTaskAsync("task_1")).ShouldBe(task);
        (await ReadAsync(u => u.Sessions.GetAsync("ses_1", Ct))).ShouldBe(session);
    }

    [Fact]
    public async Task BeginReadAsync_WriterCommitsMeanwhile_ReadUnitKeepsItsSnapshotAndDoesNotBlockTheWriter()
    {
        var task = NewTask("task_1");
        await InsertAsync(task);
        await using var read = await Store.BeginReadAsync(Ct);
        (await read.Tasks.GetAsync("task_1", Ct))!.Version.ShouldBe(1);

        await WriteAsync(unit => unit.Tasks.UpdateAsync(task with { Title = "changed", Version = 2 }, 1, Ct));

        (await read.Tasks.GetAsync("task_1", Ct))!.Version.ShouldBe(1);
        (await GetTaskAsync("task_1"))!.Version.ShouldBe(2);
    }

    [Fact]
    public async Task BeginWriteAsync_TwoThreadsIncrementingOneTask_NoUpdateIsLost()
    {
        const int PerThread = 20;
        await InsertAsync(NewTask("task_counter", "0"));

        async Task IncrementAsync()
        {
            for (int i = 0; i < PerThread; i++)
            {
                // Read-modify-write inside one unit: correct only if write units serialize.
                await using var unit = await Store.BeginWriteAsync(Ct);
                var current = (await unit.Tasks.GetAsync("task_counter", Ct))!;
                int count = int.Parse(current.Title, System.Globalization.CultureInfo.InvariantCulture);
                var next = current with { Title = (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Version = current.Version + 1 };
                await unit.Tasks.UpdateAsync(next, current.Version, Ct);
                await unit.CommitAsync(Ct);
            }
        }

        await Task.WhenAll(Task.Run(IncrementAsync, Ct), Task.Run(IncrementAsync, Ct));

        var final = await GetTaskAsync("task_counter");
        final!.Title.ShouldBe("40");
        final.Version.ShouldBe(41);
    }

    [Fact]
    public async Task CommitAsync_WriteUnit_ChangesVisibleToUnitsBegunAfterwards()
    {
        await using (var unit = await Store.BeginWriteAsync(Ct))
        {
            await unit.Tasks.InsertAsync(NewTask("task_1"), Ct);
            await unit.CommitAsync(Ct);
        }

        (await GetTaskAsync("task_1")).ShouldNotBeNull();
        await using var write = await Store.BeginWriteAsync(Ct);
        (await write.Tasks.GetAsync("task_1", Ct)).ShouldNotBeNull();
    }
}
