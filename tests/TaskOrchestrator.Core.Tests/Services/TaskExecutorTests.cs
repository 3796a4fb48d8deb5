using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class TaskExecutorTests : ServiceTests
{
    [Fact]
    public async Task ExecuteAsync_ReadyTask_StartsItForTheAgentAndReturnsItsRole()
    {
        var id = (await PlanAsync(new TaskSpec { Title = "Write tests", Type = TaskType.Testing })).Root.Task.Id;
        Time.Advance(TimeSpan.FromMinutes(2));

        var outcome = await StartAsync(id, "agent-7");

        outcome.AlreadyInProgress.ShouldBeFalse();
        outcome.Role.Name.ShouldBe("tester");
        outcome.RoleMissing.ShouldBeFalse();
        var stored = await GetTaskAsync(id);
        stored.ShouldBe(outcome.Task);
        (stored.Status, stored.AssignedAgent, stored.StartedAt, stored.Version).ShouldBe((TaskItemStatus.InProgress, "agent-7", Start.AddMinutes(2), 2L));
        var started = (await EventsAsync())[^1];
        (started.Kind, started.From, started.To, started.DataJson).ShouldBe((EventKinds.StatusChanged, "pending", "in_progress", """{"agent_id":"agent-7","fence":1,"lease_expires_at":"2026-11-21T10:02:00.0000000\u002B00:00"}"""));
        (stored.LeaseFence, stored.LeaseSeconds, stored.LeaseExpiresAt).ShouldBe((1L, 3600, Start.AddMinutes(2).AddHours(1)));
        outcome.Task.LeaseToken.ShouldBe(stored.LeaseToken);
        LeaseTokens.FenceOf(stored.LeaseToken).ShouldBe(1);
    }

    [Fact]
    public async Task ExecuteAsync_HardDependenciesUnfinished_RefusesNamingEachWithItsStatus()
    {
        var ids = await PlanTasksAsync("Design", "Prototype", "Done already");
        await StartAsync(ids[1]);
        await FinishAsync(ids[2]);
        var task = (await PlanAsync(new TaskSpec { Title = "Build", Dependencies = [ids[0], ids[1], ids[2]] })).Root.Task.Id;

        var ex = await Should.ThrowAsync<OrchestratorException>(() => StartAsync(task));

        ex.Error.Code.ShouldBe(ErrorCodes.DependenciesIncomplete);
        ex.Error.Message.ShouldBe($"Task '{task}' waits for 2 unfinished dependencies: {ids[0]} (pending), {ids[1]} (in_progress).");
        ex.Error.Details!["unfinished_dependencies"]!.ToJsonString().ShouldBe(
            $$"""[{"task_id":"{{ids[0]}}","title":"Design","status":"pending"},{"task_id":"{{ids[1]}}","title":"Prototype","status":"in_progress"}]""");
        (await GetTaskAsync(task)).Status.ShouldBe(TaskItemStatus.Pending);
    }

    [Fact]
    public async Task ExecuteAsync_OnlySoftDependencyUnfinished_Starts()
    {
        var dependency = (await PlanTasksAsync("Nice to have"))[0];
        var task = (await PlanTasksAsync("Main"))[0];
        await WriteAsync(async unit =>
        {
            await unit.Dependencies.AddAsync(new TaskDependency(task, dependency, DependencyKind.Soft), Ct);
            return true;
        });

        var outcome = await StartAsync(task);

        outcome.Task.Status.ShouldBe(TaskItemStatus.InProgress);
        outcome.DependencyResults.Select(d => (d.Task.Id, d.Kind)).ShouldBe([(dependency, DependencyKind.Soft)]);
    }

    [Fact]
    public async Task ExecuteAsync_SameAgentAgain_ReturnsTheContextAndChangesNothing()
    {
        var id = (await PlanTasksAsync("Task"))[0];
        var first = await StartAsync(id, "agent-1");
        var eventsBefore = (await EventsAsync()).Count;
        Time.Advance(TimeSpan.FromMinutes(10));

        var again = await StartAsync(id, "agent-1");

        again.AlreadyInProgress.ShouldBeTrue();
        again.Task.ShouldBe(first.Task);
        (await GetTaskAsync(id)).ShouldBe(first.Task);
        (await EventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task ExecuteAsync_HeldByAnotherAgent_ThrowsTaskHeldNamingTheHolder()
    {
        var id = (await PlanTasksAsync("Task"))[0];
        await StartAsync(id, "agent-1");

        var ex = await Should.ThrowAsync<OrchestratorException>(() => StartAsync(id, "agent-2"));

        ex.Error.Code.ShouldBe(ErrorCodes.TaskHeld);
        ex.Error.Details!["held_by"]!.GetValue<string>().ShouldBe("agent-1");
        (await GetTaskAsync(id)).AssignedAgent.ShouldBe("agent-1");
    }

    [Fact]
    public async Task ExecuteAsync_BlockedTask_ThrowsIllegalTransitionWithTheReason()
    {
        var id = (await PlanTasksAsync("Task"))[0];
        await WriteAsync(unit => new TaskEditor(Time).UpdateAsync(unit, new TaskUpdate { TaskId = id, Status = TaskItemStatus.Blocked, StatusReason = "no access" }, Roles, Agent, Ct));

        var ex = await Should.ThrowAsync<OrchestratorException>(() => StartAsync(id));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        ex.Error.Message.ShouldBe($"Task '{id}' is blocked: no access.");
    }

    [Fact]
    public async Task ExecuteAsync_SubtaskWithCompletedDependency_ReturnsAncestorsChildrenAndTheDependencysWork()
    {
        var plan = await PlanAsync(new TaskSpec
        {
            Title = "Epic",
            Subtasks =
            [
                new TaskSpec { Key = "design", Title = "Design" },
                new TaskSpec { Key = "build", Title = "Build", Dependencies = ["design"], Subtasks = [new TaskSpec { Title = "Step" }] },
            ],
        });
        var (design, build, step) = (plan.Subtasks[0].Task.Id, plan.Subtasks[1].Task.Id, plan.Subtasks[2].Task.Id);
        await FinishAsync(design, "designed", detailedWork: "the full design");

        var outcome = await StartAsync(build);

        outcome.Ancestors.Select(a => a.Id).ShouldBe([plan.Root.Task.Id]);
        outcome.Parent!.Id.ShouldBe(plan.Root.Task.Id);
        outcome.Children.Select(c => c.Id).ShouldBe([step]);
        var dependency = outcome.DependencyResults.ShouldHaveSingleItem();
        dependency.Task.Id.ShouldBe(design);
        dependency.ContentTruncated.ShouldBeFalse();
        dependency.Artifacts.Select(a => (a.Summary, a.Content)).ShouldBe([("designed", "the full design")]);
    }

    [Fact]
    public async Task ExecuteAsync_DependencyArtifactLongerThanTheContextLimit_CutsItAndSaysSo()
    {
        var dependency = (await PlanTasksAsync("Big output"))[0];
        await FinishAsync(dependency, "lots", detailedWork: new string('x', Limits.ContextArtifactLength + 100));
        var task = (await PlanAsync(new TaskSpec { Title = "Reader", Dependencies = [dependency] })).Root.Task.Id;

        var outcome = await StartAsync(task);

        var result = outcome.DependencyResults.ShouldHaveSingleItem();
        result.ContentTruncated.ShouldBeTrue();
        result.Artifacts.ShouldHaveSingleItem().Content!.Length.ShouldBe(Limits.ContextArtifactLength);
    }

    [Fact]
    public async Task ExecuteAsync_RoleNoLongerDefined_FallsBackToGenericAndSaysSo()
    {
        await InsertRawAsync(RawTask("task_custom") with { SpecialistType = "retired_role" });

        var outcome = await StartAsync("task_custom");

        outcome.RoleMissing.ShouldBeTrue();
        outcome.Role.Name.ShouldBe("generic");
    }

    [Fact]
    public async Task ExecuteAsync_UnknownTask_ThrowsNotFound()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => StartAsync("task_missing"));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
    }
}
