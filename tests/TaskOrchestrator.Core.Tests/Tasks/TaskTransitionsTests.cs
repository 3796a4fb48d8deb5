using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Tests;

public sealed class TaskTransitionsTests
{
    [Fact]
    public void Ensure_ArchivedToPending_ThrowsIllegalTransitionNamingNoAllowedMoves()
    {
        var ex = Should.Throw<OrchestratorException>(() => TaskTransitions.Ensure("task_x", TaskItemStatus.Archived, TaskItemStatus.Pending));
        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        ex.Error.Allowed.ShouldBeEmpty();
        ex.Error.Message.ShouldBe("Task 'task_x' is 'archived'; it cannot move to 'pending'. Allowed from 'archived': none: archived is final.");
    }
}
