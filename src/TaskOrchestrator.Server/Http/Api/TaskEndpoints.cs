using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Tools;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary><c>GET /api/tasks</c> and <c>GET /api/tasks/{id}</c>.</summary>
internal static class TaskEndpoints
{
    /// <summary>The most events one task read returns.</summary>
    public const int MaxEvents = 1_000;

    // Ancestors are walked one read at a time; a deeper chain than this is cut short rather than looped on.
    private const int MaxAncestors = 256;

    private static readonly string[] QueryParameters =
    [
        "status", "task_type", "specialist_type", "complexity", "priority", "parent_task_id", "session_id", "search_text",
        "created_after", "created_before", "ready_only", "include_children", "include_artifacts", "include_archived",
        "sort", "limit", "offset",
    ];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/tasks", ListAsync);
        api.MapGet("/tasks/{id}", GetAsync);
    }

    /// <summary>The tasks matching the filters of orchestrator_query_tasks, as it returns them.</summary>
    private static async Task<IResult> ListAsync(HttpRequest request, ApiWorkspaces workspaces, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, QueryParameters);
        var input = new TaskQueryInput
        {
            Status = query.Enums<TaskItemStatus>("status"),
            TaskType = query.Enums<TaskType>("task_type"),
            SpecialistType = query.List("specialist_type"),
            Complexity = query.Enums<TaskComplexity>("complexity"),
            Priority = query.Enums<TaskPriority>("priority"),
            ParentTaskId = query.Text("parent_task_id"),
            SessionId = query.Text("session_id"),
            SearchText = query.Text("search_text"),
            CreatedAfter = query.Text("created_after"),
            CreatedBefore = query.Text("created_before"),
            ReadyOnly = query.Flag("ready_only"),
            IncludeChildren = query.Flag("include_children"),
            IncludeArtifacts = query.Flag("include_artifacts"),
            IncludeArchived = query.Flag("include_archived"),
            Sort = query.Enum("sort", TaskSort.CreatedAsc),
            Limit = query.Int("limit", 50),
            Offset = query.Int("offset", 0),
        };
        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);
        var result = await input.RunAsync(call.Workspace.Store, call.Workspace.Roles(), cancellationToken);
        return TypedResults.Json(result, ApiJson.Options);
    }

    /// <summary>One task with its subtasks, artifacts, ancestors, dependents and events.</summary>
    private static async Task<IResult> GetAsync(string id, HttpRequest request, ApiWorkspaces workspaces, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "events_limit", "include_artifact_content");
        var eventsLimit = (int)ApiQuery.Whole("events_limit", query.Text("events_limit") ?? "200", 1, MaxEvents);
        var withContent = query.Flag("include_artifact_content");
        if (id.Length > Limits.IdentifierLength)
        {
            throw Fail.TooLarge("id", $"The task id is {id.Length} characters long.", $"{Limits.IdentifierLength} characters");
        }

        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);
        await using var read = await call.Workspace.Store.BeginReadAsync(cancellationToken);
        var task = await read.Tasks.GetAsync(id, cancellationToken)
            ?? throw Fail.NotFound("id", "task", id, "Check the id; GET /api/tasks lists the tasks that exist.");
        var dependencies = await read.Dependencies.GetDependenciesAsync([id], cancellationToken);
        var children = await read.Tasks.GetChildrenAsync([id], cancellationToken);
        var artifacts = await read.Artifacts.GetForTasksAsync([id], withContent, cancellationToken);

        var ancestors = new List<TaskRef>();
        for (var parentId = task.ParentId; parentId is not null && ancestors.Count < MaxAncestors;)
        {
            var parent = await read.Tasks.GetAsync(parentId, cancellationToken);
            if (parent is null)
            {
                break;
            }

            ancestors.Insert(0, ViewMapper.Ref(parent));
            parentId = parent.ParentId;
        }

        var edges = await read.Dependencies.GetDependentsAsync([id], cancellationToken);
        var waiting = (await read.Tasks.GetManyAsync([.. edges.Select(e => e.TaskId)], cancellationToken)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var dependents = edges
            .Where(e => waiting.ContainsKey(e.TaskId))
            .Select(e => new DependentView(e.TaskId, waiting[e.TaskId].Title, WireNames.Of(waiting[e.TaskId].Status), WireNames.Of(e.Kind)))
            .OrderBy(d => d.TaskId, StringComparer.Ordinal)
            .ToArray();

        // One more than asked tells whether there are more.
        var events = await read.Events.GetForTasksAsync([id], eventsLimit + 1, cancellationToken);
        var view = ViewMapper.Task(task, dependencies, children, artifacts);
        if (withContent)
        {
            view = view with { Artifacts = [.. artifacts.Select(a => ViewMapper.Artifact(a, withContent: true))] };
        }

        var result = new TaskDetailResult(
            view,
            ancestors,
            dependents,
            [.. events.Take(eventsLimit).Select(ViewMapper.Event)],
            events.Count > eventsLimit,
            SessionViews.Workspace(call));
        return TypedResults.Json(result, ApiJson.Options);
    }
}
