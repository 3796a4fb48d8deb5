using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Editing;

/// <summary>Applies an update to one task: fields, status, parent and dependencies, as one change.</summary>
public sealed class TaskEditor
{
    private readonly TimeProvider _time;
    private readonly AgentHealthPolicy _agents;

    /// <summary>Creates the editor; agents are judged by <paramref name="agents"/> (default: <see cref="AgentHealthPolicy.Default"/>).</summary>
    public TaskEditor(TimeProvider time, AgentHealthPolicy? agents = null)
    {
        _time = time;
        _agents = agents ?? AgentHealthPolicy.Default;
    }

    /// <summary>Validates and applies <paramref name="update"/> inside <paramref name="unit"/>. The caller commits.</summary>
    public async Task<UpdateOutcome> UpdateAsync(IStoreUnit unit, TaskUpdate update, RoleCatalog roles, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(actor);

        var record = await unit.Tasks.GetAsync(update.TaskId, cancellationToken)
            ?? throw Fail.NotFound("task_id", "task", update.TaskId);
        if (update.ExpectedVersion is { } expected && expected != record.Version)
        {
            throw Fail.VersionConflict(record.Id, expected, record.Version);
        }

        Claims.LeaseGuard.Ensure(record, update.LeaseToken, "updating it");
        var task = new TaskItem(record, "status");
        var now = _time.Now();
        var changes = new List<FieldChange>();
        var events = new List<EventRecord>();

        // A reopen must come before edits (an ended task cannot be edited); any other move after them,
        // so that one call can both annotate a task and put it away.
        bool reopening = update.Status == TaskItemStatus.Pending && record.IsTerminal;
        if (reopening)
        {
            events.Add(await ApplyStatusAsync(unit, task, update, actor, now, cancellationToken));
        }

        var edited = await ApplyFieldsAsync(unit, task, update, roles, now, changes, cancellationToken);
        await ApplyDependenciesAsync(unit, task, update, actor, now, changes, events, cancellationToken);

        if (update.Status is not null && !reopening && update.Status != task.Status)
        {
            events.Add(await ApplyStatusAsync(unit, task, update, actor, now, cancellationToken));
        }

        if (!task.IsChanged)
        {
            var unchangedDependencies = await unit.Dependencies.GetDependenciesAsync([record.Id], cancellationToken);
            return new UpdateOutcome(record, [], unchangedDependencies);
        }

        foreach (var statusEvent in events.Where(e => e.Kind == EventKinds.StatusChanged))
        {
            changes.Insert(0, new FieldChange("status", statusEvent.From, statusEvent.To));
        }

        await unit.Tasks.UpdateAsync(task.Current, record, cancellationToken);
        if (ClaimEnding(record, task.Status) is { } outcome)
        {
            await AgentLedger.RecordOutcomeAsync(unit, record, outcome, actor, _agents, now, cancellationToken);
        }

        if (edited)
        {
            events.Add(TaskEvents.Of(EventKinds.TaskUpdated, record.WorkspaceId, record.Id, actor, now, new JsonObject
            {
                ["changes"] = new JsonArray([.. changes.Where(c => c.Field is not "status" and not "dependencies").Select(c => (JsonNode)new JsonObject
                {
                    ["field"] = c.Field,
                    ["from"] = c.From?.DeepClone(),
                    ["to"] = c.To?.DeepClone(),
                })]),
            }));
        }

        foreach (var e in events.OrderBy(e => e.Kind == EventKinds.StatusChanged ? 1 : 0))
        {
            await unit.Events.AppendAsync(e, cancellationToken);
        }

        if (actor.SessionId is not null)
        {
            await unit.Sessions.TouchAsync(actor.SessionId, now, cancellationToken);
        }

        var dependencies = await unit.Dependencies.GetDependenciesAsync([record.Id], cancellationToken);
        return new UpdateOutcome(task.Current, changes, dependencies);
    }

    private static async Task<bool> ApplyFieldsAsync(IStoreUnit unit, TaskItem task, TaskUpdate update, RoleCatalog roles, DateTimeOffset now, List<FieldChange> changes, CancellationToken cancellationToken)
    {
        var before = task.Current;
        var after = before;
        if (update.Title is not null)
        {
            after = after with { Title = TaskFieldRules.Title(update.Title, "title") };
        }

        if (update.Description is not null)
        {
            TaskFieldRules.Description(update.Description, "description");
            after = after with { Description = update.Description };
        }

        if (update.EstimatedEffort is not null)
        {
            TaskFieldRules.Effort(update.EstimatedEffort, "estimated_effort");
            after = after with { EstimatedEffort = update.EstimatedEffort };
        }

        if (update.ContextJson is not null)
        {
            TaskFieldRules.ContextJson(update.ContextJson, "context");
            after = after with { ContextJson = update.ContextJson };
        }

        after = after with
        {
            Type = update.Type ?? after.Type,
            Complexity = update.Complexity ?? after.Complexity,
            Priority = update.Priority ?? after.Priority,
            // As stored (whole milliseconds, UTC), so that repeating a due date is not reported as a change.
            DueAt = update.DueAt is { } due ? Clock.Truncate(due) : after.DueAt,
            SpecialistType = update.SpecialistType is { } role ? roles.Require(role, "specialist_type").Name : after.SpecialistType,
        };

        after = ApplyClears(after, update.Clear);
        if (update.ParentTaskId is not null && update.ParentTaskId != before.ParentId)
        {
            await EnsureValidParentAsync(unit, before, update.ParentTaskId, cancellationToken);
            after = after with { ParentId = update.ParentTaskId };
        }

        Diff(changes, "title", before.Title, after.Title);
        Diff(changes, "description", before.Description, after.Description);
        Diff(changes, "task_type", WireNames.Of(before.Type), WireNames.Of(after.Type));
        Diff(changes, "complexity", WireNames.Of(before.Complexity), WireNames.Of(after.Complexity));
        Diff(changes, "specialist_type", before.SpecialistType, after.SpecialistType);
        Diff(changes, "priority", WireNames.Of(before.Priority), WireNames.Of(after.Priority));
        Diff(changes, "estimated_effort", before.EstimatedEffort, after.EstimatedEffort);
        if (before.DueAt != after.DueAt)
        {
            // As the task view writes instants, so that a client can compare the two.
            changes.Add(new FieldChange("due_date", before.DueAt is { } b ? JsonValue.Create(b) : null, after.DueAt is { } a ? JsonValue.Create(a) : null));
        }
        Diff(changes, "context", before.ContextJson, after.ContextJson, asJson: true);
        Diff(changes, "parent_task_id", before.ParentId, after.ParentId);

        if (after == before)
        {
            return false;
        }

        task.Edit(_ => after, now);
        return true;
    }

    private static TaskRecord ApplyClears(TaskRecord record, IReadOnlySet<string> clear)
    {
        foreach (var field in clear)
        {
            record = field switch
            {
                "description" => record with { Description = null },
                "estimated_effort" => record with { EstimatedEffort = null },
                "due_date" => record with { DueAt = null },
                "context" => record with { ContextJson = null },
                "parent_task_id" => record with { ParentId = null },
                _ => throw Fail.Invalid("clear_fields", $"'{field}' cannot be cleared.", "Clear only optional fields.", TaskUpdate.ClearableFields),
            };
        }

        return record;
    }

    private static async Task EnsureValidParentAsync(IStoreUnit unit, TaskRecord task, string parentId, CancellationToken cancellationToken)
    {
        if (parentId == task.Id)
        {
            throw Fail.Invalid("parent_task_id", $"Task '{task.Id}' cannot be its own parent.", "Name another task, or clear the parent to make it top-level.");
        }

        var parent = await unit.Tasks.GetAsync(parentId, cancellationToken)
            ?? throw Fail.NotFound("parent_task_id", "task", parentId);
        if (parent.IsTerminal)
        {
            throw Fail.With(ErrorCodes.IllegalTransition, $"The new parent '{parentId}' is '{WireNames.Of(parent.Status)}'; tasks cannot be moved under a task that has ended.", "parent_task_id", null, "Reopen the parent first or choose another one.");
        }

        var newAncestors = new HashSet<string>(StringComparer.Ordinal);
        for (TaskRecord? ancestor = parent; ancestor is not null;)
        {
            if (ancestor.Id == task.Id)
            {
                throw Fail.With(ErrorCodes.DependencyCycle, $"'{parentId}' is a descendant of '{task.Id}'; making it the parent would create a loop in the task tree.", "parent_task_id", null, "Choose a parent outside this task's subtree.");
            }

            newAncestors.Add(ancestor.Id);
            ancestor = ancestor.ParentId is null ? null : await unit.Tasks.GetAsync(ancestor.ParentId, cancellationToken);
        }

        var dependencies = await unit.Dependencies.GetDependenciesAsync([task.Id], cancellationToken);
        if (dependencies.Any(d => d.DependsOnId == parentId))
        {
            throw Fail.With(ErrorCodes.DependencyCycle, $"Task '{task.Id}' depends on '{parentId}', so it cannot become its subtask: the parent cannot end before its subtasks.", "parent_task_id", null, "Remove the dependency first, or choose another parent.");
        }

        // Every task of the moved subtree ends up below the whole new ancestor chain; one that waits for
        // any of those ancestors could never start (the planner refuses the same when attaching a plan).
        var subtree = (await unit.Tasks.GetDescendantsAsync(task.Id, cancellationToken)).Select(t => t.Id).Prepend(task.Id).ToArray();
        var blocked = (await unit.Dependencies.GetDependenciesAsync(subtree, cancellationToken)).FirstOrDefault(d => newAncestors.Contains(d.DependsOnId));
        if (blocked is not null)
        {
            throw Fail.With(ErrorCodes.DependencyCycle, $"Task '{blocked.TaskId}' depends on '{blocked.DependsOnId}', which would become its ancestor under the new parent '{parentId}': an ancestor cannot end before its subtasks.", "parent_task_id", null, "Remove the dependency first, or choose another parent.");
        }
    }

    private static async Task ApplyDependenciesAsync(IStoreUnit unit, TaskItem task, TaskUpdate update, Actor actor, DateTimeOffset now, List<FieldChange> changes, List<EventRecord> events, CancellationToken cancellationToken)
    {
        if (update.AddDependencies.Count == 0 && update.RemoveDependencies.Count == 0)
        {
            return;
        }

        task.EnsureEditable();

        var current = (await unit.Dependencies.GetDependenciesAsync([task.Id], cancellationToken)).Select(d => d.DependsOnId).ToHashSet(StringComparer.Ordinal);
        var before = current.Order(StringComparer.Ordinal).ToArray();

        for (int i = 0; i < update.RemoveDependencies.Count; i++)
        {
            var id = update.RemoveDependencies[i];
            TaskFieldRules.Reference(id, $"remove_dependencies[{i}]");
            if (!await unit.Dependencies.RemoveAsync(task.Id, id, cancellationToken))
            {
                throw Fail.With(ErrorCodes.NotFound, $"Task '{task.Id}' does not depend on '{id}'.", $"remove_dependencies[{i}]", [.. before], "Remove only dependencies the task has; they are listed in 'allowed'.");
            }

            current.Remove(id);
            events.Add(DependencyEvent(EventKinds.DependencyRemoved, task.Current, id, actor, now));
        }

        if (update.AddDependencies.Count > 0)
        {
            await AddDependenciesAsync(unit, task, update.AddDependencies, current, actor, now, events, cancellationToken);
        }

        if (current.Count > Limits.DependenciesPerTask)
        {
            throw Fail.TooLarge("add_dependencies", $"Task '{task.Id}' would have {current.Count} dependencies.", $"{Limits.DependenciesPerTask} dependencies");
        }

        var after = current.Order(StringComparer.Ordinal).ToArray();
        if (!before.SequenceEqual(after))
        {
            changes.Add(new FieldChange("dependencies", new JsonArray([.. before.Select(b => (JsonNode)b)]), new JsonArray([.. after.Select(a => (JsonNode)a)])));
            task.Touch(now); // the task's inputs changed, so readers holding the old version must re-read
        }
    }

    private static async Task AddDependenciesAsync(IStoreUnit unit, TaskItem task, IReadOnlyList<string> ids, HashSet<string> current, Actor actor, DateTimeOffset now, List<EventRecord> events, CancellationToken cancellationToken)
    {
        for (int i = 0; i < ids.Count; i++)
        {
            TaskFieldRules.Reference(ids[i], $"add_dependencies[{i}]");
        }

        var found = (await unit.Tasks.GetManyAsync(ids.Distinct().ToArray(), cancellationToken)).ToDictionary(t => t.Id);
        var missing = ids.Where(id => !found.ContainsKey(id)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            throw Fail.With(ErrorCodes.NotFound, $"These dependencies do not exist in this workspace: {string.Join(", ", missing)}.", "add_dependencies", null, "Check the ids with orchestrator_query_tasks.",
                new JsonObject { ["missing"] = new JsonArray([.. missing.Select(m => (JsonNode)m)]) });
        }

        var ancestors = new HashSet<string>(StringComparer.Ordinal);
        for (var parentId = task.Current.ParentId; parentId is not null;)
        {
            ancestors.Add(parentId);
            parentId = (await unit.Tasks.GetAsync(parentId, cancellationToken))?.ParentId;
        }

        for (int i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            string field = $"add_dependencies[{i}]";
            if (id == task.Id)
            {
                throw Fail.With(ErrorCodes.DependencyCycle, $"Task '{task.Id}' cannot depend on itself.", field, null, "Remove the self-reference.");
            }

            if (ancestors.Contains(id))
            {
                throw Fail.With(ErrorCodes.DependencyCycle, $"Task '{task.Id}' cannot depend on its ancestor '{id}': an ancestor cannot end before its subtasks, so the work could never start.", field, null, "Depend on a sibling instead.");
            }

            if (!current.Add(id))
            {
                continue;
            }

            var path = await unit.Dependencies.FindPathAsync(id, task.Id, cancellationToken);
            if (path is not null)
            {
                var cycle = new List<string> { task.Id };
                cycle.AddRange(path);
                throw Fail.With(
                    ErrorCodes.DependencyCycle,
                    $"Adding '{task.Id}' -> '{id}' would close a cycle: {string.Join(" -> ", cycle)}.",
                    field,
                    null,
                    "Remove one dependency of the cycle, or drop this one.",
                    new JsonObject { ["cycle"] = new JsonArray([.. cycle.Select(c => (JsonNode)c)]) });
            }

            await unit.Dependencies.AddAsync(new TaskDependency(task.Id, id), cancellationToken);
            events.Add(DependencyEvent(EventKinds.DependencyAdded, task.Current, id, actor, now));
        }
    }

    private static async Task<EventRecord> ApplyStatusAsync(IStoreUnit unit, TaskItem task, TaskUpdate update, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        TaskFieldRules.Summary(update.StatusReason, "status_reason");
        var target = update.Status!.Value;
        var change = target switch
        {
            TaskItemStatus.Pending => task.Reopen(update.StatusReason, now),
            TaskItemStatus.Blocked => task.Block(RequireReason(update, "blocked"), now),
            TaskItemStatus.Failed => task.Fail(RequireReason(update, "failed"), now),
            TaskItemStatus.Cancelled => await CancelWithoutChildrenAsync(unit, task, update, now, cancellationToken),
            TaskItemStatus.Archived => task.Archive(update.StatusReason, now),
            TaskItemStatus.InProgress => throw Fail.Invalid("status", "A task is started with orchestrator_execute_task, not by setting its status.", "Call orchestrator_execute_task with this task_id.", AllowedTargets),
            TaskItemStatus.Completed => throw Fail.Invalid("status", "A task is completed with orchestrator_complete_task, which stores its result, not by setting its status.", "Call orchestrator_complete_task with a summary of the work.", AllowedTargets),
            _ => throw new InvalidOperationException($"Unhandled status {target}."),
        };

        return TaskEvents.StatusChanged(task.Current, change, actor, now);
    }

    // The holder of a claim that moves its task out of progress ends the claim: failing it or blocking
    // it counts against the agent, putting it back to pending counts as a release. Cancelling does not
    // count: it judges the task, not the agent's work.
    private static AgentOutcome? ClaimEnding(TaskRecord before, TaskItemStatus after) =>
        before.Status != TaskItemStatus.InProgress || before.LeaseToken is null
            ? null
            : after switch
            {
                TaskItemStatus.Failed => AgentOutcome.Failed,
                TaskItemStatus.Blocked => AgentOutcome.Blocked,
                TaskItemStatus.Pending => AgentOutcome.Released,
                _ => null,
            };

    private static readonly string[] AllowedTargets = ["pending", "blocked", "failed", "cancelled", "archived"];

    private static async Task<StatusChange> CancelWithoutChildrenAsync(IStoreUnit unit, TaskItem task, TaskUpdate update, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unfinished = (await unit.Tasks.GetDescendantsAsync(task.Id, cancellationToken)).Where(t => !t.IsTerminal).Select(t => t.Id).ToArray();
        if (unfinished.Length > 0)
        {
            throw Fail.With(ErrorCodes.HasChildren, $"Task '{task.Id}' has {unfinished.Length} unfinished subtasks: {string.Join(", ", unfinished.Take(20))}.", "status", null,
                "Use orchestrator_cancel_task with cascade=true to cancel the task together with its subtasks.");
        }

        return task.Cancel(update.StatusReason ?? "cancelled", now);
    }

    private static string RequireReason(TaskUpdate update, string status) =>
        string.IsNullOrWhiteSpace(update.StatusReason)
            ? throw Fail.Missing("status_reason", $"Say why the task is {status}; the next agent to see it needs the reason.")
            : update.StatusReason;

    private static EventRecord DependencyEvent(string kind, TaskRecord task, string dependsOnId, Actor actor, DateTimeOffset now) =>
        TaskEvents.Of(kind, task.WorkspaceId, task.Id, actor, now, new JsonObject { ["depends_on"] = dependsOnId });

    private static void Diff(List<FieldChange> changes, string field, string? before, string? after, bool asJson = false)
    {
        if (before == after)
        {
            return;
        }

        changes.Add(new FieldChange(field, ToNode(before, asJson), ToNode(after, asJson)));
    }

    private static JsonNode? ToNode(string? value, bool asJson) =>
        value is null ? null : asJson ? JsonNode.Parse(value) : JsonValue.Create(value);
}
