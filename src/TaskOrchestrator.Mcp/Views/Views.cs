using System.Text.Json;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Mcp.Views;

/// <summary>Maps domain records to the views tools return.</summary>
public static class ViewMapper
{
    /// <summary>A task view; <paramref name="dependencies"/> are the task's own edges.</summary>
    public static TaskView Task(
        TaskRecord task,
        IEnumerable<DependencyState> dependencies,
        IEnumerable<TaskRecord>? children = null,
        IEnumerable<ArtifactRecord>? artifacts = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var deps = dependencies.Select(Dependency).ToArray();
        return new TaskView(
            task.Id,
            task.Title,
            task.Description,
            WireNames.Of(task.Type),
            task.SpecialistType,
            WireNames.Of(task.Complexity),
            WireNames.Of(task.Priority),
            WireNames.Of(task.Status),
            task.Version,
            task.Status == TaskItemStatus.Pending && deps.All(d => d.Satisfied || d.Kind == "soft"),
            task.ParentId,
            task.SessionId,
            Json(task.ContextJson),
            task.EstimatedEffort,
            task.DueAt,
            task.CreatedAt,
            task.UpdatedAt,
            task.StartedAt,
            task.CompletedAt,
            task.AssignedAgent,
            task.StatusReason,
            task.ResultSummary,
            deps,
            children?.Select(Ref).ToArray(),
            artifacts?.Select(a => Artifact(a)).ToArray());
    }

    /// <summary>A dependency view.</summary>
    public static DependencyView Dependency(DependencyState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new DependencyView(state.DependsOnId, state.DependsOnTitle, WireNames.Of(state.DependsOnStatus), WireNames.Of(state.Kind), state.Satisfied);
    }

    /// <summary>A task reference.</summary>
    public static TaskRef Ref(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TaskRef(task.Id, task.Title, WireNames.Of(task.Status), task.SpecialistType, WireNames.Of(task.Priority));
    }

    /// <summary>An artifact view, with content only when asked and present.</summary>
    public static ArtifactView Artifact(ArtifactRecord artifact, bool withContent = false)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return new ArtifactView(
            artifact.Id,
            artifact.TaskId,
            WireNames.Of(artifact.Type),
            artifact.Summary,
            artifact.ContentHash,
            artifact.ContentLength,
            artifact.FilePaths,
            artifact.CreatedBy,
            artifact.CreatedAt,
            withContent ? artifact.Content : null);
    }

    /// <summary>An event view.</summary>
    public static EventView Event(EventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EventView(e.Sequence, e.At, e.Kind, e.TaskId, e.SessionId, e.Actor, e.From, e.To, Json(e.DataJson));
    }

    /// <summary>Counts keyed by status wire name, every status present (zero when none).</summary>
    public static Dictionary<string, int> StatusCounts(IReadOnlyDictionary<TaskItemStatus, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return Enum.GetValues<TaskItemStatus>().ToDictionary(WireNames.Of, s => counts.GetValueOrDefault(s));
    }

    /// <summary>A stored JSON text as an element, or null.</summary>
    public static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
