using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Events;

/// <summary>Builds the event rows the services append, so every event of a kind has the same shape.</summary>
public static class TaskEvents
{
    /// <summary>A status move of <paramref name="task"/>, with the reason and any extra details.</summary>
    public static EventRecord StatusChanged(TaskRecord task, StatusChange change, Actor actor, DateTimeOffset at, JsonObject? data = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        if (change.Reason is not null)
        {
            data ??= [];
            data.TryAdd("reason", change.Reason);
        }

        return new EventRecord
        {
            WorkspaceId = task.WorkspaceId,
            Kind = EventKinds.StatusChanged,
            TaskId = task.Id,
            SessionId = actor.SessionId,
            Actor = actor.Name,
            From = WireNames.Of(change.From),
            To = WireNames.Of(change.To),
            DataJson = data?.ToJsonString(),
            At = at,
        };
    }

    /// <summary>Any other event about a task (or, with a null task id, about the workspace).</summary>
    public static EventRecord Of(string kind, string workspaceId, string? taskId, Actor actor, DateTimeOffset at, JsonObject? data = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new EventRecord
        {
            WorkspaceId = workspaceId,
            Kind = kind,
            TaskId = taskId,
            SessionId = actor.SessionId,
            Actor = actor.Name,
            DataJson = data?.ToJsonString(),
            At = at,
        };
    }
}
