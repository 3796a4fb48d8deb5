using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class TaskPlannerTests : ServiceTests
{
    [Fact]
    public async Task PlanAsync_NestedSubtasksWithLocalKeys_CreatesTheTreeParentsFirstWithResolvedDependencies()
    {
        var plan = await PlanAsync(new TaskSpec
        {
            Title = "Build the compiler",
            Subtasks =
            [
                new TaskSpec
                {
                    Key = "front",
                    Title = "Front end",
                    Subtasks =
                    [
                        new TaskSpec { Key = "lex", Title = "Lexer", Type = TaskType.Implementation },
                        new TaskSpec { Key = "parse", Title = "Parser", Dependencies = ["lex"], SpecialistType = "architect" },
                    ],
                },
                new TaskSpec { Key = "back", Title = "Back end", Dependencies = ["front"], Priority = TaskPriority.High },
            ],
        });

        var root = plan.Root.Task;
        var (front, lex, parse, back) = (plan.Subtasks[0], plan.Subtasks[1], plan.Subtasks[2], plan.Subtasks[3]);
        plan.Subtasks.Select(s => (s.Key, s.Path, s.Task.Title)).ShouldBe(
        [
            ("front", "subtasks[0]", "Front end"),
            ("lex", "subtasks[0].subtasks[0]", "Lexer"),
            ("parse", "subtasks[0].subtasks[1]", "Parser"),
            ("back", "subtasks[1]", "Back end"),
        ]);
        root.ParentId.ShouldBeNull();
        plan.Subtasks.Select(s => s.Task.ParentId).ShouldBe([root.Id, front.Task.Id, front.Task.Id, root.Id]);
        plan.Subtasks.Select(s => string.Join(",", s.DependsOn)).ShouldBe(["", "", lex.Task.Id, front.Task.Id]);
        new[] { plan.Root.Ready, front.Ready, lex.Ready, parse.Ready, back.Ready }.ShouldBe([true, true, true, false, false]);
        plan.Subtasks.Select(s => s.Task.SpecialistType).ShouldBe(["generic", "implementer", "architect", "generic"]);
        back.Task.ShouldBe(new TaskRecord
        {
            Id = back.Task.Id,
            WorkspaceId = Store.Workspace.Id,
            ParentId = root.Id,
            Title = "Back end",
            Priority = TaskPriority.High,
            CreatedAt = Start,
            UpdatedAt = Start,
        });

        (await GetTaskAsync(parse.Task.Id)).ShouldBe(parse.Task);
        (await ReadAsync(unit => unit.Dependencies.GetAllAsync(Ct))).ShouldBe(
            [new TaskDependency(parse.Task.Id, lex.Task.Id), new TaskDependency(back.Task.Id, front.Task.Id)], ignoreOrder: true);
        var events = await EventsAsync();
        events.Select(e => (e.Kind, e.TaskId, e.Actor, e.To)).ShouldBe(
            [.. new[] { root, front.Task, lex.Task, parse.Task, back.Task }.Select(t => (EventKinds.TaskCreated, (string?)t.Id, (string?)"agent-1", (string?)"pending"))]);
        events[3].DataJson.ShouldBe($$"""{"title":"Parser","parent_task_id":"{{front.Task.Id}}","key":"parse","depends_on":["{{lex.Task.Id}}"]}""");
    }

    [Fact]
    public async Task PlanAsync_DueDateWithSubMillisecondsAndAnOffset_ReturnsTheRecordExactlyAsStored()
    {
        var due = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(12_345);

        var plan = await PlanAsync(new TaskSpec { Title = "Due soon", DueAt = due });

        plan.Root.Task.DueAt.ShouldBe(new DateTimeOffset(2026, 12, 1, 8, 0, 0, 1, TimeSpan.Zero));
        (await GetTaskAsync(plan.Root.Task.Id)).ShouldBe(plan.Root.Task);
    }

    [Fact]
    public async Task PlanAsync_LocalKeysFormACycle_RefusesNamingTheKeysAndStoresNothing()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(new TaskSpec
        {
            Title = "Release",
            Subtasks =
            [
                new TaskSpec { Key = "build", Title = "Build", Dependencies = ["test"] },
                new TaskSpec { Key = "test", Title = "Test", Dependencies = ["ship"] },
                new TaskSpec { Key = "ship", Title = "Ship", Dependencies = ["build"] },
            ],
        }));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Message.ShouldBe("The plan's dependencies form a cycle: build -> test -> ship -> build.");
        ex.Error.Details!["cycle"]!.ToJsonString().ShouldBe("""["build","test","ship","build"]""");
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).ShouldBeEmpty();
        (await EventsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task PlanAsync_DependencyOnUnknownIds_RefusesNamingThemAndStoresNothing()
    {
        var existing = (await PlanTasksAsync("Existing"))[0];

        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(new TaskSpec
        {
            Title = "New work",
            Dependencies = ["task_zzz", existing],
            Subtasks = [new TaskSpec { Title = "Step", Dependencies = ["task_aaa", "typo_key"] }],
        }));

        ex.Error.Code.ShouldBe(ErrorCodes.NotFound);
        ex.Error.Field.ShouldBe("dependencies[0]");
        ex.Error.Message.ShouldBe("These dependencies are neither keys of this plan nor existing tasks: task_aaa, task_zzz, typo_key.");
        ex.Error.Details!["missing"]!.ToJsonString().ShouldBe("""["task_aaa","task_zzz","typo_key"]""");
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Select(n => n.Id).ShouldBe([existing]);
    }

    [Fact]
    public async Task PlanAsync_SubtaskDependsOnItsOwnAncestorInThePlan_RefusesAsACycle()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(new TaskSpec
        {
            Key = "epic",
            Title = "Epic",
            Subtasks = [new TaskSpec { Title = "Story", Subtasks = [new TaskSpec { Title = "Subtask", Dependencies = ["epic"] }] }],
        }));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Field.ShouldBe("subtasks[0].subtasks[0].dependencies");
        ex.Error.Message.ShouldBe("'subtasks[0].subtasks[0]' would depend on its own ancestor 'epic', which cannot complete before its subtasks end: the work could never start.");
    }

    [Fact]
    public async Task PlanAsync_AttachedUnderATaskItDependsOn_RefusesAsACycle()
    {
        var grandparent = (await PlanAsync(new TaskSpec { Title = "Epic", Subtasks = [new TaskSpec { Title = "Story" }] }));
        var story = grandparent.Subtasks[0].Task.Id;

        var ex = await Should.ThrowAsync<OrchestratorException>(() =>
            PlanAsync(new TaskSpec { Title = "Subtask", Dependencies = [grandparent.Root.Task.Id] }, parentTaskId: story));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Message.ShouldBe($"The task would depend on its own ancestor '{grandparent.Root.Task.Id}', which cannot complete before its subtasks end: the work could never start.");
    }

    [Fact]
    public async Task PlanAsync_SpecDependsOnItsOwnKey_RefusesAsACycle()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(new TaskSpec
        {
            Title = "Root",
            Subtasks = [new TaskSpec { Key = "loop", Title = "Loop", Dependencies = ["loop"] }],
        }));

        ex.Error.Code.ShouldBe(ErrorCodes.DependencyCycle);
        ex.Error.Field.ShouldBe("subtasks[0].dependencies[0]");
        ex.Error.Message.ShouldBe("'subtasks[0]' depends on itself ('loop').");
    }

    [Fact]
    public async Task PlanAsync_DuplicateKeys_RefusesNamingBothSpecs()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(new TaskSpec
        {
            Title = "Root",
            Subtasks = [new TaskSpec { Key = "x", Title = "One" }, new TaskSpec { Key = "x", Title = "Two" }],
        }));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Field.ShouldBe("subtasks[1].key");
        ex.Error.Message.ShouldBe("The key 'x' is used by both 'subtasks[0]' and 'subtasks[1]'.");
    }

    [Fact]
    public async Task PlanAsync_UnknownRole_RefusesNamingTheFieldAndListingTheRoles()
    {
        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(new TaskSpec
        {
            Title = "Root",
            Subtasks = [new TaskSpec { Title = "Step", SpecialistType = "wizard" }],
        }));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Field.ShouldBe("subtasks[0].specialist_type");
        ex.Error.Allowed.ShouldBe(Roles.Names);
    }

    [Fact]
    public async Task PlanAsync_DependenciesOnExistingTasks_ReadyOnlyWhenEverySuchDependencyIsSatisfied()
    {
        var (done, archivedDone, open) = await ThreeExistingTasksAsync();

        var plan = await PlanAsync(new TaskSpec
        {
            Title = "Root",
            Dependencies = [done, archivedDone],
            Subtasks = [new TaskSpec { Title = "Waits", Dependencies = [done, open] }],
        });

        plan.Root.Ready.ShouldBeTrue();
        plan.Root.DependsOn.ShouldBe([done, archivedDone]);
        plan.Subtasks[0].Ready.ShouldBeFalse();
    }

    [Fact]
    public async Task PlanAsync_ParentHasEnded_RefusesToAttachSubtasks()
    {
        var parent = (await PlanTasksAsync("Parent"))[0];
        await FinishAsync(parent);

        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(new TaskSpec { Title = "Late" }, parentTaskId: parent));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        ex.Error.Message.ShouldBe($"The parent task '{parent}' is 'completed'; subtasks cannot be added to a task that has ended.");
    }

    [Fact]
    public async Task PlanAsync_ActiveSession_StampsTheTasksAndTouchesTheSession()
    {
        var session = await WriteAsync(unit => new SessionService(Time, Ids).CreateAsync(unit, Store.Workspace.Id, "Compiler work", "claude-code 1.0", Ct));
        Time.Advance(TimeSpan.FromMinutes(5));

        var plan = await PlanAsync(new TaskSpec { Title = "Root", Subtasks = [new TaskSpec { Title = "Step" }] }, sessionId: session.Id);

        plan.Root.Task.SessionId.ShouldBe(session.Id);
        plan.Subtasks[0].Task.SessionId.ShouldBe(session.Id);
        (await ReadAsync(unit => unit.Sessions.GetAsync(session.Id, Ct)))!.LastActivityAt.ShouldBe(Start.AddMinutes(5));
    }

    [Fact]
    public async Task PlanAsync_ArchivedSession_Refuses()
    {
        var session = await WriteAsync(async unit =>
        {
            var created = await new SessionService(Time, Ids).CreateAsync(unit, Store.Workspace.Id, "Old work", null, Ct);
            await unit.Sessions.UpdateAsync(created with { Status = SessionStatus.Archived, Version = 2 }, 1, Ct);
            return created;
        });

        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(new TaskSpec { Title = "Root" }, sessionId: session.Id));

        ex.Error.Code.ShouldBe(ErrorCodes.IllegalTransition);
        ex.Error.Field.ShouldBe("session_id");
    }

    [Fact]
    public async Task PlanAsync_NestedDeeperThanTheLimit_RefusesAsTooLarge()
    {
        var spec = new TaskSpec { Title = "Leaf" };
        for (int depth = 0; depth < Limits.PlanDepth + 1; depth++)
        {
            spec = new TaskSpec { Title = $"Level {depth}", Subtasks = [spec] };
        }

        var ex = await Should.ThrowAsync<OrchestratorException>(() => PlanAsync(spec));

        ex.Error.Code.ShouldBe(ErrorCodes.TooLarge);
        ex.Error.Message.ShouldBe($"Subtasks are nested deeper than {Limits.PlanDepth} levels in one call.");
    }

    private async Task<(string Done, string ArchivedDone, string Open)> ThreeExistingTasksAsync()
    {
        var ids = await PlanTasksAsync("Done", "Archived after completing", "Open");
        await FinishAsync(ids[0]);
        await FinishAsync(ids[1]);
        await WriteAsync(unit => new TaskEditor(Time).UpdateAsync(
            unit, new TaskUpdate { TaskId = ids[1], Status = TaskItemStatus.Archived }, Roles, Agent, Ct));
        return (ids[0], ids[1], ids[2]);
    }
}
