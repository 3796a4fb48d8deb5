using Shouldly;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

// Server instances: registration, heartbeats, state changes and the listing the cleanup pass reads.
public abstract partial class StoreContractTests
{
    public static TheoryData<InstanceState, bool> HeartbeatAcceptedByState { get; } = new()
    {
        { InstanceState.Running, true },
        { InstanceState.Stopping, true },
        { InstanceState.Stopped, false },
        { InstanceState.Dead, false },
    };

    [Fact]
    public async Task UpsertAsync_NewInstanceWithEveryFieldSet_GetAsyncReturnsAnEqualRecord()
    {
        var instance = NewInstance("inst_full") with
        {
            Role = InstanceRole.Worker,
            ParentId = "inst_supervisor",
            Host = "build-host.example",
            ProcessId = 4_321,
            ProcessStartedAt = 9_876_543_210L,
            Executable = "/opt/task-orchestrator/task-orchestrator.dll",
            Version = "0.3.0+3f2a1c9",
            State = InstanceState.Stopped,
            StartedAt = Start.AddMinutes(1),
            HeartbeatAt = Start.AddMinutes(2),
            StoppedAt = Start.AddMinutes(3),
            Detail = "stopped after end of stdin",
        };

        await WriteAsync(unit => unit.Instances.UpsertAsync(instance, Ct));

        (await GetInstanceAsync("inst_full")).ShouldBe(instance);
    }

    [Fact]
    public async Task UpsertAsync_IdAlreadyRegistered_ReplacesEveryField()
    {
        await WriteAsync(unit => unit.Instances.UpsertAsync(NewInstance("inst_1") with { State = InstanceState.Dead, StoppedAt = Start.AddMinutes(1), Detail = "heartbeat expired" }, Ct));
        var replacement = NewInstance("inst_1") with
        {
            Role = InstanceRole.Supervisor,
            ParentId = null,
            Host = "other-host",
            ProcessId = 77,
            ProcessStartedAt = 12,
            Executable = "/usr/bin/task-orchestrator",
            Version = "0.4.0",
            State = InstanceState.Running,
            StartedAt = Start.AddHours(1),
            HeartbeatAt = Start.AddHours(1).AddSeconds(5),
            StoppedAt = null,
            Detail = null,
        };

        await WriteAsync(unit => unit.Instances.UpsertAsync(replacement, Ct));

        (await GetInstanceAsync("inst_1")).ShouldBe(replacement);
        (await ReadAsync(unit => unit.Instances.ListAsync(includeEnded: true, 10, Ct))).Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetAsync_UnknownInstance_ReturnsNull()
    {
        await WriteAsync(unit => unit.Instances.UpsertAsync(NewInstance("inst_1"), Ct));

        (await GetInstanceAsync("inst_2")).ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(HeartbeatAcceptedByState), MemberType = typeof(StoreContractTests))]
    public async Task HeartbeatAsync_InstanceInState_AcceptedOnlyWhileRunningOrStopping(InstanceState state, bool accepted)
    {
        var instance = NewInstance("inst_1") with { State = state };
        await WriteAsync(unit => unit.Instances.UpsertAsync(instance, Ct));
        var at = Start.AddSeconds(30);

        bool result = false;
        await WriteAsync(async unit => result = await unit.Instances.HeartbeatAsync("inst_1", at, Ct));

        result.ShouldBe(accepted);
        (await GetInstanceAsync("inst_1")).ShouldBe(accepted ? instance with { HeartbeatAt = at } : instance);
    }

    [Fact]
    public async Task HeartbeatAsync_UnknownInstance_ReturnsFalseAndRegistersNothing()
    {
        bool result = true;
        await WriteAsync(async unit => result = await unit.Instances.HeartbeatAsync("inst_missing", Start.AddSeconds(1), Ct));

        result.ShouldBeFalse();
        (await GetInstanceAsync("inst_missing")).ShouldBeNull();
    }

    [Theory]
    [InlineData(InstanceState.Stopped)]
    [InlineData(InstanceState.Dead)]
    public async Task SetStateAsync_EndedState_RecordsStateDetailAndStoppedAt(InstanceState state)
    {
        var instance = NewInstance("inst_1");
        await WriteAsync(unit => unit.Instances.UpsertAsync(instance, Ct));
        var at = Start.AddMinutes(5);

        await WriteAsync(unit => unit.Instances.SetStateAsync("inst_1", state, at, "the reason", Ct));

        (await GetInstanceAsync("inst_1")).ShouldBe(instance with { State = state, StoppedAt = at, Detail = "the reason" });
    }

    [Theory]
    [InlineData(InstanceState.Running)]
    [InlineData(InstanceState.Stopping)]
    public async Task SetStateAsync_StateNotEnded_RecordsStateAndDetailWithoutStoppedAt(InstanceState state)
    {
        var instance = NewInstance("inst_1") with { State = InstanceState.Running };
        await WriteAsync(unit => unit.Instances.UpsertAsync(instance, Ct));

        await WriteAsync(unit => unit.Instances.SetStateAsync("inst_1", state, Start.AddMinutes(5), "draining", Ct));

        (await GetInstanceAsync("inst_1")).ShouldBe(instance with { State = state, StoppedAt = null, Detail = "draining" });
    }

    [Fact]
    public async Task SetStateAsync_EndedInstanceRunningAgain_ClearsStoppedAt()
    {
        var instance = NewInstance("inst_1");
        await WriteAsync(unit => unit.Instances.UpsertAsync(instance, Ct));
        await WriteAsync(unit => unit.Instances.SetStateAsync("inst_1", InstanceState.Dead, Start.AddMinutes(1), "heartbeat expired", Ct));

        // A process wrongly found dead that proves it is alive: its row must not claim both.
        await WriteAsync(unit => unit.Instances.SetStateAsync("inst_1", InstanceState.Running, Start.AddMinutes(2), null, Ct));

        (await GetInstanceAsync("inst_1")).ShouldBe(instance with { State = InstanceState.Running, StoppedAt = null, Detail = null });
    }

    [Fact]
    public async Task SetStateAsync_UnknownInstance_ChangesNothing()
    {
        var instance = NewInstance("inst_1");
        await WriteAsync(unit => unit.Instances.UpsertAsync(instance, Ct));

        await WriteAsync(unit => unit.Instances.SetStateAsync("inst_missing", InstanceState.Dead, Start.AddMinutes(1), "gone", Ct));

        (await GetInstanceAsync("inst_missing")).ShouldBeNull();
        (await ReadAsync(unit => unit.Instances.ListAsync(includeEnded: true, 10, Ct))).ShouldBe([instance]);
    }

    [Fact]
    public async Task ListAsync_WithoutEnded_RunningAndStoppingOnlyNewestHeartbeatFirst()
    {
        await SeedInstancesAsync();

        var listed = await ReadAsync(unit => unit.Instances.ListAsync(includeEnded: false, 10, Ct));

        listed.Select(i => i.Id).ShouldBe(["inst_stopping_new", "inst_running_mid", "inst_running_old"]);
    }

    [Fact]
    public async Task ListAsync_IncludeEnded_LiveOnesFirstThenEndedOnesNewestHeartbeatFirst()
    {
        await SeedInstancesAsync();

        var listed = await ReadAsync(unit => unit.Instances.ListAsync(includeEnded: true, 10, Ct));

        // The ended ones heartbeat more recently than every live one, yet come after them.
        listed.Select(i => i.Id).ShouldBe(["inst_stopping_new", "inst_running_mid", "inst_running_old", "inst_dead_newest", "inst_stopped"]);
    }

    [Fact]
    public async Task ListAsync_Limit_ReturnsTheFirstInstancesOfTheOrder()
    {
        await SeedInstancesAsync();

        var live = await ReadAsync(unit => unit.Instances.ListAsync(includeEnded: false, 2, Ct));
        var all = await ReadAsync(unit => unit.Instances.ListAsync(includeEnded: true, 4, Ct));

        live.Select(i => i.Id).ShouldBe(["inst_stopping_new", "inst_running_mid"]);
        all.Select(i => i.Id).ShouldBe(["inst_stopping_new", "inst_running_mid", "inst_running_old", "inst_dead_newest"]);
    }

    [Fact]
    public async Task ListAsync_NoInstances_ReturnsEmpty()
    {
        (await ReadAsync(unit => unit.Instances.ListAsync(includeEnded: true, 10, Ct))).ShouldBeEmpty();
    }

    /// <summary>A running standalone instance of this test's workspace, heartbeating at <see cref="Start"/>.</summary>
    protected ServerInstanceRecord NewInstance(string id) => new()
    {
        Id = id,
        WorkspaceId = WorkspaceId,
        Role = InstanceRole.Standalone,
        Host = "host-1",
        ProcessId = 1_000,
        ProcessStartedAt = 123_456,
        Executable = "/usr/lib/task-orchestrator/task-orchestrator.dll",
        Version = "0.1.0",
        StartedAt = Start,
        HeartbeatAt = Start,
    };

    private Task<ServerInstanceRecord?> GetInstanceAsync(string id) => ReadAsync(unit => unit.Instances.GetAsync(id, Ct));

    private Task SeedInstancesAsync() => WriteAsync(async unit =>
    {
        await unit.Instances.UpsertAsync(NewInstance("inst_running_old") with { HeartbeatAt = Start.AddSeconds(10) }, Ct);
        await unit.Instances.UpsertAsync(NewInstance("inst_stopped") with { State = InstanceState.Stopped, HeartbeatAt = Start.AddSeconds(40), StoppedAt = Start.AddSeconds(41) }, Ct);
        await unit.Instances.UpsertAsync(NewInstance("inst_running_mid") with { HeartbeatAt = Start.AddSeconds(20) }, Ct);
        await unit.Instances.UpsertAsync(NewInstance("inst_dead_newest") with { State = InstanceState.Dead, HeartbeatAt = Start.AddSeconds(50), StoppedAt = Start.AddSeconds(90) }, Ct);
        await unit.Instances.UpsertAsync(NewInstance("inst_stopping_new") with { State = InstanceState.Stopping, HeartbeatAt = Start.AddSeconds(30) }, Ct);
    });

    [Fact]
    public async Task DeleteEndedBeforeAsync_MixedInstances_DeletesOnlyEndedOnesPastTheCutoffThatHoldNoWork()
    {
        var cutoff = Start.AddDays(7);
        await WriteAsync(async unit =>
        {
            await unit.Instances.UpsertAsync(NewInstance("inst_old_dead") with { State = InstanceState.Dead, HeartbeatAt = Start }, Ct);
            await unit.Instances.UpsertAsync(NewInstance("inst_old_stopped") with { State = InstanceState.Stopped, HeartbeatAt = Start.AddDays(1) }, Ct);
            await unit.Instances.UpsertAsync(NewInstance("inst_old_dead_holding") with { State = InstanceState.Dead, HeartbeatAt = Start }, Ct);
            await unit.Instances.UpsertAsync(NewInstance("inst_recent_dead") with { State = InstanceState.Dead, HeartbeatAt = cutoff }, Ct);
            await unit.Instances.UpsertAsync(NewInstance("inst_old_running") with { State = InstanceState.Running, HeartbeatAt = Start }, Ct);
        });
        await InsertAsync(InProgress("task_held", "inst_old_dead_holding", Start.AddDays(30)));

        int deleted = 0;
        await WriteAsync(async unit => deleted = await unit.Instances.DeleteEndedBeforeAsync(cutoff, 10, Ct));

        deleted.ShouldBe(2);
        var left = await ReadAsync(unit => unit.Instances.ListAsync(includeEnded: true, 10, Ct));
        left.Select(i => i.Id).Order(StringComparer.Ordinal).ShouldBe(["inst_old_dead_holding", "inst_old_running", "inst_recent_dead"]);
    }

    [Fact]
    public async Task GetHolderInstanceIdsAsync_TasksInProgressAndNot_ListsEachHolderOfWorkInProgressOnce()
    {
        await InsertAsync(
            InProgress("task_1", "inst_a", Start.AddHours(1)),
            InProgress("task_2", "inst_a", Start.AddHours(1)),
            InProgress("task_3", "inst_b", Start.AddHours(1)),
            NewTask("task_4"),
            NewTask("task_5") with { Status = TaskItemStatus.Completed, HolderInstanceId = "inst_c" });

        var holders = await ReadAsync(unit => unit.Tasks.GetHolderInstanceIdsAsync(10, Ct));

        holders.Order(StringComparer.Ordinal).ShouldBe(["inst_a", "inst_b"]);
    }
}
