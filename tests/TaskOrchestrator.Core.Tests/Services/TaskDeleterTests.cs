using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Core.Tasks.Removal;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class TaskDeleterTests : ServiceTests
{
    [Fact]
    public async Task DeleteAsync_TaskHasDependentsWithoutForce_ThrowsHasDependentsAndDeletesNothing()
    {
        var target = (await PlanTasksAsync("Target"))[0];
        var dependent = (await PlanAsync(new TaskSpec { Title = "Dependent", Dependencies = [target] })).Root.Task.Id;

        var ex = await Should.ThrowAsync<OrchestratorException>(() => DeleteAsync(target, force: false));

        ex.Error.Code.ShouldBe(ErrorCodes.HasDependents);
        ex.Error.Message.ShouldBe($"1 tasks depend on '{target}' ({dependent}); it is not deleted without force.");
        ex.Error.Allowed.ShouldBe(["true"]);
        (await FindTaskAsync(target)).ShouldNotBeNull();
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).Count.ShouldBe(1);
    }

    [Fact]
    public async Task DeleteAsync_TaskHasSubtasksWithoutForce_ThrowsHasChildren()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Child" }] });

        var ex = await Should.ThrowAsync<OrchestratorException>(() => DeleteAsync(plan.Root.Task.Id, force: false));

        ex.Error.Code.ShouldBe(ErrorCodes.HasChildren);
        ex.Error.Details!["subtasks"]!.ToJsonString().ShouldBe($"""["{plan.Subtasks[0].Task.Id}"]""");
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Count.ShouldBe(2);
    }

    [Fact]
    public async Task DeleteAsync_TaskInProgressWithoutForce_ThrowsTaskHeld()
    {
        var id = (await PlanTasksAsync("Running"))[0];
        await StartAsync(id);

        var ex = await Should.ThrowAsync<OrchestratorException>(() => DeleteAsync(id, force: false));

        ex.Error.Code.ShouldBe(ErrorCodes.TaskHeld);
        ex.Error.Message.ShouldBe($"Task '{id}' is in progress by 'agent-1'; it is not deleted without force.");
    }

    [Fact]
    public async Task DeleteAsync_LeafWithoutDependents_DeletesItWithoutForce()
    {
        var ids = await PlanTasksAsync("Leaf", "Kept");

        var outcome = await DeleteAsync(ids[0], force: false);

        (outcome.Action, outcome.ArtifactsDeleted).ShouldBe(("deleted", 0));
        outcome.TaskIds.ShouldBe([ids[0]]);
        outcome.UnlinkedDependencies.ShouldBeEmpty();
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Select(n => n.Id).ShouldBe([ids[1]]);
    }

    [Fact]
    public async Task DeleteAsync_Forced_DeletesTheSubtreeItsArtifactsAndUnlinksOutsideDependents()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Child", Subtasks = [new TaskSpec { Title = "Grandchild" }] }] });
        var (parent, child, grandchild) = (plan.Root.Task.Id, plan.Subtasks[0].Task.Id, plan.Subtasks[1].Task.Id);
        await FinishAsync(grandchild, "result");
        var dependent = (await PlanAsync(new TaskSpec { Title = "Outside", Dependencies = [child] })).Root.Task.Id;
        var untouched = (await PlanTasksAsync("Untouched"))[0];
        Time.Advance(TimeSpan.FromMinutes(1));
        var eventsBefore = (await EventsAsync()).Count;

        var outcome = await DeleteAsync(parent, force: true);

        outcome.Action.ShouldBe("deleted");
        outcome.TaskIds.ShouldBe([parent, child, grandchild]);
        outcome.UnlinkedDependencies.ShouldBe([new TaskDependency(dependent, child)]);
        outcome.ArtifactsDeleted.ShouldBe(1);
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Select(n => n.Id).ShouldBe([dependent, untouched]);
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).ShouldBeEmpty();
        (await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct))).Count.ShouldBe(0);
        var outside = await GetTaskAsync(dependent);
        (outside.Version, outside.UpdatedAt).ShouldBe((2L, Start.AddMinutes(1)));
        (await EventsAsync()).Skip(eventsBefore).Select(e => (e.Kind, e.TaskId)).ShouldBe(
        [
            (EventKinds.DependencyRemoved, dependent),
            (EventKinds.TaskDeleted, parent),
            (EventKinds.TaskDeleted, child),
            (EventKinds.TaskDeleted, grandchild),
        ]);
    }

    [Fact]
    public async Task DeleteAsync_ArchiveInsteadForced_ArchivesTheSubtreeReleasingWorkInProgress()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Done" }, new TaskSpec { Title = "Running" }] });
        var (parent, done, running) = (plan.Root.Task.Id, plan.Subtasks[0].Task.Id, plan.Subtasks[1].Task.Id);
        await FinishAsync(done);
        await StartAsync(running);
        var eventsBefore = (await EventsAsync()).Count;

        var outcome = await DeleteAsync(parent, force: true, archiveInstead: true);

        outcome.Action.ShouldBe("archived");
        outcome.TaskIds.ShouldBe([parent, done, running]);
        outcome.ArtifactsDeleted.ShouldBe(0);
        foreach (var id in outcome.TaskIds)
        {
            (await GetTaskAsync(id)).Status.ShouldBe(TaskItemStatus.Archived);
        }

        (await GetTaskAsync(done)).SatisfiesDependents.ShouldBeTrue();
        (await GetTaskAsync(running)).AssignedAgent.ShouldBeNull();
        (await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct))).Count.ShouldBe(1);
        (await EventsAsync()).Skip(eventsBefore).Select(e => (e.TaskId, e.From, e.To)).ShouldBe(
        [
            (parent, "pending", "archived"),
            (done, "completed", "archived"),
            (running, "in_progress", "pending"),
            (running, "pending", "archived"),
        ]);
    }

    [Fact]
    public async Task DeleteAsync_ArchiveInsteadWithDependentsButNoSubtasks_ArchivesWithoutForceAndKeepsTheEdges()
    {
        var target = (await PlanTasksAsync("Target"))[0];
        var dependent = (await PlanAsync(new TaskSpec { Title = "Dependent", Dependencies = [target] })).Root.Task.Id;

        var outcome = await DeleteAsync(target, force: false, archiveInstead: true);

        outcome.TaskIds.ShouldBe([target]);
        (await GetTaskAsync(target)).Status.ShouldBe(TaskItemStatus.Archived);
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).ShouldBe([new TaskDependency(dependent, target)]);
    }

    private Task<DeleteOutcome> DeleteAsync(string taskId, bool force, bool archiveInstead = false) =>
        WriteAsync(unit => new TaskDeleter(Time).DeleteAsync(unit, taskId, force, archiveInstead, Agent, Ct));
}
