using Shouldly;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class TaskCompleterTests : ServiceTests
{
    [Theory]
    [InlineData(NextAction.Continue)]
    [InlineData(NextAction.Complete)]
    public async Task CompleteAsync_ContinueOrComplete_CompletesTheTaskAndStoresTheArtifact(NextAction action)
    {
        var id = (await PlanTasksAsync("Write parser"))[0];
        var lease = (await StartAsync(id)).Task.LeaseToken;
        Time.Advance(TimeSpan.FromMinutes(30));

        var outcome = await WriteAsync(unit => new TaskCompleter(Time, Ids).CompleteAsync(unit, new CompletionRequest
        {
            TaskId = id,
            AgentId = "agent-1",
            LeaseToken = lease,
            Summary = "Parser written",
            DetailedWork = "class Parser {}",
            NextAction = action,
            FilePaths = ["src/Parser.cs"],
            ArtifactType = ArtifactType.Code,
        }, Agent, Ct));

        var now = Start.AddMinutes(30);
        outcome.Action.ShouldBe(action);
        var stored = await GetTaskAsync(id);
        stored.ShouldBe(outcome.Task);
        (stored.Status, stored.CompletedAt, stored.ResultSummary, stored.AssignedAgent, stored.Version).ShouldBe((TaskItemStatus.Completed, (DateTimeOffset?)now, "Parser written", (string?)null, 3L));
        outcome.Artifact.Content.ShouldBeNull();
        var artifact = (await ReadAsync(unit => unit.Artifacts.GetForTasksAsync([id], includeContent: true, Ct))).ShouldHaveSingleItem();
        artifact.ShouldBe(outcome.Artifact with { Content = "class Parser {}", FilePaths = artifact.FilePaths });
        (artifact.Type, artifact.ContentHash, artifact.ContentLength, artifact.CreatedBy, artifact.CreatedAt).ShouldBe(
            (ArtifactType.Code, ContentHash.Of("class Parser {}"), 15L, "agent-1", now));
        artifact.FilePaths.ShouldBe(["src/Parser.cs"]);
        (await EventsAsync()).TakeLast(2).Select(e => (e.Kind, e.To)).ShouldBe([(EventKinds.ArtifactStored, (string?)null), (EventKinds.StatusChanged, "completed")]);
    }

    [Fact]
    public async Task CompleteAsync_NeedsRevision_ReturnsTheTaskToPendingWithTheSummaryAsReason()
    {
        var id = (await PlanTasksAsync("Write parser"))[0];
        await StartAsync(id);

        var outcome = await CompleteAsync(id, "Edge cases missing", NextAction.NeedsRevision);

        outcome.Task.Status.ShouldBe(TaskItemStatus.Pending);
        outcome.Task.StatusReason.ShouldBe("Edge cases missing");
        outcome.Task.AssignedAgent.ShouldBeNull();
        outcome.Task.CompletedAt.ShouldBeNull();
        outcome.NewlyReady.ShouldBeEmpty();
        (await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct))).Count.ShouldBe(1);
    }

    [Fact]
    public async Task CompleteAsync_Blocked_BlocksTheTaskWithTheSummaryAsReason()
    {
        var id = (await PlanTasksAsync("Deploy"))[0];
        await StartAsync(id);

        var outcome = await CompleteAsync(id, "No credentials for production", NextAction.Blocked);

        (await GetTaskAsync(id)).ShouldBe(outcome.Task);
        outcome.Task.Status.ShouldBe(TaskItemStatus.Blocked);
        outcome.Task.StatusReason.ShouldBe("No credentials for production");
    }

    [Fact]
    public async Task CompleteAsync_LastHardDependencyCompleted_ReportsTheTasksThatBecameReady()
    {
        var ids = await PlanTasksAsync("A", "B");
        var (a, b) = (ids[0], ids[1]);
        var both = (await PlanAsync(new TaskSpec { Title = "Needs A and B", Dependencies = [a, b] })).Root.Task.Id;
        var onlyA = (await PlanAsync(new TaskSpec { Title = "Needs A", Dependencies = [a] })).Root.Task.Id;
        var softOnA = (await PlanTasksAsync("Soft on A"))[0];
        await WriteAsync(async unit =>
        {
            await unit.Dependencies.AddAsync(new TaskDependency(softOnA, a, DependencyKind.Soft), Ct);
            return true;
        });

        var first = await FinishAsync(a);
        var second = await FinishAsync(b);

        first.NewlyReady.Select(t => t.Id).ShouldBe([onlyA]);
        second.NewlyReady.Select(t => t.Id).ShouldBe([both]);
    }

    [Fact]
    public async Task CompleteAsync_Subtask_ReportsTheParentsProgress()
    {
        var plan = await PlanAsync(new TaskSpec
        {
            Title = "Parent",
            Subtasks = [new TaskSpec { Title = "One" }, new TaskSpec { Title = "Two" }, new TaskSpec { Title = "Three" }],
        });

        var outcome = await FinishAsync(plan.Subtasks[0].Task.Id);

        var progress = outcome.Parent.ShouldNotBeNull();
        (progress.Parent.Id, progress.Total, progress.Completed, progress.Ended, progress.PercentComplete, progress.AllEnded)
            .ShouldBe((plan.Root.Task.Id, 3, 1, 1, 33, false));
    }

    [Fact]
    public async Task CompleteAsync_ParentWithOpenSubtasks_ThrowsHasChildrenListingThem()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Done" }, new TaskSpec { Title = "Open" }] });
        var (parent, done, open) = (plan.Root.Task.Id, plan.Subtasks[0].Task.Id, plan.Subtasks[1].Task.Id);
        await FinishAsync(done);
        await StartAsync(parent);

        var ex = await Should.ThrowAsync<OrchestratorException>(() => CompleteAsync(parent));

        ex.Error.Code.ShouldBe(ErrorCodes.HasChildren);
        ex.Error.Message.ShouldBe($"Task '{parent}' still has 1 open subtask: {open} (pending).");
        (await GetTaskAsync(parent)).Status.ShouldBe(TaskItemStatus.InProgress);
    }

    [Fact]
    public async Task CompleteAsync_ParentWhoseSubtasksAllEnded_Completes()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Only" }] });
        var last = await FinishAsync(plan.Subtasks[0].Task.Id);
        last.Parent!.AllEnded.ShouldBeTrue();

        var outcome = await FinishAsync(plan.Root.Task.Id, "all done");

        outcome.Task.Status.ShouldBe(TaskItemStatus.Completed);
        outcome.Parent.ShouldBeNull();
    }

    [Fact]
    public async Task CompleteAsync_ReportedByAnotherAgentWithoutTheLease_ThrowsLeaseRequired()
    {
        var id = (await PlanTasksAsync("Task"))[0];
        await StartAsync(id, "agent-1");

        var ex = await Should.ThrowAsync<OrchestratorException>(() => WriteAsync(unit =>
            new TaskCompleter(Time, Ids).CompleteAsync(unit, new CompletionRequest { TaskId = id, AgentId = "agent-2", Summary = "mine now" }, Agent, Ct)));

        ex.Error.Code.ShouldBe(ErrorCodes.LeaseRequired);
        ex.Error.Details!["held_by"]!.GetValue<string>().ShouldBe("agent-1");
        (await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct))).Count.ShouldBe(0);
    }

    [Fact]
    public async Task CompleteAsync_TaskNotStarted_ThrowsIllegalTransitionAndStoresNoArtifact()
    {
        var id = (await PlanTasksAsync("Task"))[0];

        var ex = await Should.ThrowAsync<OrchestratorException>(() => CompleteAsync(id));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        (await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct))).Count.ShouldBe(0);
    }
}
