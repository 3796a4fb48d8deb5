using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class TaskEditorTests : ServiceTests
{
    [Fact]
    public async Task UpdateAsync_SeveralFields_ReportsEachChangeAppliedAndBumpsTheVersionOnce()
    {
        var id = (await PlanTasksAsync("Old title"))[0];
        Time.Advance(TimeSpan.FromMinutes(1));

        var outcome = await UpdateAsync(new TaskUpdate
        {
            TaskId = id,
            Title = "New title",
            Priority = TaskPriority.High,
            SpecialistType = "tester",
            ContextJson = """{"goal":"ship"}""",
        });

        outcome.Changes.Select(c => (c.Field, c.From?.ToJsonString(), c.To?.ToJsonString())).ShouldBe(
        [
            ("title", "\"Old title\"", "\"New title\""),
            ("specialist_type", "\"generic\"", "\"tester\""),
            ("priority", "\"medium\"", "\"high\""),
            ("context", null, """{"goal":"ship"}"""),
        ]);
        var stored = await GetTaskAsync(id);
        stored.ShouldBe(outcome.Task);
        stored.Version.ShouldBe(2);
        stored.UpdatedAt.ShouldBe(Start.AddMinutes(1));
        var updated = (await EventsAsync()).Where(e => e.Kind == EventKinds.TaskUpdated).ShouldHaveSingleItem();
        updated.DataJson.ShouldBe("""{"changes":[{"field":"title","from":"Old title","to":"New title"},{"field":"specialist_type","from":"generic","to":"tester"},{"field":"priority","from":"medium","to":"high"},{"field":"context","from":null,"to":{"goal":"ship"}}]}""");
    }

    [Fact]
    public async Task UpdateAsync_ValuesAlreadyCurrent_ReportsNoChangesAndKeepsTheVersion()
    {
        var id = (await PlanTasksAsync("Same"))[0];
        var eventsBefore = (await EventsAsync()).Count;

        var outcome = await UpdateAsync(new TaskUpdate { TaskId = id, Title = "Same", Priority = TaskPriority.Medium });

        outcome.Changes.ShouldBeEmpty();
        outcome.Task.Version.ShouldBe(1);
        (await GetTaskAsync(id)).Version.ShouldBe(1);
        (await EventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task UpdateAsync_StaleExpectedVersion_ThrowsVersionConflictWithTheCurrentVersionAndChangesNothing()
    {
        var id = (await PlanTasksAsync("Title"))[0];
        await UpdateAsync(new TaskUpdate { TaskId = id, Title = "First edit", ExpectedVersion = 1 });

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = id, Title = "Second edit", ExpectedVersion = 1 }));

        ex.Error.Code.ShouldBe(ErrorCodes.VersionConflict);
        ex.Error.Message.ShouldBe($"Task '{id}' is at version 2, not the expected version 1: someone changed it since you read it.");
        ex.Error.Details!["current_version"]!.GetValue<long>().ShouldBe(2);
        (await GetTaskAsync(id)).Title.ShouldBe("First edit");
    }

    [Fact]
    public async Task UpdateAsync_BlockWithoutReason_ThrowsMissingArgumentForStatusReason()
    {
        var id = (await PlanTasksAsync("Task"))[0];

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = id, Status = TaskItemStatus.Blocked }));

        ex.Error.Code.ShouldBe(ErrorCodes.MissingArgument);
        ex.Error.Field.ShouldBe("status_reason");
    }

    [Fact]
    public async Task UpdateAsync_BlockWithReason_RecordsTheMoveAndItsReason()
    {
        var id = (await PlanTasksAsync("Task"))[0];

        var outcome = await UpdateAsync(new TaskUpdate { TaskId = id, Status = TaskItemStatus.Blocked, StatusReason = "waiting for keys" });

        outcome.Changes.Select(c => (c.Field, c.From?.ToJsonString(), c.To?.ToJsonString())).ShouldBe([("status", "\"pending\"", "\"blocked\"")]);
        outcome.Task.Status.ShouldBe(TaskItemStatus.Blocked);
        outcome.Task.StatusReason.ShouldBe("waiting for keys");
        var moved = (await EventsAsync())[^1];
        (moved.Kind, moved.From, moved.To, moved.DataJson).ShouldBe((EventKinds.StatusChanged, "pending", "blocked", """{"reason":"waiting for keys"}"""));
    }

    [Fact]
    public async Task UpdateAsync_ReopenAndEditACompletedTaskInOneCall_AppliesBothStatusFirst()
    {
        var id = (await PlanTasksAsync("Done once"))[0];
        await FinishAsync(id);

        var outcome = await UpdateAsync(new TaskUpdate { TaskId = id, Status = TaskItemStatus.Pending, StatusReason = "regression", Title = "Done twice" });

        outcome.Changes.Select(c => c.Field).ShouldBe(["status", "title"]);
        outcome.Task.Status.ShouldBe(TaskItemStatus.Pending);
        outcome.Task.CompletedAt.ShouldBeNull();
        outcome.Task.Title.ShouldBe("Done twice");
        outcome.Task.Version.ShouldBe(4);
    }

    [Fact]
    public async Task UpdateAsync_EditCompletedTaskWithoutReopening_ThrowsIllegalTransition()
    {
        var id = (await PlanTasksAsync("Done"))[0];
        await FinishAsync(id);

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = id, Title = "Rewritten history" }));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        (await GetTaskAsync(id)).Title.ShouldBe("Done");
    }

    [Fact]
    public async Task UpdateAsync_AddDependency_ReportsTheNewListAndRecordsTheEdge()
    {
        var ids = await PlanTasksAsync("Task", "Dependency");
        Time.Advance(TimeSpan.FromSeconds(1));

        var outcome = await UpdateAsync(new TaskUpdate { TaskId = ids[0], AddDependencies = [ids[1]] });

        outcome.Changes.Select(c => (c.Field, c.From?.ToJsonString(), c.To?.ToJsonString())).ShouldBe([("dependencies", "[]", $"[\"{ids[1]}\"]")]);
        outcome.Task.Version.ShouldBe(2);
        outcome.Dependencies.Select(d => (d.DependsOnId, d.Satisfied)).ShouldBe([(ids[1], false)]);
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).ShouldBe([new TaskDependency(ids[0], ids[1])]);
        var added = (await EventsAsync())[^1];
        (added.Kind, added.TaskId, added.DataJson).ShouldBe((EventKinds.DependencyAdded, ids[0], $$"""{"depends_on":"{{ids[1]}}"}"""));
    }

    [Fact]
    public async Task UpdateAsync_AddDependencyClosingACycle_RefusesNamingThePathAndChangesNothing()
    {
        var ids = await PlanTasksAsync("A", "B", "C");
        await UpdateAsync(new TaskUpdate { TaskId = ids[0], AddDependencies = [ids[1]] });
        await UpdateAsync(new TaskUpdate { TaskId = ids[1], AddDependencies = [ids[2]] });

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = ids[2], AddDependencies = [ids[0]] }));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Field.ShouldBe("add_dependencies[0]");
        ex.Error.Message.ShouldBe($"Adding '{ids[2]}' -> '{ids[0]}' would close a cycle: {ids[2]} -> {ids[0]} -> {ids[1]} -> {ids[2]}.");
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).Count.ShouldBe(2);
        (await GetTaskAsync(ids[2])).Version.ShouldBe(1);
    }

    [Fact]
    public async Task UpdateAsync_AddUnknownDependency_ThrowsNotFoundNamingIt()
    {
        var id = (await PlanTasksAsync("Task"))[0];

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = id, AddDependencies = ["task_nowhere"] }));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
        ex.Error.Message.ShouldBe("These dependencies do not exist in this workspace: task_nowhere.");
    }

    [Fact]
    public async Task UpdateAsync_RemoveDependencyTheTaskDoesNotHave_ThrowsNotFoundListingTheOnesItHas()
    {
        var ids = await PlanTasksAsync("Task", "Dependency", "Unrelated");
        await UpdateAsync(new TaskUpdate { TaskId = ids[0], AddDependencies = [ids[1]] });

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = ids[0], RemoveDependencies = [ids[2]] }));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
        ex.Error.Field.ShouldBe("remove_dependencies[0]");
        ex.Error.Allowed.ShouldBe([ids[1]]);
    }

    [Theory]
    [InlineData(TaskItemStatus.InProgress)]
    [InlineData(TaskItemStatus.Completed)]
    public async Task UpdateAsync_StatusOnlyOtherToolsSet_ThrowsInvalidArgument(TaskItemStatus status)
    {
        var id = (await PlanTasksAsync("Task"))[0];

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = id, Status = status }));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Allowed.ShouldBe(["pending", "blocked", "failed", "cancelled", "archived"]);
    }

    [Fact]
    public async Task UpdateAsync_CancelTaskWithOpenSubtasks_ThrowsHasChildren()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Child" }] });

        var ex = await Should.ThrowAsync<OrchestratorException>(() =>
            UpdateAsync(new TaskUpdate { TaskId = plan.Root.Task.Id, Status = TaskItemStatus.Cancelled }));

        ex.Error.Code.ShouldBe(ErrorCodes.HasChildren);
        ex.Error.Message.ShouldBe($"Task '{plan.Root.Task.Id}' has 1 unfinished subtasks: {plan.Subtasks[0].Task.Id}.");
    }

    [Fact]
    public async Task UpdateAsync_NewParentIsADescendant_RefusesTheLoop()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Child", Subtasks = [new TaskSpec { Title = "Grandchild" }] }] });

        var ex = await Should.ThrowAsync<OrchestratorException>(() =>
            UpdateAsync(new TaskUpdate { TaskId = plan.Root.Task.Id, ParentTaskId = plan.Subtasks[1].Task.Id }));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Field.ShouldBe("parent_task_id");
    }

    [Fact]
    public async Task UpdateAsync_NewParentIsADescendantOfATaskItDependsOn_RefusesTheDeadlock()
    {
        var epic = await PlanAsync(new TaskSpec { Title = "Epic", Subtasks = [new TaskSpec { Title = "Story" }] });
        var (grandparent, parent) = (epic.Root.Task.Id, epic.Subtasks[0].Task.Id);
        var task = (await PlanAsync(new TaskSpec { Title = "Waits for the epic", Dependencies = [grandparent] })).Root.Task.Id;

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = task, ParentTaskId = parent }));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Field.ShouldBe("parent_task_id");
        ex.Error.Message.ShouldBe($"Task '{task}' depends on '{grandparent}', which would become its ancestor under the new parent '{parent}': an ancestor cannot end before its subtasks.");
        (await GetTaskAsync(task)).ParentId.ShouldBeNull();
    }

    [Fact]
    public async Task UpdateAsync_MovedSubtreeHasASubtaskDependingOnTheNewParent_RefusesTheDeadlock()
    {
        var target = (await PlanTasksAsync("New parent"))[0];
        var moved = await PlanAsync(new TaskSpec { Title = "Moved", Subtasks = [new TaskSpec { Title = "Inside", Dependencies = [target] }] });

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = moved.Root.Task.Id, ParentTaskId = target }));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Message.ShouldBe($"Task '{moved.Subtasks[0].Task.Id}' depends on '{target}', which would become its ancestor under the new parent '{target}': an ancestor cannot end before its subtasks.");
    }

    [Fact]
    public async Task UpdateAsync_NewParentItDependsOnDirectly_RefusesNamingTheDependency()
    {
        var ids = await PlanTasksAsync("Parent to be", "Task");
        await UpdateAsync(new TaskUpdate { TaskId = ids[1], AddDependencies = [ids[0]] });

        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = ids[1], ParentTaskId = ids[0] }));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Message.ShouldBe($"Task '{ids[1]}' depends on '{ids[0]}', so it cannot become its subtask: the parent cannot end before its subtasks.");
    }

    [Fact]
    public async Task UpdateAsync_NewParentUnrelatedToItsDependencies_MovesTheTask()
    {
        var ids = await PlanTasksAsync("Parent to be", "Dependency", "Task");
        await UpdateAsync(new TaskUpdate { TaskId = ids[2], AddDependencies = [ids[1]] });

        var outcome = await UpdateAsync(new TaskUpdate { TaskId = ids[2], ParentTaskId = ids[0] });

        outcome.Changes.Select(c => (c.Field, c.From?.ToJsonString(), c.To?.ToJsonString())).ShouldBe([("parent_task_id", null, $"\"{ids[0]}\"")]);
        (await GetTaskAsync(ids[2])).ParentId.ShouldBe(ids[0]);
    }

    [Fact]
    public async Task UpdateAsync_DueDateWithSubMillisecondsAndAnOffset_StoredAsReturnedAndRepeatingItChangesNothing()
    {
        var id = (await PlanTasksAsync("Task"))[0];
        var due = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(12_345);

        var first = await UpdateAsync(new TaskUpdate { TaskId = id, DueAt = due });
        var again = await UpdateAsync(new TaskUpdate { TaskId = id, DueAt = due, Title = "Renamed" });

        first.Task.DueAt.ShouldBe(new DateTimeOffset(2026, 12, 1, 8, 0, 0, 1, TimeSpan.Zero));
        (await GetTaskAsync(id)).ShouldBe(again.Task);
        again.Changes.Select(c => c.Field).ShouldBe(["title"]);
        again.Task.Version.ShouldBe(3);
    }

    [Fact]
    public async Task UpdateAsync_ClearFields_EmptiesThemAndReportsTheChange()
    {
        var plan = await PlanAsync(new TaskSpec { Title = "Task", Description = "Long text", EstimatedEffort = "2h" });

        var outcome = await UpdateAsync(new TaskUpdate { TaskId = plan.Root.Task.Id, Clear = new HashSet<string> { "description", "estimated_effort" } });

        outcome.Changes.Select(c => (c.Field, c.From?.ToJsonString(), c.To?.ToJsonString())).ShouldBe(
            [("description", "\"Long text\"", null), ("estimated_effort", "\"2h\"", null)]);
        (await GetTaskAsync(plan.Root.Task.Id)).Description.ShouldBeNull();
    }

    [Fact]
    public async Task UpdateAsync_UnknownTask_ThrowsNotFound()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => UpdateAsync(new TaskUpdate { TaskId = "task_missing", Title = "x" }));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
        ex.Error.Field.ShouldBe("task_id");
    }

    private Task<UpdateOutcome> UpdateAsync(TaskUpdate update) =>
        WriteAsync(unit => new TaskEditor(Time).UpdateAsync(unit, update, Roles, Agent, Ct));
}
