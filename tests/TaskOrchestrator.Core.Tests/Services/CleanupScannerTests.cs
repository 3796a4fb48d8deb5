using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class CleanupScannerTests : ServiceTests
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(2);
    private static readonly MaintenanceTarget Workspace = new(MaintenanceScope.Workspace, null, null);

    [Fact]
    public async Task ScanAsync_DryRun_ReportsStaleAndOrphanedWorkAndChangesNothing()
    {
        var seed = await SeedAsync();
        var nodesBefore = await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct));
        var eventsBefore = (await EventsAsync()).Count;

        var report = await ScanAsync(Workspace, dryRun: true);

        report.DryRun.ShouldBeTrue();
        report.Changed.ShouldBe(0);
        report.Stale.Select(i => (i.Task.Id, i.Action, i.Problem)).ShouldBe(
            [(seed.Stale, "reset_to_pending", "in progress by 'agent-1' with no change since 2026-11-21 09:00:00Z (threshold 02:00:00)")]);
        report.Orphans.Select(i => (i.Task.Id, i.Action, i.Problem)).ShouldBe(
        [
            (seed.OrphanPending, "archived", $"parent '{seed.Parent}' has been cancelled, archived or removed, so this work can never roll up"),
            (seed.OrphanRunning, "reported", $"parent '{seed.Parent}' has ended, but the task is in progress by 'agent-1'; left for its agent to finish or cancel"),
        ]);
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).ShouldBe(nodesBefore);
        (await GetTaskAsync(seed.Stale)).Version.ShouldBe(2);
        (await EventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task ScanAsync_NotDryRun_ResetsStaleWorkArchivesOrphansAndLeavesOrphansInProgressToTheirAgent()
    {
        var seed = await SeedAsync();

        var report = await ScanAsync(Workspace, dryRun: false);

        report.Changed.ShouldBe(2);
        var stale = await GetTaskAsync(seed.Stale);
        (stale.Status, stale.AssignedAgent, stale.StatusReason).ShouldBe((TaskItemStatus.Pending, (string?)null,
            "reset by maintenance: in progress by 'agent-1' with no change since 2026-11-21 09:00:00Z (threshold 02:00:00)"));
        var orphan = await GetTaskAsync(seed.OrphanPending);
        (orphan.Status, orphan.StatusReason).ShouldBe((TaskItemStatus.Archived,
            $"archived by maintenance: parent '{seed.Parent}' has been cancelled, archived or removed, so this work can never roll up"));
        (await GetTaskAsync(seed.OrphanRunning)).Status.ShouldBe(TaskItemStatus.InProgress);
        (await GetTaskAsync(seed.Fresh)).Status.ShouldBe(TaskItemStatus.InProgress);
        var events = (await EventsAsync()).TakeLast(2).ToArray();
        events.Select(e => (e.Kind, e.TaskId, e.From, e.To, e.Actor)).ShouldBe(
        [
            (EventKinds.StatusChanged, seed.Stale, "in_progress", "pending", "system"),
            (EventKinds.StatusChanged, seed.OrphanPending, "pending", "archived", "system"),
        ]);
        events[0].DataJson.ShouldStartWith("""{"maintenance":"scan_cleanup","reason":"reset by maintenance: """);
    }

    [Fact]
    public async Task ScanAsync_AgainAfterFixing_FindsOnlyWhatWasLeftToItsAgent()
    {
        var seed = await SeedAsync();
        await ScanAsync(Workspace, dryRun: false);

        var second = await ScanAsync(Workspace, dryRun: false);

        second.Stale.ShouldBeEmpty();
        second.Orphans.Select(i => (i.Task.Id, i.Action)).ShouldBe([(seed.OrphanRunning, "reported")]);
        second.Changed.ShouldBe(0);
    }

    [Fact]
    public async Task ScanAsync_SubtreeScope_OnlyTouchesTasksInsideTheSubtree()
    {
        var seed = await SeedAsync();

        var report = await ScanAsync(new MaintenanceTarget(MaintenanceScope.Subtree, null, seed.Parent), dryRun: false);

        report.Stale.ShouldBeEmpty();
        report.Orphans.Select(i => i.Task.Id).ShouldBe([seed.OrphanPending, seed.OrphanRunning]);
        report.Changed.ShouldBe(1);
        (await GetTaskAsync(seed.Stale)).Status.ShouldBe(TaskItemStatus.InProgress);
    }

    [Fact]
    public async Task ScanAsync_SessionScope_OnlyTouchesTasksOfThatSession()
    {
        var seed = await SeedAsync();

        var report = await ScanAsync(new MaintenanceTarget(MaintenanceScope.Session, seed.Session, null), dryRun: true);

        report.Stale.Select(i => i.Task.Id).ShouldBe([seed.Stale]);
        report.Orphans.ShouldBeEmpty();
    }

    [Fact]
    public async Task ScanAsync_SessionScopeWithoutSession_ThrowsMissingArgument()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => ScanAsync(new MaintenanceTarget(MaintenanceScope.Session, null, null), dryRun: true));

        ex.Error.Code.ShouldBe(ErrorCodes.MissingArgument);
        ex.Error.Field.ShouldBe("session_id");
    }

    [Fact]
    public async Task ScanAsync_SubtreeRootUnknown_ThrowsNotFound()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => ScanAsync(new MaintenanceTarget(MaintenanceScope.Subtree, null, "task_missing"), dryRun: true));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
        ex.Error.Field.ShouldBe("target_task_id");
    }

    private Task<CleanupReport> ScanAsync(MaintenanceTarget target, bool dryRun) =>
        new CleanupScanner(Time).ScanAsync(Store, target, StaleAfter, dryRun, Actor.System, Ct);

    /// <summary>
    /// At 09:00 a task of a session is started and then forgotten; a parent with two subtasks is planned.
    /// Three hours later one subtask and an unrelated task are started (fresh work) and the parent is
    /// archived, stranding its subtasks.
    /// </summary>
    private async Task<Seed> SeedAsync()
    {
        var session = await WriteAsync(unit => new SessionService(Time, Ids).CreateAsync(unit, Store.Workspace.Id, "Night shift", null, Ct));
        var stale = (await PlanAsync(new TaskSpec { Title = "Forgotten" }, sessionId: session.Id)).Root.Task.Id;
        await StartAsync(stale);
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Pending child" }, new TaskSpec { Title = "Running child" }] });
        Time.Advance(TimeSpan.FromHours(3));
        var running = plan.Subtasks[1].Task.Id;
        await StartAsync(running);
        var fresh = (await PlanTasksAsync("Fresh"))[0];
        await StartAsync(fresh);
        await WriteAsync(unit => new TaskEditor(Time).UpdateAsync(unit, new TaskUpdate { TaskId = plan.Root.Task.Id, Status = TaskItemStatus.Archived }, Roles, Agent, Ct));
        return new Seed(session.Id, stale, fresh, plan.Root.Task.Id, plan.Subtasks[0].Task.Id, running);
    }

    private sealed record Seed(string Session, string Stale, string Fresh, string Parent, string OrphanPending, string OrphanRunning);
}
