using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Removal;

/// <summary>Cancels a task and, when asked, its unfinished subtasks.</summary>
public sealed class TaskCanceller
{
    private readonly TimeProvider _time;

    /// <summary>Creates the canceller.</summary>
    public TaskCanceller(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>
    /// Cancels <paramref name="taskId"/>. Unfinished subtasks are cancelled with it when
    /// <paramref name="cascade"/> is set and refused otherwise; with <paramref name="preserveWork"/>
    /// unset, the artifacts of every cancelled task are discarded. The caller commits.
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(IStoreUnit unit, string taskId, string reason, bool preserveWork, bool cascade, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(actor);
        TaskFieldRules.Summary(reason, "reason");

        var record = await unit.Tasks.GetAsync(taskId, cancellationToken)
            ?? throw Fail.NotFound("task_id", "task", taskId);
        var openDescendants = (await unit.Tasks.GetDescendantsAsync(taskId, cancellationToken)).Where(t => !t.IsTerminal).ToList();
        if (openDescendants.Count > 0 && !cascade)
        {
            throw Fail.With(
                ErrorCodes.HasChildren,
                $"Task '{taskId}' has {openDescendants.Count} unfinished subtasks: {string.Join(", ", openDescendants.Take(20).Select(t => t.Id))}.",
                "cascade",
                ["true"],
                "Pass cascade=true to cancel them together with the task, or finish them first.",
                new JsonObject { ["open_subtasks"] = new JsonArray([.. openDescendants.Select(t => (JsonNode)t.Id)]) });
        }

        var now = _time.Now();
        var cancelled = new List<TaskRecord>();
        foreach (var target in openDescendants.Prepend(record))
        {
            var task = new TaskItem(target);
            var change = task.Cancel(reason, now);
            await unit.Tasks.UpdateAsync(task.Current, target, cancellationToken);
            var data = target.Id == taskId ? null : new JsonObject { ["cascade_from"] = taskId };
            await unit.Events.AppendAsync(TaskEvents.StatusChanged(target, change, actor, now, data), cancellationToken);
            cancelled.Add(task.Current);
        }

        var cancelledIds = cancelled.Select(t => t.Id).ToArray();
        int discarded = 0;
        if (!preserveWork)
        {
            discarded = await unit.Artifacts.DeleteForTasksAsync(cancelledIds, cancellationToken);
            if (discarded > 0)
            {
                await unit.Events.AppendAsync(
                    TaskEvents.Of(EventKinds.ArtifactsDiscarded, record.WorkspaceId, taskId, actor, now, new JsonObject
                    {
                        ["count"] = discarded,
                        ["task_ids"] = new JsonArray([.. cancelledIds.Select(i => (JsonNode)i)]),
                    }),
                    cancellationToken);
            }
        }

        var cancelledSet = cancelledIds.ToHashSet(StringComparer.Ordinal);
        var dependentIds = (await unit.Dependencies.GetDependentsAsync(cancelledIds, cancellationToken))
            .Select(d => d.TaskId)
            .Where(id => !cancelledSet.Contains(id))
            .Distinct()
            .ToArray();
        var affected = (await unit.Tasks.GetManyAsync(dependentIds, cancellationToken)).Where(t => !t.IsTerminal).OrderBy(t => t.Id, StringComparer.Ordinal).ToArray();
        return new CancelOutcome(cancelled[0], cancelledIds, discarded, affected);
    }
}
