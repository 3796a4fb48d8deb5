using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Removal;

/// <summary>Deletes or archives a task, refusing to break other work unless forced.</summary>
public sealed class TaskDeleter
{
    private readonly TimeProvider _time;

    /// <summary>Creates the deleter.</summary>
    public TaskDeleter(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>
    /// Deletes <paramref name="taskId"/> (or archives it with <paramref name="archiveInstead"/>). When
    /// it has subtasks, has dependents or is in progress, it is refused unless <paramref name="force"/>,
    /// which takes the whole subtree and unlinks the dependents. The caller commits.
    /// </summary>
    public async Task<DeleteOutcome> DeleteAsync(IStoreUnit unit, string taskId, bool force, bool archiveInstead, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(actor);

        var record = await unit.Tasks.GetAsync(taskId, cancellationToken)
            ?? throw Fail.NotFound("task_id", "task", taskId);
        var descendants = await unit.Tasks.GetDescendantsAsync(taskId, cancellationToken);
        var subtree = descendants.Prepend(record).ToList();
        var subtreeIds = subtree.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var outsideDependents = (await unit.Dependencies.GetDependentsAsync([.. subtreeIds], cancellationToken))
            .Where(d => !subtreeIds.Contains(d.TaskId))
            .ToList();

        if (!force)
        {
            RefuseUnforced(record, descendants, outsideDependents, archiveInstead);
        }

        var now = _time.Now();
        return archiveInstead
            ? await ArchiveAsync(unit, subtree, actor, now, cancellationToken)
            : await RemoveAsync(unit, subtree, outsideDependents, actor, now, cancellationToken);
    }

    private static void RefuseUnforced(TaskRecord record, IReadOnlyList<TaskRecord> descendants, List<TaskDependency> dependents, bool archiveInstead)
    {
        string verb = archiveInstead ? "archived" : "deleted";
        if (descendants.Count > 0)
        {
            throw Fail.With(
                ErrorCodes.HasChildren,
                $"Task '{record.Id}' has {descendants.Count} subtasks ({string.Join(", ", descendants.Take(20).Select(t => t.Id))}); it is not {verb} without force.",
                "force",
                ["true"],
                $"Pass force=true to {(archiveInstead ? "archive" : "delete")} the whole subtree.",
                new JsonObject { ["subtasks"] = new JsonArray([.. descendants.Select(t => (JsonNode)t.Id)]) });
        }

        if (dependents.Count > 0 && !archiveInstead)
        {
            var ids = dependents.Select(d => d.TaskId).Distinct().ToArray();
            throw Fail.With(
                ErrorCodes.HasDependents,
                $"{ids.Length} tasks depend on '{record.Id}' ({string.Join(", ", ids.Take(20))}); it is not deleted without force.",
                "force",
                ["true"],
                "Pass force=true to delete it and remove those dependencies, or archive_instead=true to keep it for the record.",
                new JsonObject { ["dependents"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]) });
        }

        if (record.Status == TaskItemStatus.InProgress)
        {
            throw Fail.With(
                ErrorCodes.TaskHeld,
                $"Task '{record.Id}' is in progress by '{record.AssignedAgent ?? "(unnamed)"}'; it is not {verb} without force.",
                "force",
                ["true"],
                "Cancel or release it first, or pass force=true.");
        }
    }

    private static async Task<DeleteOutcome> ArchiveAsync(IStoreUnit unit, List<TaskRecord> subtree, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var archived = new List<string>();
        foreach (var target in subtree.Where(t => t.Status != TaskItemStatus.Archived))
        {
            var task = new TaskItem(target);
            if (target.Status == TaskItemStatus.InProgress)
            {
                // Forced: take it back from its agent first so the archive is a legal move.
                await unit.Events.AppendAsync(TaskEvents.StatusChanged(target, task.Reopen("released to archive", now), actor, now), cancellationToken);
            }

            await unit.Events.AppendAsync(TaskEvents.StatusChanged(target, task.Archive(null, now), actor, now), cancellationToken);
            await unit.Tasks.UpdateAsync(task.Current, target, cancellationToken);
            archived.Add(target.Id);
        }

        return new DeleteOutcome("archived", archived, [], 0);
    }

    private static async Task<DeleteOutcome> RemoveAsync(IStoreUnit unit, List<TaskRecord> subtree, List<TaskDependency> dependents, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = subtree.Select(t => t.Id).ToArray();
        int artifacts = await unit.Artifacts.DeleteForTasksAsync(ids, cancellationToken);
        foreach (var edge in dependents)
        {
            await unit.Events.AppendAsync(
                TaskEvents.Of(EventKinds.DependencyRemoved, subtree[0].WorkspaceId, edge.TaskId, actor, now, new JsonObject { ["depends_on"] = edge.DependsOnId, ["reason"] = "dependency deleted" }),
                cancellationToken);
        }

        // Dependents lose an input: bump their versions so concurrent editors re-read them.
        foreach (var dependent in await unit.Tasks.GetManyAsync([.. dependents.Select(d => d.TaskId).Distinct()], cancellationToken))
        {
            await unit.Tasks.UpdateAsync(dependent with { Version = dependent.Version + 1, UpdatedAt = now }, dependent, cancellationToken);
        }

        await unit.Tasks.DeleteAsync(ids, cancellationToken);
        foreach (var task in subtree)
        {
            await unit.Events.AppendAsync(
                TaskEvents.Of(EventKinds.TaskDeleted, task.WorkspaceId, task.Id, actor, now, new JsonObject
                {
                    ["title"] = task.Title,
                    ["status"] = WireNames.Of(task.Status),
                    ["parent_task_id"] = task.ParentId,
                    ["root_of_deletion"] = subtree[0].Id,
                }),
                cancellationToken);
        }

        return new DeleteOutcome("deleted", ids, dependents, artifacts);
    }
}
