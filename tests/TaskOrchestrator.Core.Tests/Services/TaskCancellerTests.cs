using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Core.Tasks.Removal;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class TaskCancellerTests : ServiceTests
{
    [Fact]
    public async Task CancelAsync_CascadeWithoutPreservingWork_CancelsOpenSubtreeDiscardsItsArtifactsAndNamesAffectedDependents()
    {
        var tree = await SeedTreeAsync();

        var outcome = await CancelAsync(tree.Parent, cascade: true, preserveWork: false);

        outcome.CancelledIds.ShouldBe([tree.Parent, tree.Open, tree.Grandchild, tree.Running]);
        outcome.Task.Id.ShouldBe(tree.Parent);
        outcome.ArtifactsDiscarded.ShouldBe(1);
        outcome.AffectedDependents.Select(t => t.Id).ShouldBe(new[] { tree.DependsOnOpen, tree.DependsOnParent }.Order(StringComparer.Ordinal));
        foreach (var id in outcome.CancelledIds)
        {
            var task = await GetTaskAsync(id);
            (task.Status, task.StatusReason, task.AssignedAgent).ShouldBe((TaskItemStatus.Cancelled, "scope cut", (string?)null));
        }

        (await GetTaskAsync(tree.Done)).Status.ShouldBe(TaskItemStatus.Completed);
        var artifacts = await ReadAsync(unit => unit.Artifacts.GetAfterAsync(null, 10, includeContent: false, Ct));
        artifacts.Select(a => a.TaskId).ShouldBe([tree.Done]);
        var events = (await EventsAsync()).TakeLast(5).ToArray();
        events.Select(e => (e.Kind, e.TaskId, e.DataJson)).ShouldBe(
        [
            (EventKinds.StatusChanged, tree.Parent, """{"reason":"scope cut"}"""),
            (EventKinds.StatusChanged, tree.Open, $$"""{"cascade_from":"{{tree.Parent}}","reason":"scope cut"}"""),
            (EventKinds.StatusChanged, tree.Grandchild, $$"""{"cascade_from":"{{tree.Parent}}","reason":"scope cut"}"""),
            (EventKinds.StatusChanged, tree.Running, $$"""{"cascade_from":"{{tree.Parent}}","reason":"scope cut"}"""),
            (EventKinds.ArtifactsDiscarded, tree.Parent, $$"""{"count":1,"task_ids":["{{tree.Parent}}","{{tree.Open}}","{{tree.Grandchild}}","{{tree.Running}}"]}"""),
        ]);
    }

    [Fact]
    public async Task CancelAsync_PreserveWork_KeepsTheArtifactsOfCancelledTasks()
    {
        var tree = await SeedTreeAsync();

        var outcome = await CancelAsync(tree.Parent, cascade: true, preserveWork: true);

        outcome.ArtifactsDiscarded.ShouldBe(0);
        (await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct))).Count.ShouldBe(2);
        (await EventsAsync()).ShouldNotContain(e => e.Kind == EventKinds.ArtifactsDiscarded);
    }

    [Fact]
    public async Task CancelAsync_OpenSubtasksWithoutCascade_ThrowsHasChildrenAndChangesNothing()
    {
        var tree = await SeedTreeAsync();
        var eventsBefore = (await EventsAsync()).Count;

        var ex = await Should.ThrowAsync<OrchestratorException>(() => CancelAsync(tree.Parent, cascade: false, preserveWork: false));

        ex.Error.Code.ShouldBe(ErrorCodes.HasChildren);
        ex.Error.Field.ShouldBe("cascade");
        ex.Error.Details!["open_subtasks"]!.ToJsonString().ShouldBe($"""["{tree.Open}","{tree.Grandchild}","{tree.Running}"]""");
        (await GetTaskAsync(tree.Parent)).Status.ShouldBe(TaskItemStatus.Pending);
        (await EventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task CancelAsync_LeafTask_CancelsOnlyIt()
    {
        var ids = await PlanTasksAsync("Leaf", "Other");

        var outcome = await CancelAsync(ids[0], cascade: false, preserveWork: false);

        outcome.CancelledIds.ShouldBe([ids[0]]);
        outcome.AffectedDependents.ShouldBeEmpty();
        (await GetTaskAsync(ids[1])).Status.ShouldBe(TaskItemStatus.Pending);
    }

    [Fact]
    public async Task CancelAsync_CompletedTask_ThrowsIllegalTransition()
    {
        var id = (await PlanTasksAsync("Done"))[0];
        await FinishAsync(id);

        var ex = await Should.ThrowAsync<OrchestratorException>(() => CancelAsync(id, cascade: true, preserveWork: false));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        (await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct))).Count.ShouldBe(1);
    }

    private Task<CancelOutcome> CancelAsync(string taskId, bool cascade, bool preserveWork) =>
        WriteAsync(unit => new TaskCanceller(Time).CancelAsync(unit, taskId, "scope cut", preserveWork, cascade, Agent, Ct));

    /// <summary>
    /// Parent → done (completed, with an artifact), open (pending, with a revision artifact) → grandchild,
    /// running (in progress); plus two outside tasks that depend on open and on parent.
    /// </summary>
    private async Task<Tree> SeedTreeAsync()
    {
        var plan = await PlanAsync(new TaskSpec
        {
            Title = "Parent",
            Subtasks =
            [
                new TaskSpec { Title = "Done" },
                new TaskSpec { Title = "Open", Subtasks = [new TaskSpec { Title = "Grandchild" }] },
                new TaskSpec { Title = "Running" },
            ],
        });
        var ids = plan.Subtasks.Select(s => s.Task.Id).ToArray();
        var tree = new Tree(plan.Root.Task.Id, ids[0], ids[1], ids[2], ids[3], string.Empty, string.Empty);
        await FinishAsync(tree.Done);
        await StartAsync(tree.Open);
        await CompleteAsync(tree.Open, "try again", NextAction.NeedsRevision);
        await StartAsync(tree.Running);
        var onOpen = (await PlanAsync(new TaskSpec { Title = "Needs open", Dependencies = [tree.Open] })).Root.Task.Id;
        var onParent = (await PlanAsync(new TaskSpec { Title = "Needs parent", Dependencies = [tree.Parent] })).Root.Task.Id;
        return tree with { DependsOnOpen = onOpen, DependsOnParent = onParent };
    }

    private sealed record Tree(string Parent, string Done, string Open, string Grandchild, string Running, string DependsOnOpen, string DependsOnParent);
}
