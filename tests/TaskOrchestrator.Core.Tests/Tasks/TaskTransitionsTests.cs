using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Tests.Tasks;

public sealed class TaskTransitionsTests
{
    private static readonly TaskItemStatus[] Columns =
    [
        TaskItemStatus.Pending, TaskItemStatus.InProgress, TaskItemStatus.Blocked, TaskItemStatus.Completed,
        TaskItemStatus.Failed, TaskItemStatus.Cancelled, TaskItemStatus.Archived,
    ];

    // The legal-move table, written out: row = from, column = to, 'y' = allowed. Changing a rule of the
    // lifecycle means changing this table on purpose.
    private static readonly string[] Table =
    [
        //              pending  in_progress  blocked  completed  failed  cancelled  archived
        "pending          -         y           y         -         -         y         y",
        "in_progress      y         -           y         y         y         y         -",
        "blocked          y         -           -         -         y         y         y",
        "completed        y         -           -         -         -         -         y",
        "failed           y         -           -         -         -         y         y",
        "cancelled        y         -           -         -         -         -         y",
        "archived         -         -           -         -         -         -         -",
    ];

    public static TheoryData<TaskItemStatus, TaskItemStatus, bool> AllPairs()
    {
        var data = new TheoryData<TaskItemStatus, TaskItemStatus, bool>();
        foreach (var row in Table)
        {
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var from = WireNames.Parse<TaskItemStatus>(cells[0], "from");
            for (int i = 0; i < Columns.Length; i++)
            {
                data.Add(from, Columns[i], cells[i + 1] == "y");
            }
        }

        return data;
    }

    [Fact]
    public void AllPairs_Table_CoversAllFortyNinePairsOfStatuses()
    {
        Enum.GetValues<TaskItemStatus>().ShouldBe(Columns);
        Table.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).ShouldBe(WireNames.All<TaskItemStatus>());
        AllPairs().Count.ShouldBe(49);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsAllowedAndEnsure_EveryPairOfStatuses_FollowTheLegalMoveTable(TaskItemStatus from, TaskItemStatus to, bool legal)
    {
        TaskTransitions.IsAllowed(from, to).ShouldBe(legal);
        TaskTransitions.AllowedFrom(from).Contains(to).ShouldBe(legal);
        if (legal)
        {
            Should.NotThrow(() => TaskTransitions.Ensure("task_x", from, to));
        }
        else
        {
            var ex = Should.Throw<OrchestratorException>(() => TaskTransitions.Ensure("task_x", from, to));
            ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
            ex.Error.Field.ShouldBe("status");
            ex.Error.Allowed.ShouldBe(TaskTransitions.AllowedFrom(from).Select(WireNames.Of).ToArray());
        }
    }

    [Theory]
    [InlineData(TaskItemStatus.Pending, false)]
    [InlineData(TaskItemStatus.InProgress, false)]
    [InlineData(TaskItemStatus.Blocked, false)]
    [InlineData(TaskItemStatus.Completed, true)]
    [InlineData(TaskItemStatus.Failed, true)]
    [InlineData(TaskItemStatus.Cancelled, true)]
    [InlineData(TaskItemStatus.Archived, true)]
    public void IsTerminal_EachStatus_TrueOnlyOnceWorkHasEnded(TaskItemStatus status, bool terminal)
    {
        TaskTransitions.IsTerminal(status).ShouldBe(terminal);
    }

    [Fact]
    public void Ensure_CompletedToInProgress_MessageNamesBothStatesTheAllowedMovesAndHowToReopen()
    {
        var ex = Should.Throw<OrchestratorException>(() => TaskTransitions.Ensure("task_x", TaskItemStatus.Completed, TaskItemStatus.InProgress));

        ex.Error.Message.ShouldBe("Task 'task_x' is 'completed'; it cannot move to 'in_progress'. Allowed from 'completed': pending, archived.");
        ex.Error.Allowed.ShouldBe(["pending", "archived"]);
        ex.Error.Hint.ShouldBe("Reopen it first: orchestrator_update_task with status='pending'.");
    }

    [Fact]
    public void Ensure_ArchivedToPending_ThrowsIllegalTransitionNamingNoAllowedMoves()
    {
        var ex = Should.Throw<OrchestratorException>(() => TaskTransitions.Ensure("task_x", TaskItemStatus.Archived, TaskItemStatus.Pending));
        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        ex.Error.Allowed.ShouldBeEmpty();
        ex.Error.Message.ShouldBe("Task 'task_x' is 'archived'; it cannot move to 'pending'. Allowed from 'archived': none: archived is final.");
        ex.Error.Hint.ShouldBe("Archived tasks are final; plan a new task instead.");
    }

    [Fact]
    public void Ensure_CallerGivesAHint_UsesItInsteadOfTheDefault()
    {
        var ex = Should.Throw<OrchestratorException>(() => TaskTransitions.Ensure("task_x", TaskItemStatus.Pending, TaskItemStatus.Completed, "Start it first."));

        ex.Error.Hint.ShouldBe("Start it first.");
    }
}
