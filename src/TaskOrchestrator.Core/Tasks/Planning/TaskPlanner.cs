using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Planning;

/// <summary>
/// Creates a task tree in one unit: every task, every dependency and every event commit together, or,
/// when anything in the request is wrong, nothing does.
/// </summary>
public sealed class TaskPlanner
{
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the planner.</summary>
    public TaskPlanner(TimeProvider time, IdGenerator ids)
    {
        _time = time;
        _ids = ids;
    }

    /// <summary>
    /// Validates and creates the tree described by <paramref name="request"/> inside <paramref name="unit"/>.
    /// The caller commits.
    /// </summary>
    public async Task<PlanOutcome> PlanAsync(IStoreUnit unit, string workspaceId, PlanRequest request, RoleCatalog roles, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(actor);

        var nodes = Flatten(request.Root, roles);
        var keyed = IndexKeys(nodes);
        var existingDependencyIds = ResolveDependencies(nodes, keyed);
        RefuseAncestorDependencies(nodes);
        RefuseCycles(nodes);

        var now = _time.Now();
        var parent = await LoadAttachableParentAsync(unit, request.ParentTaskId, cancellationToken);
        if (parent is not null)
        {
            await RefuseDependenciesOnAncestorsAsync(unit, parent, nodes, cancellationToken);
        }

        if (request.SessionId is not null)
        {
            await RequireActiveSessionAsync(unit, request.SessionId, cancellationToken);
        }

        var existing = await LoadExistingDependenciesAsync(unit, existingDependencyIds, cancellationToken);

        var created = new List<PlannedTask>(nodes.Count);
        foreach (var node in nodes)
        {
            var record = new TaskRecord
            {
                Id = node.Id,
                WorkspaceId = workspaceId,
                SessionId = request.SessionId,
                ParentId = node.Parent?.Id ?? parent?.Id,
                Title = node.Spec.Title.Trim(),
                Description = node.Spec.Description,
                Type = node.Spec.Type,
                SpecialistType = node.Role,
                Complexity = node.Spec.Complexity,
                Priority = node.Spec.Priority,
                ContextJson = node.Spec.ContextJson,
                EstimatedEffort = node.Spec.EstimatedEffort,
                // Stored to the millisecond in UTC: the record returned must equal the record read back later.
                DueAt = node.Spec.DueAt is { } due ? Clock.Truncate(due) : null,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await unit.Tasks.InsertAsync(record, cancellationToken);
            await unit.Events.AppendAsync(
                new EventRecord
                {
                    WorkspaceId = workspaceId,
                    Kind = EventKinds.TaskCreated,
                    TaskId = record.Id,
                    SessionId = request.SessionId,
                    Actor = actor.Name,
                    To = WireNames.Of(TaskItemStatus.Pending),
                    DataJson = new JsonObject
                    {
                        ["title"] = record.Title,
                        ["parent_task_id"] = record.ParentId,
                        ["key"] = node.Spec.Key,
                        ["depends_on"] = new JsonArray([.. node.DependsOn.Select(d => (JsonNode)d)]),
                    }.ToJsonString(),
                    At = now,
                },
                cancellationToken);

            bool ready = true;
            foreach (var dependencyId in node.DependsOn)
            {
                await unit.Dependencies.AddAsync(new TaskDependency(record.Id, dependencyId), cancellationToken);
                ready &= existing.TryGetValue(dependencyId, out var dependency) && dependency.SatisfiesDependents;
            }

            created.Add(new PlannedTask(node.Spec.Key, node.Path, record, node.DependsOn, ready));
        }

        if (request.SessionId is not null)
        {
            await unit.Sessions.TouchAsync(request.SessionId, now, cancellationToken);
        }

        return new PlanOutcome(created[0], created.Skip(1).ToArray());
    }

    private List<PlanNode> Flatten(TaskSpec root, RoleCatalog roles)
    {
        var nodes = new List<PlanNode>();
        var pending = new Stack<PlanNode>();
        pending.Push(new PlanNode(root, string.Empty, null, 0, _ids.NewTaskId()));
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (nodes.Count == Limits.TasksPerPlan)
            {
                throw Fail.TooLarge("subtasks", $"The plan creates more than {Limits.TasksPerPlan} tasks in one call.", $"{Limits.TasksPerPlan} tasks");
            }

            if (node.Depth > Limits.PlanDepth)
            {
                throw Fail.TooLarge(node.Field("subtasks"), $"Subtasks are nested deeper than {Limits.PlanDepth} levels in one call.", $"{Limits.PlanDepth} levels");
            }

            TaskFieldRules.ValidateSpec(node.Spec, node.Path);
            node.Role = node.Spec.SpecialistType is { } named
                ? roles.Require(named, node.Field("specialist_type")).Name
                : TaskSpec.DefaultRoleFor(node.Spec.Type);
            nodes.Add(node);

            // Push in reverse so that children are created in the order they were given.
            for (int i = node.Spec.Subtasks.Count - 1; i >= 0; i--)
            {
                var child = node.Spec.Subtasks[i] ?? throw Fail.Invalid(node.Field($"subtasks[{i}]"), $"'{node.Field($"subtasks[{i}]")}' is null.", "Give every subtask an object with at least a title.");
                pending.Push(new PlanNode(child, node.Field($"subtasks[{i}]"), node, node.Depth + 1, _ids.NewTaskId()));
            }
        }

        // Depth-first with reversed pushes yields pre-order: parents always precede their children.
        return nodes;
    }

    private static Dictionary<string, PlanNode> IndexKeys(List<PlanNode> nodes)
    {
        var keyed = new Dictionary<string, PlanNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.Spec.Key is null)
            {
                continue;
            }

            if (!keyed.TryAdd(node.Spec.Key, node))
            {
                throw Fail.Invalid(
                    node.Field("key"),
                    $"The key '{node.Spec.Key}' is used by both '{keyed[node.Spec.Key].Path}' and '{node.Path}'.",
                    "Give every subtask in one plan a distinct key.");
            }
        }

        return keyed;
    }

    /// <summary>Resolves local keys to new ids; returns the other references (existing task ids) with where each first appeared.</summary>
    private static Dictionary<string, string> ResolveDependencies(List<PlanNode> nodes, Dictionary<string, PlanNode> keyed)
    {
        var existingIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var resolved = new List<string>(node.Spec.Dependencies.Count);
            for (int i = 0; i < node.Spec.Dependencies.Count; i++)
            {
                var reference = node.Spec.Dependencies[i];
                string id;
                if (keyed.TryGetValue(reference, out var target))
                {
                    id = target.Id;
                }
                else
                {
                    id = reference;
                    existingIds.TryAdd(reference, node.Field($"dependencies[{i}]"));
                }

                if (id == node.Id)
                {
                    throw Fail.With(ErrorCodes.DependencyCycle, $"'{node.Path}' depends on itself ('{reference}').", node.Field($"dependencies[{i}]"), null, "Remove the self-reference.");
                }

                if (!resolved.Contains(id))
                {
                    resolved.Add(id);
                }
            }

            node.DependsOn = resolved;
        }

        return existingIds;
    }

    private static void RefuseAncestorDependencies(List<PlanNode> nodes)
    {
        foreach (var node in nodes)
        {
            for (var ancestor = node.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                if (node.DependsOn.Contains(ancestor.Id))
                {
                    throw AncestorDependency(node.Field("dependencies"), $"'{node.Path}'", ancestor.Spec.Key ?? ancestor.Id);
                }
            }
        }
    }

    private static void RefuseCycles(List<PlanNode> nodes)
    {
        var edges = nodes.SelectMany(n => n.DependsOn.Select(d => new TaskDependency(n.Id, d)));
        var cycle = DependencyGraph.FindCycle(edges);
        if (cycle.Count == 0)
        {
            return;
        }

        var byId = nodes.ToDictionary(n => n.Id);
        var names = cycle.Select(id => byId.TryGetValue(id, out var n) ? n.Spec.Key ?? n.Path : id).ToArray();
        throw Fail.With(
            ErrorCodes.DependencyCycle,
            $"The plan's dependencies form a cycle: {string.Join(" -> ", names)}.",
            byId[cycle[0]].Field("dependencies"),
            null,
            "Remove one dependency of the cycle so that the work can be ordered.",
            new JsonObject { ["cycle"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) });
    }

    private static async Task<TaskRecord?> LoadAttachableParentAsync(IStoreUnit unit, string? parentTaskId, CancellationToken cancellationToken)
    {
        if (parentTaskId is null)
        {
            return null;
        }

        var parent = await unit.Tasks.GetAsync(parentTaskId, cancellationToken)
            ?? throw Fail.NotFound("parent_task_id", "task", parentTaskId);
        if (parent.IsTerminal)
        {
            throw Fail.With(
                ErrorCodes.IllegalTransition,
                $"The parent task '{parent.Id}' is '{WireNames.Of(parent.Status)}'; subtasks cannot be added to a task that has ended.",
                "parent_task_id",
                null,
                parent.Status == TaskItemStatus.Archived
                    ? "Plan the work under another task or as a new top-level task."
                    : "Reopen the parent first (orchestrator_update_task with status='pending') or plan the work elsewhere.");
        }

        return parent;
    }

    private static async Task RefuseDependenciesOnAncestorsAsync(IStoreUnit unit, TaskRecord parent, List<PlanNode> nodes, CancellationToken cancellationToken)
    {
        var ancestors = new List<string>();
        for (TaskRecord? current = parent; current is not null && ancestors.Count < 10_000;)
        {
            ancestors.Add(current.Id);
            current = current.ParentId is null ? null : await unit.Tasks.GetAsync(current.ParentId, cancellationToken);
        }

        foreach (var node in nodes)
        {
            var hit = node.DependsOn.FirstOrDefault(ancestors.Contains);
            if (hit is not null)
            {
                throw AncestorDependency(node.Field("dependencies"), node.Path.Length == 0 ? "The task" : $"'{node.Path}'", hit);
            }
        }
    }

    private static async Task RequireActiveSessionAsync(IStoreUnit unit, string sessionId, CancellationToken cancellationToken)
    {
        var session = await unit.Sessions.GetAsync(sessionId, cancellationToken)
            ?? throw Fail.NotFound("session_id", "session", sessionId, "Call orchestrator_initialize_session, or orchestrator_list_sessions to find an existing one.");
        if (session.Status != SessionStatus.Active)
        {
            throw Fail.With(
                ErrorCodes.IllegalTransition,
                $"Session '{sessionId}' is '{WireNames.Of(session.Status)}'; tasks cannot be planned in it.",
                "session_id",
                null,
                "Resume it first with orchestrator_resume_session, or start a new session.");
        }
    }

    private static async Task<Dictionary<string, TaskRecord>> LoadExistingDependenciesAsync(IStoreUnit unit, Dictionary<string, string> references, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return [];
        }

        var found = (await unit.Tasks.GetManyAsync(references.Keys, cancellationToken)).ToDictionary(t => t.Id);
        var missingInRequestOrder = references.Keys.Where(id => !found.ContainsKey(id)).ToArray();
        var missing = missingInRequestOrder.Order(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            throw Fail.With(
                ErrorCodes.NotFound,
                $"These dependencies are neither keys of this plan nor existing tasks: {string.Join(", ", missing)}.",
                references[missingInRequestOrder[0]],
                null,
                "Refer to a subtask of this plan by its 'key', or to an existing task by its task_id.",
                new JsonObject { ["missing"] = new JsonArray([.. missing.Select(m => (JsonNode)m)]) });
        }

        return found;
    }

    private static OrchestratorException AncestorDependency(string field, string who, string ancestor) =>
        Fail.With(
            ErrorCodes.DependencyCycle,
            $"{who} would depend on its own ancestor '{ancestor}', which cannot complete before its subtasks end: the work could never start.",
            field,
            null,
            "Depend on a sibling instead, or move the shared work into its own task.");

    private sealed class PlanNode(TaskSpec spec, string path, PlanNode? parent, int depth, string id)
    {
        public TaskSpec Spec { get; } = spec;

        public string Path { get; } = path;

        public PlanNode? Parent { get; } = parent;

        public int Depth { get; } = depth;

        public string Id { get; } = id;

        public string Role { get; set; } = RoleCatalog.DefaultRole;

        public IReadOnlyList<string> DependsOn { get; set; } = [];

        public string Field(string name) => Path.Length == 0 ? name : $"{Path}.{name}";
    }
}
