using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Reports;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class ResultSynthesizerTests : ServiceTests
{
    [Fact]
    public async Task SynthesizeAsync_MixedSubtree_CountsEachStatusAndComputesTheRates()
    {
        var plan = await PlanAsync(new TaskSpec
        {
            Title = "Release 2.0",
            Subtasks =
            [
                new TaskSpec { Title = "A" },
                new TaskSpec { Title = "B", Subtasks = [new TaskSpec { Title = "B1" }] },
                new TaskSpec { Title = "C" },
                new TaskSpec { Title = "D" },
                new TaskSpec { Title = "E" },
            ],
        });
        var ids = plan.Subtasks.Select(s => s.Task.Id).ToArray();
        var (a, b, b1, c, d, e) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);
        Time.Advance(TimeSpan.FromMinutes(1));
        await FinishAsync(b1, "B1 done");
        Time.Advance(TimeSpan.FromMinutes(1));
        await FinishAsync(a, "A done");
        Time.Advance(TimeSpan.FromMinutes(1));
        await FinishAsync(b, "B done");
        await SetStatusAsync(c, TaskItemStatus.Failed, "could not reproduce");
        await SetStatusAsync(e, TaskItemStatus.Cancelled, "out of scope");

        var report = await ResultSynthesizer.SynthesizeAsync(Store, plan.Root.Task.Id, Ct);

        report.Parent.Id.ShouldBe(plan.Root.Task.Id);
        report.Subtasks.Select(t => t.Id).ShouldBe([a, b, b1, c, d, e]);
        report.Counts.OrderBy(p => p.Key).ShouldBe(
        [
            KeyValuePair.Create(TaskItemStatus.Pending, 1),
            KeyValuePair.Create(TaskItemStatus.Completed, 3),
            KeyValuePair.Create(TaskItemStatus.Failed, 1),
            KeyValuePair.Create(TaskItemStatus.Cancelled, 1),
        ]);
        report.SuccessRate.ShouldBe(0.6);
        report.CompletionRate.ShouldBe(0.5);
        report.Remaining.Select(t => t.Id).ShouldBe([d]);
        report.Outcomes.Select(t => (t.Id, t.ResultSummary)).ShouldBe([(b1, "B1 done"), (a, "A done"), (b, "B done")]);
        report.Artifacts.Select(x => (x.TaskId, x.Summary, x.Content)).ShouldBe([(b1, "B1 done", (string?)null), (a, "A done", null), (b, "B done", null)]);
        // Every event of the tree; the agent's registration (on its first claim) is about the agent, not a task.
        report.Timeline.Count.ShouldBe((await EventsAsync()).Count(e => e.TaskId is not null));
        (await EventsAsync()).Count(e => e.TaskId is null).ShouldBe(1);
        report.Timeline.Select(x => x.Sequence).ShouldBe(report.Timeline.Select(x => x.Sequence).Order());
        report.Timeline[0].Kind.ShouldBe(EventKinds.TaskCreated);
        report.TimelineTruncated.ShouldBeFalse();
    }

    [Fact]
    public async Task SynthesizeAsync_SubtasksArchivedAfterCompleting_StillCountAsCompletedWork()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Cleaned up", Subtasks = [new TaskSpec { Title = "A" }, new TaskSpec { Title = "B" }] });
        var (a, b) = (plan.Subtasks[0].Task.Id, plan.Subtasks[1].Task.Id);
        await FinishAsync(a, "A done");
        await FinishAsync(b, "B done");
        await SetStatusAsync(a, TaskItemStatus.Archived, "archived with its session");

        var report = await ResultSynthesizer.SynthesizeAsync(Store, plan.Root.Task.Id, Ct);

        report.Counts.OrderBy(p => p.Key).ShouldBe([KeyValuePair.Create(TaskItemStatus.Completed, 1), KeyValuePair.Create(TaskItemStatus.Archived, 1)]);
        report.SuccessRate.ShouldBe(1.0);
        report.CompletionRate.ShouldBe(1.0);
        report.Outcomes.Select(t => t.Id).ShouldBe([a, b]);
    }

    [Fact]
    public async Task SynthesizeAsync_TwoOfThreeEndedSubtasksCompleted_SuccessRateRoundedToFourPlaces()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "1" }, new TaskSpec { Title = "2" }, new TaskSpec { Title = "3" }] });
        await FinishAsync(plan.Subtasks[0].Task.Id);
        await FinishAsync(plan.Subtasks[1].Task.Id);
        await SetStatusAsync(plan.Subtasks[2].Task.Id, TaskItemStatus.Failed, "broken");

        var report = await ResultSynthesizer.SynthesizeAsync(Store, plan.Root.Task.Id, Ct);

        report.SuccessRate.ShouldBe(0.6667);
        report.CompletionRate.ShouldBe(0.6667);
    }

    [Fact]
    public async Task SynthesizeAsync_NothingEndedYet_SuccessRateIsNullAndCompletionZero()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Open" }] });
        await StartAsync(plan.Subtasks[0].Task.Id);

        var report = await ResultSynthesizer.SynthesizeAsync(Store, plan.Root.Task.Id, Ct);

        report.SuccessRate.ShouldBeNull();
        report.CompletionRate.ShouldBe(0);
        report.Counts.ShouldBe([KeyValuePair.Create(TaskItemStatus.InProgress, 1)]);
        report.Outcomes.ShouldBeEmpty();
    }

    [Fact]
    public async Task SynthesizeAsync_CompletedLeafWithoutSubtasks_ListsItsOwnOutcome()
    {
        var id = (await PlanTasksAsync("Solo"))[0];
        await FinishAsync(id, "solo result");

        var report = await ResultSynthesizer.SynthesizeAsync(Store, id, Ct);

        report.Subtasks.ShouldBeEmpty();
        report.CompletionRate.ShouldBe(0);
        report.SuccessRate.ShouldBeNull();
        report.Outcomes.Select(t => t.ResultSummary).ShouldBe(["solo result"]);
        report.Artifacts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SynthesizeAsync_UnknownParent_ThrowsNotFoundForParentTaskId()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => ResultSynthesizer.SynthesizeAsync(Store, "task_missing", Ct));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
        ex.Error.Field.ShouldBe("parent_task_id");
    }

    /// <summary>Moves a task as an agent would: failing needs it started first, cancelling does not.</summary>
    private async Task SetStatusAsync(string taskId, TaskItemStatus status, string reason)
    {
        string? lease = null;
        if (status == TaskItemStatus.Failed)
        {
            lease = (await StartAsync(taskId)).Task.LeaseToken;
        }

        await WriteAsync(unit => new TaskEditor(Time).UpdateAsync(unit, new TaskUpdate { TaskId = taskId, Status = status, StatusReason = reason, LeaseToken = lease }, Roles, Agent, Ct));
    }
}
