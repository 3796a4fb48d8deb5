using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class SessionServiceTests : ServiceTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public async Task CreateAsync_Name_StoresAnActiveSessionAndRecordsTheEvent()
    {
        var session = await CreateAsync("  Refactor parser  ", "claude-code 1.0");

        (await ReadAsync(unit => unit.Sessions.GetAsync(session.Id, Ct))).ShouldBe(new SessionRecord
        {
            Id = session.Id,
            WorkspaceId = Store.Workspace.Id,
            Name = "Refactor parser",
            ClientInfo = "claude-code 1.0",
            CreatedAt = Start,
            LastActivityAt = Start,
        });
        var created = (await EventsAsync()).ShouldHaveSingleItem();
        (created.Kind, created.SessionId, created.Actor, created.DataJson).ShouldBe((EventKinds.SessionCreated, session.Id, session.Id, """{"name":"Refactor parser"}"""));
    }

    [Theory]
    [InlineData("", ErrorCodes.MissingArgument)]
    [InlineData("   ", ErrorCodes.MissingArgument)]
    public async Task CreateAsync_BlankName_ThrowsMissingArgument(string name, string code)
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => CreateAsync(name));

        ex.Error.Code.ShouldBe(code);
        ex.Error.Field.ShouldBe("session_name");
    }

    [Fact]
    public async Task CreateAsync_NameOverTheLimit_ThrowsTooLarge()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => CreateAsync(new string('n', Limits.SessionNameLength + 1)));

        ex.Error.Code.ShouldBe(ErrorCodes.TooLarge);
    }

    [Fact]
    public async Task CleanupAsync_All_DeletesEmptyArchivesCompletedWithTasksArchivesInactiveAndSkipsRecent()
    {
        var seed = await SeedAsync();

        var items = await CleanupAsync(SessionCleanupType.All, dryRun: false);

        items.Select(i => (i.Session.Id, i.Rule, i.Action, i.TaskCount, i.TasksArchived)).ShouldBe(
        [
            (seed.Empty, "empty", "deleted", 0, 0),
            (seed.Finished, "completed", "archived_with_tasks", 3, 2),
            (seed.Inactive, "inactive", "archived", 2, 0),
        ], ignoreOrder: true);
        (await ReadAsync(unit => unit.Sessions.GetAsync(seed.Empty, Ct))).ShouldBeNull();
        (await SessionStatusAsync(seed.Finished)).ShouldBe(SessionStatus.Archived);
        (await SessionStatusAsync(seed.Inactive)).ShouldBe(SessionStatus.Archived);
        (await SessionStatusAsync(seed.Recent)).ShouldBe(SessionStatus.Active);
        (await ReadAsync(unit => unit.Tasks.CountByStatusAsync(seed.Finished, Ct))).ShouldBe([KeyValuePair.Create(TaskItemStatus.Archived, 3)]);
        (await ReadAsync(unit => unit.Tasks.CountByStatusAsync(seed.Inactive, Ct))).OrderBy(p => p.Key).ShouldBe(
            [KeyValuePair.Create(TaskItemStatus.Pending, 1), KeyValuePair.Create(TaskItemStatus.Completed, 1)]);
    }

    [Fact]
    public async Task CleanupAsync_CompletedTasksArchivedWithTheirSession_StillSatisfyTheirDependents()
    {
        var seed = await SeedAsync();

        await CleanupAsync(SessionCleanupType.Completed, dryRun: false);

        (await GetTaskAsync(seed.FinishedCompletedTask)).SatisfiesDependents.ShouldBeTrue();
    }

    [Theory]
    [InlineData(SessionCleanupType.Empty, "empty")]
    [InlineData(SessionCleanupType.Completed, "completed")]
    [InlineData(SessionCleanupType.Inactive, "inactive")]
    public async Task CleanupAsync_OneRule_AppliesOnlyThatRule(SessionCleanupType type, string rule)
    {
        var seed = await SeedAsync();

        var items = await CleanupAsync(type, dryRun: false);

        // Alone, the inactive rule covers every active session past the age threshold, whatever its tasks.
        var expected = type == SessionCleanupType.Inactive ? new[] { seed.Empty, seed.Finished, seed.Inactive } : [rule == "empty" ? seed.Empty : seed.Finished];
        items.Select(i => i.Session.Id).ShouldBe(expected, ignoreOrder: true);
        items.Select(i => i.Rule).Distinct().ShouldBe([rule]);
        (await SessionStatusAsync(seed.Recent)).ShouldBe(SessionStatus.Active);
    }

    [Fact]
    public async Task CleanupAsync_DryRun_ReportsWhatWouldHappenAndChangesNothing()
    {
        var seed = await SeedAsync();
        var eventsBefore = (await EventsAsync()).Count;
        var nodesBefore = await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct));

        var items = await CleanupAsync(SessionCleanupType.All, dryRun: true);

        items.Select(i => (i.Session.Id, i.Action, i.TasksArchived)).ShouldBe(
            [(seed.Empty, "deleted", 0), (seed.Finished, "archived_with_tasks", 2), (seed.Inactive, "archived", 0)], ignoreOrder: true);
        (await SessionStatusAsync(seed.Empty)).ShouldBe(SessionStatus.Active);
        (await SessionStatusAsync(seed.Finished)).ShouldBe(SessionStatus.Active);
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).ShouldBe(nodesBefore);
        (await EventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task ResumeAsync_ArchivedSession_ReactivatesItAndReportsItsWork()
    {
        var seed = await SeedAsync();
        await CleanupAsync(SessionCleanupType.Inactive, dryRun: false);
        Time.Advance(TimeSpan.FromMinutes(1));

        var overview = await new SessionService(Time, Ids).ResumeAsync(Store, seed.Inactive, Agent, 20, Ct);

        overview.Reactivated.ShouldBeTrue();
        (overview.Session.Status, overview.Session.LastActivityAt).ShouldBe((SessionStatus.Active, Start + Week + TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1)));
        overview.Report.Total.ShouldBe(2);
        overview.Report.Ready.Items.Select(t => t.Title).ShouldBe(["Inactive open"]);
        overview.RecentEvents[0].Kind.ShouldBe(EventKinds.SessionResumed);
        overview.RecentEvents[0].DataJson.ShouldBe("""{"reactivated":true}""");
    }

    [Fact]
    public async Task ResumeAsync_UnknownSession_ThrowsNotFound()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => new SessionService(Time, Ids).ResumeAsync(Store, "ses_missing", Agent, 20, Ct));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
        ex.Error.Field.ShouldBe("session_id");
    }

    [Fact]
    public async Task CleanupAsync_CallersOwnSession_IsNeverCleanedUp()
    {
        var seed = await SeedAsync();

        var items = await CleanupAsync(SessionCleanupType.All, dryRun: false, keepSessionId: seed.Inactive);

        items.Select(i => i.Session.Id).ShouldBe([seed.Empty, seed.Finished], ignoreOrder: true);
        (await SessionStatusAsync(seed.Inactive)).ShouldBe(SessionStatus.Active);
    }

    private Task<SessionRecord> CreateAsync(string name, string? clientInfo = null) =>
        WriteAsync(unit => new SessionService(Time, Ids).CreateAsync(unit, Store.Workspace.Id, name, clientInfo, Ct));

    private Task<IReadOnlyList<SessionCleanupItem>> CleanupAsync(SessionCleanupType type, bool dryRun, string? keepSessionId = null) =>
        new SessionService(Time, Ids).CleanupAsync(Store, type, Week, dryRun, Actor.System, keepSessionId, Ct);

    private async Task<SessionStatus> SessionStatusAsync(string id) => (await ReadAsync(unit => unit.Sessions.GetAsync(id, Ct)))!.Status;

    /// <summary>
    /// Four sessions. Three go quiet at the start: one never planned anything, one whose tasks all
    /// ended (one already archived), one with work still open. Eight days later a fourth starts.
    /// </summary>
    private async Task<Seed> SeedAsync()
    {
        var empty = await CreateAsync("Empty");
        var finished = await CreateAsync("Finished");
        var inactive = await CreateAsync("Inactive");
        var done = (await PlanAsync(new TaskSpec { Title = "Finished done" }, sessionId: finished.Id)).Root.Task.Id;
        var dropped = (await PlanAsync(new TaskSpec { Title = "Finished dropped" }, sessionId: finished.Id)).Root.Task.Id;
        var putAway = (await PlanAsync(new TaskSpec { Title = "Finished put away" }, sessionId: finished.Id)).Root.Task.Id;
        await FinishAsync(done);
        await UpdateStatusAsync(dropped, TaskItemStatus.Cancelled);
        await UpdateStatusAsync(putAway, TaskItemStatus.Archived);
        await PlanAsync(new TaskSpec { Title = "Inactive open" }, sessionId: inactive.Id);
        await FinishAsync((await PlanAsync(new TaskSpec { Title = "Inactive done" }, sessionId: inactive.Id)).Root.Task.Id);
        Time.Advance(Week + TimeSpan.FromDays(1));
        var recent = await CreateAsync("Recent");
        return new Seed(empty.Id, finished.Id, inactive.Id, recent.Id, done);
    }

    private Task<UpdateOutcome> UpdateStatusAsync(string taskId, TaskItemStatus status) =>
        WriteAsync(unit => new TaskEditor(Time).UpdateAsync(unit, new TaskUpdate { TaskId = taskId, Status = status, StatusReason = "not needed" }, Roles, Agent, Ct));

    private sealed record Seed(string Empty, string Finished, string Inactive, string Recent, string FinishedCompletedTask);
}
