using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Tests.Tasks;

public sealed class TaskItemTests
{
    private static readonly DateTimeOffset Loaded = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Loaded.AddMinutes(30);

    [Fact]
    public void Start_PendingTask_SetsInProgressStartedAtAndAgentAndIncrementsVersionOnce()
    {
        var task = new TaskItem(Record() with { StatusReason = "needs another pass" });

        var change = task.Start("agent-1", null, null, Now);

        change.ShouldBe(new StatusChange("task_1", TaskItemStatus.Pending, TaskItemStatus.InProgress, null));
        task.Current.ShouldBe(Record() with
        {
            Status = TaskItemStatus.InProgress,
            StartedAt = Now,
            AssignedAgent = "agent-1",
            StatusReason = null,
            Version = 5,
            UpdatedAt = Now,
        });
        task.IsChanged.ShouldBeTrue();
        task.Original.ShouldBe(Record() with { StatusReason = "needs another pass" });
    }

    [Fact]
    public void Complete_InProgressTask_SetsCompletedAtAndSummaryAndClearsAgent()
    {
        var task = new TaskItem(InProgress());

        var change = task.Complete("parser done", Now);

        change.ShouldBe(new StatusChange("task_1", TaskItemStatus.InProgress, TaskItemStatus.Completed, null));
        task.Current.ShouldBe(InProgress() with
        {
            Status = TaskItemStatus.Completed,
            CompletedAt = Now,
            ResultSummary = "parser done",
            AssignedAgent = null,
            Version = 5,
            UpdatedAt = Now,
        });
        task.Current.SatisfiesDependents.ShouldBeTrue();
    }

    [Fact]
    public void Complete_PendingTask_ThrowsIllegalTransitionWithTheExecuteHint()
    {
        var task = new TaskItem(Record());

        var ex = Should.Throw<OrchestratorException>(() => task.Complete("done", Now));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        ex.Error.Hint.ShouldBe("Start it with orchestrator_execute_task first.");
        task.IsChanged.ShouldBeFalse();
    }

    [Fact]
    public void ReturnForRevision_InProgressTask_GoesBackToPendingWithTheNoteAndWithoutAgent()
    {
        var task = new TaskItem(InProgress());

        var change = task.ReturnForRevision("tests fail on empty input", Now);

        change.ShouldBe(new StatusChange("task_1", TaskItemStatus.InProgress, TaskItemStatus.Pending, "tests fail on empty input"));
        task.Current.ShouldBe(InProgress() with
        {
            Status = TaskItemStatus.Pending,
            StatusReason = "tests fail on empty input",
            AssignedAgent = null,
            Version = 5,
            UpdatedAt = Now,
        });
    }

    [Fact]
    public void Block_InProgressTask_SetsBlockedWithReasonAndClearsAgent()
    {
        var task = new TaskItem(InProgress());

        task.Block("waiting for API keys", Now);

        task.Current.ShouldBe(InProgress() with { Status = TaskItemStatus.Blocked, StatusReason = "waiting for API keys", AssignedAgent = null, Version = 5, UpdatedAt = Now });
    }

    [Fact]
    public void Fail_InProgressTask_SetsFailedWithReasonAndClearsAgent()
    {
        var task = new TaskItem(InProgress());

        task.Fail("compiler crashed", Now);

        task.Current.ShouldBe(InProgress() with { Status = TaskItemStatus.Failed, StatusReason = "compiler crashed", AssignedAgent = null, Version = 5, UpdatedAt = Now });
    }

    [Fact]
    public void Cancel_InProgressTask_SetsCancelledWithReasonAndClearsAgent()
    {
        var task = new TaskItem(InProgress());

        task.Cancel("no longer needed", Now);

        task.Current.ShouldBe(InProgress() with { Status = TaskItemStatus.Cancelled, StatusReason = "no longer needed", AssignedAgent = null, Version = 5, UpdatedAt = Now });
    }

    [Fact]
    public void Reopen_CompletedTask_ReturnsToPendingAndClearsCompletedAt()
    {
        var task = new TaskItem(Completed());

        var change = task.Reopen("found a regression", Now);

        change.ShouldBe(new StatusChange("task_1", TaskItemStatus.Completed, TaskItemStatus.Pending, "found a regression"));
        task.Current.Status.ShouldBe(TaskItemStatus.Pending);
        task.Current.CompletedAt.ShouldBeNull();
        task.Current.StatusReason.ShouldBe("found a regression");
        task.Current.ResultSummary.ShouldBe("parser done");
        task.Current.SatisfiesDependents.ShouldBeFalse();
    }

    [Fact]
    public void Reopen_InProgressTask_ReleasesItFromItsAgent()
    {
        var task = new TaskItem(InProgress());

        task.Reopen(null, Now);

        task.Current.ShouldBe(InProgress() with { Status = TaskItemStatus.Pending, AssignedAgent = null, Version = 5, UpdatedAt = Now });
    }

    [Fact]
    public void Archive_CompletedTask_KeepsCompletedAtSoItStillSatisfiesDependents()
    {
        var task = new TaskItem(Completed());

        task.Archive(null, Now);

        task.Current.ShouldBe(Completed() with { Status = TaskItemStatus.Archived, Version = 5, UpdatedAt = Now });
        task.Current.SatisfiesDependents.ShouldBeTrue();
    }

    [Fact]
    public void Archive_WithoutReason_KeepsThePreviousReason()
    {
        var task = new TaskItem(Record() with { Status = TaskItemStatus.Cancelled, StatusReason = "duplicate of task_9" });

        task.Archive(null, Now);

        task.Current.StatusReason.ShouldBe("duplicate of task_9");
        task.Current.SatisfiesDependents.ShouldBeFalse();
    }

    [Fact]
    public void Archive_InProgressTask_ThrowsIllegalTransitionSayingToFinishItFirst()
    {
        var task = new TaskItem(InProgress());

        var ex = Should.Throw<OrchestratorException>(() => task.Archive("tidy up", Now));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        ex.Error.Hint.ShouldBe("A task in progress cannot be archived: complete, release or cancel it first.");
    }

    [Fact]
    public void Moves_SeveralInOneOperation_IncrementVersionExactlyOnce()
    {
        var task = new TaskItem(Record());

        task.Start("agent-1", null, null, Now);
        task.Complete("done", Now);
        task.Archive(null, Now.AddSeconds(1));

        task.Current.Version.ShouldBe(5);
        task.Current.Status.ShouldBe(TaskItemStatus.Archived);
        task.Current.UpdatedAt.ShouldBe(Now.AddSeconds(1));
    }

    [Fact]
    public void Edit_ChangesFields_IncrementsVersionOnceAndStampsUpdatedAt()
    {
        var task = new TaskItem(Record());

        task.Edit(r => r with { Title = "Renamed" }, Now);
        task.Edit(r => r with { Priority = TaskPriority.High }, Now);
        task.Touch(Now);

        task.Current.ShouldBe(Record() with { Title = "Renamed", Priority = TaskPriority.High, Version = 5, UpdatedAt = Now });
    }

    [Fact]
    public void Edit_ChangesNothing_LeavesTheTaskUnchanged()
    {
        var task = new TaskItem(Record());

        task.Edit(r => r with { Title = "Write the parser" }, Now);

        task.IsChanged.ShouldBeFalse();
        task.Current.Version.ShouldBe(4);
    }

    [Theory]
    [InlineData(TaskItemStatus.Completed, "Reopen it first with status='pending' in the same or an earlier orchestrator_update_task call.")]
    [InlineData(TaskItemStatus.Failed, "Reopen it first with status='pending' in the same or an earlier orchestrator_update_task call.")]
    [InlineData(TaskItemStatus.Cancelled, "Reopen it first with status='pending' in the same or an earlier orchestrator_update_task call.")]
    [InlineData(TaskItemStatus.Archived, "Archived tasks are final; plan a new task instead.")]
    public void Edit_TerminalTask_ThrowsIllegalTransitionAndChangesNothing(TaskItemStatus status, string hint)
    {
        var task = new TaskItem(Record() with { Status = status });

        var ex = Should.Throw<OrchestratorException>(() => task.Edit(r => r with { Title = "Renamed" }, Now));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        ex.Error.Message.ShouldBe($"Task 'task_1' is '{WireNames.Of(status)}', so its fields and dependencies can no longer be edited.");
        ex.Error.Hint.ShouldBe(hint);
        task.IsChanged.ShouldBeFalse();
        Should.Throw<OrchestratorException>(() => task.Touch(Now)).Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
    }

    [Fact]
    public void Edit_AfterReopenInTheSameOperation_IsAllowedAndVersionStillMovesOnce()
    {
        var task = new TaskItem(Completed());

        task.Reopen("more to do", Now);
        task.Edit(r => r with { Title = "Write the parser, v2" }, Now);

        task.Current.Title.ShouldBe("Write the parser, v2");
        task.Current.Version.ShouldBe(5);
    }

    private static TaskRecord Record() => new()
    {
        Id = "task_1",
        WorkspaceId = "ws_1",
        Title = "Write the parser",
        Version = 4,
        CreatedAt = Loaded.AddHours(-1),
        UpdatedAt = Loaded,
    };

    private static TaskRecord InProgress() => Record() with { Status = TaskItemStatus.InProgress, StartedAt = Loaded, AssignedAgent = "agent-1" };

    private static TaskRecord Completed() => Record() with { Status = TaskItemStatus.Completed, StartedAt = Loaded, CompletedAt = Loaded, ResultSummary = "parser done" };
}
