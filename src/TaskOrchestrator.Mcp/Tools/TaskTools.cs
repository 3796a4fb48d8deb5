using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Core.Tasks.Removal;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Task tools that change the plan: plan, update, cancel and delete.</summary>
[McpServerToolType]
public sealed class TaskTools
{
    private readonly ToolContextFactory _contexts;
    private readonly TaskPlanner _planner;
    private readonly TaskEditor _editor;
    private readonly TaskCanceller _canceller;
    private readonly TaskDeleter _deleter;
    private readonly TimeProvider _time;

    /// <summary>Creates the tools.</summary>
    public TaskTools(ToolContextFactory contexts, TaskPlanner planner, TaskEditor editor, TaskCanceller canceller, TaskDeleter deleter, TimeProvider time)
    {
        _contexts = contexts;
        _planner = planner;
        _editor = editor;
        _canceller = canceller;
        _deleter = deleter;
        _time = time;
    }

    /// <summary>orchestrator_plan_task.</summary>
    [McpServerTool(Name = "orchestrator_plan_task", Title = "Plan a task tree", UseStructuredContent = true, OutputSchemaType = typeof(PlanTaskResult), Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Creates a task and, in the same call, its whole tree of subtasks. Subtasks may depend on each other by their local 'key' (or on existing tasks by id); everything is created atomically or, if anything is wrong (an unknown dependency, a cycle, a bad value), nothing is. Returns the task_id, version and status of the top task and the id of every subtask.")]
    public async Task<CallToolResult> PlanTask(
        RequestContext<CallToolRequestParams> request,
        [Description("Short title of what will be done."), MaxLength(200)] string title,
        [Description("What to do and what done looks like."), MaxLength(20000)] string? description = null,
        [Description("Kind of work.")] TaskType task_type = TaskType.Standard,
        [Description("An existing task to put this task under, as a subtask."), MaxLength(128)] string? parent_task_id = null,
        [Description("How hard it is; among equal priorities, simpler tasks are handed out first.")] TaskComplexity complexity = TaskComplexity.Moderate,
        [Description("Specialist role that should do it (see the roster from orchestrator_initialize_session). Defaults from task_type: implementation->implementer, testing->tester, review/approval->reviewer, documentation->documenter, research->researcher, deployment->devops, breakdown/milestone->coordinator, else generic."), MaxLength(40)] string? specialist_type = null,
        [Description("How urgent it is; higher priorities are handed out first.")] TaskPriority priority = TaskPriority.Medium,
        [Description("Free-text effort estimate such as '2h' or '1d'."), MaxLength(64)] string? estimated_effort = null,
        [Description("Due date, ISO 8601: 2026-12-01 or 2026-12-01T17:00:00Z."), MaxLength(40)] string? due_date = null,
        [Description("A JSON object of context (goal, constraints, decisions) handed to every specialist working on this task or its subtasks.")] JsonElement? context = null,
        [Description("Ids of existing tasks this task waits for."), MaxLength(100)] string[]? dependencies = null,
        [Description("The session this task belongs to; defaults to the session current on this connection."), MaxLength(128)] string? session_id = null,
        [Description("A key unique to this operation; repeating the call with the same key returns the original result and creates nothing."), MaxLength(128)] string? idempotency_key = null,
        [Description("Nested subtask specs, created with the task as one tree."), MaxLength(500)] SubtaskInput[]? subtasks = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = await _contexts.ForCallAsync(request.Server, null, InputParsing.Identifier(session_id, "session_id"), cancellationToken);
        var root = new TaskSpec
        {
            Title = title,
            Description = string.IsNullOrEmpty(description) ? null : description,
            Type = task_type,
            Complexity = complexity,
            SpecialistType = specialist_type,
            Priority = priority,
            EstimatedEffort = string.IsNullOrEmpty(estimated_effort) ? null : estimated_effort,
            DueAt = InputParsing.Instant(due_date, "due_date"),
            ContextJson = InputParsing.JsonObject(context, "context"),
            Dependencies = dependencies ?? [],
            Subtasks = ToSpecs(subtasks, "subtasks"),
        };
        var plan = new PlanRequest(root, InputParsing.Identifier(parent_task_id, "parent_task_id"), call.SessionId);
        var roles = call.Workspace.Roles();
        var store = call.Workspace.Store;

        return await ToolWrites.RunAsync(
            store,
            CanonicalRequest.For(request.Params, InputParsing.Identifier(idempotency_key, "idempotency_key")),
            _time,
            async unit =>
            {
                var planned = await _planner.PlanAsync(unit, store.Workspace.Id, plan, roles, call.Actor(), cancellationToken);
                var rootDependencies = await unit.Dependencies.GetDependenciesAsync([planned.Root.Task.Id], cancellationToken);
                return (planned, rootDependencies);
            },
            value => ShapePlan(value.planned, value.rootDependencies),
            cancellationToken);
    }

    /// <summary>orchestrator_update_task.</summary>
    [McpServerTool(Name = "orchestrator_update_task", Title = "Update a task", UseStructuredContent = true, OutputSchemaType = typeof(UpdateTaskResult), Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Edits a task: any of its fields, its parent, its status (pending to unblock/reopen/release, blocked, failed, cancelled, archived) and its dependencies, as one change. Pass expected_version from the task you read: if someone changed it since, the update is refused with the current version instead of overwriting their change. Returns the task and each change applied.")]
    public async Task<CallToolResult> UpdateTask(
        McpServer server,
        [Description("The task to update."), MaxLength(128)] string task_id,
        [Description("The version you read; the update applies only if the task is still at it.")] long? expected_version = null,
        [Description("New title."), MaxLength(200)] string? title = null,
        [Description("New description."), MaxLength(20000)] string? description = null,
        [Description("New kind of work.")] TaskType? task_type = null,
        [Description("New complexity.")] TaskComplexity? complexity = null,
        [Description("New specialist role."), MaxLength(40)] string? specialist_type = null,
        [Description("New priority.")] TaskPriority? priority = null,
        [Description("New effort estimate."), MaxLength(64)] string? estimated_effort = null,
        [Description("New due date, ISO 8601."), MaxLength(40)] string? due_date = null,
        [Description("New context object (replaces the old one).")] JsonElement? context = null,
        [Description("Move the task under this parent."), MaxLength(128)] string? parent_task_id = null,
        [Description("New status: pending (unblock, reopen or release), blocked, failed, cancelled or archived. Tasks start with orchestrator_execute_task and complete with orchestrator_complete_task.")] StatusChangeTarget? status = null,
        [Description("Why the status changes; required for blocked and failed."), MaxLength(4000)] string? status_reason = null,
        [Description("Ids of tasks to start depending on; cycles are refused naming the ids."), MaxLength(100)] string[]? add_dependencies = null,
        [Description("Ids of tasks to stop depending on."), MaxLength(100)] string[]? remove_dependencies = null,
        [Description("Optional fields to empty: description, estimated_effort, due_date, context, parent_task_id (makes it top-level)."), MaxLength(5)] string[]? clear_fields = null,
        [Description("The lease token of your claim; required while the task is claimed by an agent (orchestrator_claim_next_task, or orchestrator_execute_task with an agent_id)."), MaxLength(128)] string? lease_token = null,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var update = new TaskUpdate
        {
            TaskId = InputParsing.RequiredIdentifier(task_id, "task_id", "Name the task to update."),
            ExpectedVersion = expected_version,
            LeaseToken = InputParsing.Identifier(lease_token, "lease_token"),
            Title = title,
            Description = description is "" ? null : description,
            Type = task_type,
            Complexity = complexity,
            SpecialistType = specialist_type,
            Priority = priority,
            EstimatedEffort = estimated_effort is "" ? null : estimated_effort,
            DueAt = InputParsing.Instant(due_date, "due_date"),
            ContextJson = InputParsing.JsonObject(context, "context"),
            ParentTaskId = InputParsing.Identifier(parent_task_id, "parent_task_id"),
            Status = status switch
            {
                null => null,
                StatusChangeTarget.Pending => TaskItemStatus.Pending,
                StatusChangeTarget.Blocked => TaskItemStatus.Blocked,
                StatusChangeTarget.Failed => TaskItemStatus.Failed,
                StatusChangeTarget.Cancelled => TaskItemStatus.Cancelled,
                _ => TaskItemStatus.Archived,
            },
            StatusReason = status_reason,
            AddDependencies = add_dependencies ?? [],
            RemoveDependencies = remove_dependencies ?? [],
            Clear = ClearFields(clear_fields, description is "", estimated_effort is ""),
        };
        var roles = call.Workspace.Roles();
        return await ToolWrites.RunAsync(
            call.Workspace.Store,
            null,
            _time,
            unit => _editor.UpdateAsync(unit, update, roles, call.Actor(), cancellationToken),
            ShapeUpdate,
            cancellationToken);
    }

    /// <summary>orchestrator_cancel_task.</summary>
    [McpServerTool(Name = "orchestrator_cancel_task", Title = "Cancel a task", UseStructuredContent = true, OutputSchemaType = typeof(CancelTaskResult), Destructive = true, OpenWorld = false)]
    [Description("Cancels a task. Unfinished subtasks are cancelled with it when cascade=true; otherwise a task with unfinished subtasks is refused, naming them. Artifacts are kept unless preserve_work=false. Reports the open tasks that depend on the cancelled work.")]
    public async Task<CallToolResult> CancelTask(
        McpServer server,
        [Description("The task to cancel."), MaxLength(128)] string task_id,
        [Description("Why it is cancelled; recorded on the task and in the event log."), MaxLength(4000)] string reason = "cancelled",
        [Description("Keep the artifacts the cancelled tasks produced (default true); false deletes them.")] bool preserve_work = true,
        [Description("Also cancel every unfinished subtask at any depth.")] bool cascade = false,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var id = InputParsing.RequiredIdentifier(task_id, "task_id", "Name the task to cancel.");
        reason = string.IsNullOrWhiteSpace(reason) ? "cancelled" : reason;
        return await ToolWrites.RunAsync(
            call.Workspace.Store,
            null,
            _time,
            async unit =>
            {
                var cancelled = await _canceller.CancelAsync(unit, id, reason, preserve_work, cascade, call.Actor(), cancellationToken);
                var dependencies = await unit.Dependencies.GetDependenciesAsync([id], cancellationToken);
                return (cancelled, dependencies);
            },
            value =>
            {
                var (cancelled, dependencies) = value;
                var result = new CancelTaskResult(ViewMapper.Task(cancelled.Task, dependencies), cancelled.CancelledIds, preserve_work, cancelled.ArtifactsDiscarded, [.. cancelled.AffectedDependents.Select(ViewMapper.Ref)]);
                var affected = cancelled.AffectedDependents.Count == 0 ? string.Empty : $" {Text.Count(cancelled.AffectedDependents.Count, "open task")} depend{(cancelled.AffectedDependents.Count == 1 ? "s" : string.Empty)} on the cancelled work.";
                return (result, $"Cancelled {Text.Count(cancelled.CancelledIds.Count, "task")} starting with {id}; {(preserve_work ? "work kept" : $"{Text.Count(cancelled.ArtifactsDiscarded, "artifact")} discarded")}.{affected}");
            },
            cancellationToken);
    }

    /// <summary>orchestrator_delete_task.</summary>
    [McpServerTool(Name = "orchestrator_delete_task", Title = "Delete a task", UseStructuredContent = true, OutputSchemaType = typeof(DeleteTaskResult), Destructive = true, OpenWorld = false)]
    [Description("Deletes a task, or archives it with archive_instead=true. Refused when it has subtasks, when other tasks depend on it, or when it is in progress, unless force=true, which takes the whole subtree and removes the dependencies of other tasks on it. Reports the action and every affected id. The event log keeps a record of deleted tasks.")]
    public async Task<CallToolResult> DeleteTask(
        McpServer server,
        [Description("The task to delete."), MaxLength(128)] string task_id,
        [Description("Delete (or archive) even with subtasks, dependents or work in progress.")] bool force = false,
        [Description("Archive instead of deleting: the task stays for the record and tasks depending on it keep the dependency.")] bool archive_instead = false,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var id = InputParsing.RequiredIdentifier(task_id, "task_id", "Name the task to delete.");
        return await ToolWrites.RunAsync(
            call.Workspace.Store,
            null,
            _time,
            unit => _deleter.DeleteAsync(unit, id, force, archive_instead, call.Actor(), cancellationToken),
            deleted =>
            {
                var result = new DeleteTaskResult(deleted.Action, id, deleted.TaskIds, [.. deleted.UnlinkedDependencies.Select(d => new UnlinkedDependencyView(d.TaskId, d.DependsOnId))], deleted.ArtifactsDeleted);
                return (result, $"{(deleted.Action == "deleted" ? "Deleted" : "Archived")} {Text.Count(deleted.TaskIds.Count, "task")} starting with {id}; {Text.Count(deleted.UnlinkedDependencies.Count, "dependency", "dependencies")} of other tasks removed, {Text.Count(deleted.ArtifactsDeleted, "artifact")} deleted.");
            },
            cancellationToken);
    }

    private static (PlanTaskResult Result, string Text) ShapePlan(PlanOutcome plan, IReadOnlyList<DependencyState> rootDependencies)
    {
        var all = plan.Subtasks.Prepend(plan.Root).ToArray();
        var subtasks = plan.Subtasks.Select(p => new PlannedSubtaskView(
            p.Key, p.Path, p.Task.Id, p.Task.Title, p.Task.ParentId, WireNames.Of(p.Task.Status), p.Task.SpecialistType, p.DependsOn, p.Ready)).ToArray();
        var ready = all.Where(p => p.Ready).Select(p => p.Task.Id).ToArray();
        var root = plan.Root.Task;
        var result = new PlanTaskResult(root.Id, root.Version, WireNames.Of(root.Status), plan.Root.Ready, ViewMapper.Task(root, rootDependencies), subtasks, all.Length, ready);
        var text = subtasks.Length == 0
            ? $"Planned task {root.Id} '{root.Title}' ({root.SpecialistType}, {WireNames.Of(root.Priority)} priority){(plan.Root.Ready ? "; ready to start" : "; waiting for its dependencies")}."
            : $"Planned task {root.Id} '{root.Title}' with {Text.Count(subtasks.Length, "subtask")}; {ready.Length} ready to start now.";
        return (result, text);
    }

    private static (UpdateTaskResult Result, string Text) ShapeUpdate(UpdateOutcome outcome)
    {
        var changes = outcome.Changes.Select(c => new ChangeView(c.Field, Element(c.From), Element(c.To))).ToArray();
        var result = new UpdateTaskResult(ViewMapper.Task(outcome.Task, outcome.Dependencies), changes, outcome.Task.Version);
        var text = changes.Length == 0
            ? $"Task {outcome.Task.Id} unchanged (version {outcome.Task.Version}): every value given was already current."
            : $"Updated task {outcome.Task.Id} to version {outcome.Task.Version}: {string.Join(", ", changes.Select(c => c.Field))}.";
        return (result, text);
    }

    private static JsonElement? Element(System.Text.Json.Nodes.JsonNode? node) =>
        node is null ? null : JsonSerializer.SerializeToElement(node);

    /// <summary>The fields to empty: those named, plus optional text fields given as "" (an empty value clears).</summary>
    private static HashSet<string> ClearFields(string[]? fields, bool emptyDescription, bool emptyEffort)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (emptyDescription)
        {
            set.Add("description");
        }

        if (emptyEffort)
        {
            set.Add("estimated_effort");
        }

        for (int i = 0; i < (fields?.Length ?? 0); i++)
        {
            if (!TaskUpdate.ClearableFields.Contains(fields![i]))
            {
                throw Core.Errors.Fail.Invalid($"clear_fields[{i}]", $"'{fields[i]}' cannot be cleared.", "Clear only optional fields.", TaskUpdate.ClearableFields);
            }

            set.Add(fields[i]);
        }

        return set;
    }

    private static IReadOnlyList<TaskSpec> ToSpecs(IReadOnlyList<SubtaskInput>? inputs, string path)
    {
        if (inputs is null)
        {
            return [];
        }

        var specs = new TaskSpec[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            var field = $"{path}[{i}]";
            var input = inputs[i] ?? throw Core.Errors.Fail.Missing(field, "Give every subtask an object with at least a title.");
            specs[i] = new TaskSpec
            {
                Key = input.Key,
                Title = input.Title,
                Description = string.IsNullOrEmpty(input.Description) ? null : input.Description,
                Type = input.TaskType ?? TaskType.Standard,
                Complexity = input.Complexity ?? TaskComplexity.Moderate,
                SpecialistType = input.SpecialistType,
                Priority = input.Priority ?? TaskPriority.Medium,
                EstimatedEffort = string.IsNullOrEmpty(input.EstimatedEffort) ? null : input.EstimatedEffort,
                DueAt = InputParsing.Instant(input.DueDate, $"{field}.due_date"),
                ContextJson = InputParsing.JsonObject(input.Context, $"{field}.context"),
                Dependencies = input.Dependencies ?? [],
                Subtasks = ToSpecs(input.Subtasks, $"{field}.subtasks"),
            };
        }

        return specs;
    }
}
