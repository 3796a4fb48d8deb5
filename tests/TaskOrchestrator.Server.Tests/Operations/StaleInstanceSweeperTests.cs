using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Operations.Instances;

namespace TaskOrchestrator.Server.Tests.Operations;

public sealed class StaleInstanceSweeperTests : IAsyncLifetime
{
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(2);
    private OperationsWorkspace _workspace = null!;

    public async ValueTask InitializeAsync()
    {
        _workspace = await OperationsWorkspace.OpenAsync();
        _workspace.Options.StaleProcessGrace = TimeSpan.FromMilliseconds(300);
    }

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();

    [Fact]
    public async Task Sweep_StaleRowWhoseProcessIsGone_MarksItDeadAndSendsItsAnonymousWorkBackToPending()
    {
        var gone = await _workspace.RegisterAsync("inst_gone", ChildProcess.GonePid(), 12345, Stale);
        var taskId = await _workspace.HeldTaskAsync("inst_gone", agentId: null);

        var report = await SweepAsync();

        report.MarkedDead.Select(d => (d.Instance.Id, d.Finding)).ShouldBe([("inst_gone", "gone")]);
        var row = (await _workspace.InstanceAsync("inst_gone")).ShouldNotBeNull();
        row.State.ShouldBe(InstanceState.Dead);
        row.StoppedAt.ShouldBe(_workspace.Clock.GetUtcNow());
        row.Detail!.ShouldEndWith($"process {gone.ProcessId} on {gone.Host} no longer exists");
        var task = (await _workspace.TaskAsync(taskId)).ShouldNotBeNull();
        task.Status.ShouldBe(TaskItemStatus.Pending);
        task.HolderInstanceId.ShouldBeNull();
        task.AssignedAgent.ShouldBeNull();
        task.LeaseExpiresAt.ShouldBeNull();
        task.StatusReason.ShouldBe("released: server instance 'inst_gone' that held it is dead");
        var released = (await _workspace.EventsAsync(EventKinds.StatusChanged)).ShouldHaveSingleItem();
        released.TaskId.ShouldBe(taskId);
        (released.From, released.To, released.Actor).ShouldBe(("in_progress", "pending", "system"));
        var data = JsonDocument.Parse(released.DataJson!).RootElement;
        data.GetProperty("released_from_instance").GetString().ShouldBe("inst_gone");
        data.GetProperty("released_from_agent").ValueKind.ShouldBe(JsonValueKind.Null);
        data.GetProperty("cause").GetString().ShouldBe("instance_dead");
        var dead = (await _workspace.EventsAsync(EventKinds.InstanceDead)).ShouldHaveSingleItem();
        JsonDocument.Parse(dead.DataJson!).RootElement.GetProperty("finding").GetString().ShouldBe("gone");
    }

    [Fact]
    public async Task Sweep_StaleRowWhosePidIsNowSleep_MarksItDeadAndLeavesSleepRunning()
    {
        using var sleep = ChildProcess.Sleep();
        await _workspace.RegisterAsync("inst_reused", sleep.Pid, sleep.StartTicks, Stale);

        var report = await SweepAsync();

        report.MarkedDead.Select(d => d.Finding).ShouldBe(["foreign"]);
        (await _workspace.InstanceAsync("inst_reused"))!.State.ShouldBe(InstanceState.Dead);
        sleep.HasExited.ShouldBeFalse();
    }

    [Fact]
    public async Task Sweep_StaleRowOfOurProgramStartedLater_MarksItDeadWithoutSignalling()
    {
        using var later = ChildProcess.OursSleeping();
        await _workspace.RegisterAsync("inst_earlier", later.Pid, later.StartTicks - 100, Stale);

        var report = await SweepAsync();

        report.MarkedDead.Select(d => d.Finding).ShouldBe(["foreign"]);
        later.HasExited.ShouldBeFalse();
    }

    [Fact]
    public async Task Sweep_OurProcessStoppedHeartbeating_TerminatesItMarksItDeadAndReleasesItsWork()
    {
        using var hung = ChildProcess.OursSleeping();
        await _workspace.RegisterAsync("inst_hung", hung.Pid, hung.StartTicks, Stale);
        var taskId = await _workspace.HeldTaskAsync("inst_hung", agentId: null);

        var report = await SweepAsync();

        report.MarkedDead.Select(d => (d.Instance.Id, d.Finding)).ShouldBe([("inst_hung", "terminated")]);
        hung.WaitForExit(TimeSpan.FromSeconds(5)).ShouldBeTrue();
        (await _workspace.InstanceAsync("inst_hung"))!.Detail!.ShouldEndWith("was ours and hung; terminated with SIGTERM");
        (await _workspace.TaskAsync(taskId))!.Status.ShouldBe(TaskItemStatus.Pending);
    }

    [Fact]
    public async Task Sweep_OurProcessIgnoresSigterm_KillsItAfterTheGracePeriod()
    {
        using var stubborn = ChildProcess.OursIgnoringSigterm();
        await _workspace.RegisterAsync("inst_stubborn", stubborn.Pid, stubborn.StartTicks, Stale);

        var report = await SweepAsync();

        report.MarkedDead.Select(d => d.Finding).ShouldBe(["killed"]);
        stubborn.WaitForExit(TimeSpan.FromSeconds(5)).ShouldBeTrue();
        (await _workspace.InstanceAsync("inst_stubborn"))!.State.ShouldBe(InstanceState.Dead);
    }

    [Fact]
    public async Task Sweep_LiveInstanceWithAFreshHeartbeat_IsNeverTouched()
    {
        using var live = ChildProcess.OursSleeping();
        var row = await _workspace.RegisterAsync("inst_live", live.Pid, live.StartTicks, TimeSpan.FromSeconds(5));
        var taskId = await _workspace.HeldTaskAsync("inst_live", "agent-3");

        var report = await SweepAsync();

        report.MarkedDead.ShouldBeEmpty();
        report.Released.ShouldBeEmpty();
        live.HasExited.ShouldBeFalse();
        (await _workspace.InstanceAsync("inst_live")).ShouldBe(row);
        (await _workspace.TaskAsync(taskId))!.Status.ShouldBe(TaskItemStatus.InProgress);
        (await _workspace.EventsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Sweep_HeartbeatJustInsideTheTtl_IsNotStale()
    {
        await _workspace.RegisterAsync("inst_quiet", ChildProcess.GonePid(), 1, _workspace.Options.InstanceTtl - TimeSpan.FromMilliseconds(1));

        var report = await SweepAsync();

        report.MarkedDead.ShouldBeEmpty();
        (await _workspace.InstanceAsync("inst_quiet"))!.State.ShouldBe(InstanceState.Running);
    }

    [Fact]
    public async Task Sweep_StaleRowOfAnotherHost_MarksItDeadWithoutInspecting()
    {
        await _workspace.RegisterAsync("inst_far", Environment.ProcessId, 1, Stale, host: "another-machine");

        var report = await SweepAsync();

        report.MarkedDead.Select(d => d.Finding).ShouldBe(["other_host"]);
    }

    [Fact]
    public async Task Sweep_WorkAnAgentStartedThroughAStoppedInstance_StaysInProgressWithTheAgentUntilItsLeaseEnds()
    {
        var lease = _workspace.Clock.GetUtcNow() + TimeSpan.FromMinutes(20);
        await _workspace.RegisterAsync("inst_stopped", ChildProcess.GonePid(), 1, Stale, InstanceState.Stopped);
        var taskId = await _workspace.HeldTaskAsync("inst_stopped", "agent-4", lease);
        var before = (await _workspace.TaskAsync(taskId))!;

        var report = await SweepAsync();

        report.MarkedDead.ShouldBeEmpty();
        report.Released.Select(r => (r.Task.Id, r.Cause, r.BackToPending)).ShouldBe([(taskId, "instance_stopped", false)]);
        var task = (await _workspace.TaskAsync(taskId))!;
        (task.Status, task.AssignedAgent, task.HolderInstanceId, task.LeaseExpiresAt, task.Version).ShouldBe((TaskItemStatus.InProgress, "agent-4", (string?)null, (DateTimeOffset?)lease, before.Version + 1));
        (await _workspace.EventsAsync(EventKinds.StatusChanged)).ShouldBeEmpty();
        var detached = (await _workspace.EventsAsync(EventKinds.HoldDetached)).ShouldHaveSingleItem();
        detached.TaskId.ShouldBe(taskId);
        var data = JsonDocument.Parse(detached.DataJson!).RootElement;
        (data.GetProperty("released_from_instance").GetString(), data.GetProperty("agent").GetString(), data.GetProperty("cause").GetString())
            .ShouldBe(("inst_stopped", "agent-4", "instance_stopped"));
    }

    [Fact]
    public async Task Sweep_WorkAnAgentStartedWhoseLeaseAlreadyEnded_GoesBackToPending()
    {
        await _workspace.RegisterAsync("inst_stopped", ChildProcess.GonePid(), 1, Stale, InstanceState.Stopped);
        var taskId = await _workspace.HeldTaskAsync("inst_stopped", "agent-5", _workspace.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));

        var report = await SweepAsync();

        report.Released.Select(r => (r.Task.Id, r.Cause, r.BackToPending)).ShouldBe([(taskId, "instance_stopped", true)]);
        var task = (await _workspace.TaskAsync(taskId))!;
        (task.Status, task.AssignedAgent, task.StatusReason).ShouldBe((TaskItemStatus.Pending, (string?)null, "released: server instance 'inst_stopped' that held it has stopped"));
    }

    [Fact]
    public async Task Sweep_RowsOfThisVeryProcess_AreNeverTouched()
    {
        var self = OperationsWorkspace.Self;
        await _workspace.RegisterAsync("inst_self", self.ProcessId, self.ProcessStartTicks, Stale);
        await _workspace.RegisterAsync("inst_other_host_in_this_process", self.ProcessId, self.ProcessStartTicks, Stale);

        var report = await SweepAsync();

        report.MarkedDead.ShouldBeEmpty();
    }

    [Fact]
    public async Task Sweep_InstancesEndedLongAgo_AreDeletedOnceTheirWorkIsReleasedAndRecentOnesKept()
    {
        var retention = StaleInstanceSweeper.EndedInstanceRetention;
        await _workspace.RegisterAsync("inst_ended_long_ago", ChildProcess.GonePid(), 1, retention + TimeSpan.FromHours(1), InstanceState.Stopped);
        await _workspace.RegisterAsync("inst_dead_long_ago_holding", ChildProcess.GonePid(), 1, retention + TimeSpan.FromHours(1), InstanceState.Dead);
        await _workspace.RegisterAsync("inst_ended_recently", ChildProcess.GonePid(), 1, retention - TimeSpan.FromHours(1), InstanceState.Stopped);
        var taskId = await _workspace.HeldTaskAsync("inst_dead_long_ago_holding", agentId: null);

        await SweepAsync();

        (await _workspace.InstanceAsync("inst_ended_long_ago")).ShouldBeNull();
        (await _workspace.InstanceAsync("inst_dead_long_ago_holding")).ShouldBeNull();
        (await _workspace.InstanceAsync("inst_ended_recently")).ShouldNotBeNull();
        var task = (await _workspace.TaskAsync(taskId)).ShouldNotBeNull();
        (task.Status, task.HolderInstanceId).ShouldBe((TaskItemStatus.Pending, null));
        task.StatusReason.ShouldBe("released: server instance 'inst_dead_long_ago_holding' that held it is dead");
    }

    [Fact]
    public async Task SweepStale_StaleRowWhoseProcessIsGone_MarksItDeadAsTheOpeningSweepWould()
    {
        await _workspace.RegisterAsync("inst_alive", Environment.ProcessId, 1, TimeSpan.Zero);
        await _workspace.RegisterAsync("inst_gone", ChildProcess.GonePid(), 12345, Stale);

        var report = await SweepStaleAsync();

        report.MarkedDead.Select(d => (d.Instance.Id, d.Finding)).ShouldBe([("inst_gone", "gone")]);
        (await _workspace.InstanceAsync("inst_gone"))!.State.ShouldBe(InstanceState.Dead);
        (await _workspace.InstanceAsync("inst_alive"))!.State.ShouldBe(InstanceState.Running);
    }

    [Fact]
    public async Task SweepStale_OurProcessStillRunsWithALateHeartbeat_LeavesItRunningAndRegistered()
    {
        using var ours = ChildProcess.OursSleeping();
        await _workspace.RegisterAsync("inst_alive", Environment.ProcessId, 1, TimeSpan.Zero);
        await _workspace.RegisterAsync("inst_late", ours.Pid, ours.StartTicks, Stale);

        var report = await SweepStaleAsync();

        report.MarkedDead.ShouldBeEmpty();
        ours.HasExited.ShouldBeFalse();
        (await _workspace.InstanceAsync("inst_late"))!.State.ShouldBe(InstanceState.Running);
        (await _workspace.EventsAsync(EventKinds.InstanceDead)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SweepStale_EveryHeartbeatEquallyLate_TakesNobodyForDead()
    {
        // A congested store delays every heartbeat alike: measured against the freshest, none is stale.
        await _workspace.RegisterAsync("inst_gone_a", ChildProcess.GonePid(), 12345, Stale);
        await _workspace.RegisterAsync("inst_gone_b", ChildProcess.GonePid(), 12346, Stale);

        var report = await SweepStaleAsync();

        report.MarkedDead.ShouldBeEmpty();
        (await _workspace.InstanceAsync("inst_gone_a"))!.State.ShouldBe(InstanceState.Running);
        (await _workspace.InstanceAsync("inst_gone_b"))!.State.ShouldBe(InstanceState.Running);
    }

    private Task<SweepReport> SweepStaleAsync() =>
        new StaleInstanceSweeper(OperationsWorkspace.Self, new ProcessInspector(), _workspace.Clock, _workspace.OptionsAccessor, NullLogger<StaleInstanceSweeper>.Instance)
            .SweepStaleAsync(_workspace.Store, TestContext.Current.CancellationToken);

    private Task<SweepReport> SweepAsync() =>
        new StaleInstanceSweeper(OperationsWorkspace.Self, new ProcessInspector(), _workspace.Clock, _workspace.OptionsAccessor, NullLogger<StaleInstanceSweeper>.Instance)
            .SweepAsync(_workspace.Store, TestContext.Current.CancellationToken);
}
