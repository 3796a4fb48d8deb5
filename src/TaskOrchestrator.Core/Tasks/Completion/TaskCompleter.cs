using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Completion;

/// <summary>
/// Stores an agent's result and moves the task as its <see cref="NextAction"/> says: completed,
/// back to pending for revision, or blocked.
/// </summary>
public sealed class TaskCompleter
{
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly AgentHealthPolicy _agents;

    /// <summary>Creates the completer; agents are judged by <paramref name="agents"/> (default: <see cref="AgentHealthPolicy.Default"/>).</summary>
    public TaskCompleter(TimeProvider time, IdGenerator ids, AgentHealthPolicy? agents = null)
    {
        _time = time;
        _ids = ids;
        _agents = agents ?? AgentHealthPolicy.Default;
    }

    /// <summary>Applies <paramref name="request"/> inside <paramref name="unit"/>. The caller commits.</summary>
    public async Task<CompletionOutcome> CompleteAsync(IStoreUnit unit, CompletionRequest request, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        TaskFieldRules.Summary(request.Summary, "summary");
        if (request.DetailedWork is { Length: > Limits.ArtifactContentLength })
        {
            throw Fail.TooLarge("detailed_work", $"'detailed_work' is {request.DetailedWork.Length} characters long.", $"{Limits.ArtifactContentLength} characters");
        }

        var record = await unit.Tasks.GetAsync(request.TaskId, cancellationToken)
            ?? throw Fail.NotFound("task_id", "task", request.TaskId);
        Claims.LeaseGuard.Ensure(record, request.LeaseToken, "reporting it");
        if (request.AgentId is not null && record.AssignedAgent is not null && record.AssignedAgent != request.AgentId)
        {
            throw Fail.With(
                ErrorCodes.TaskHeld,
                $"Task '{record.Id}' is being worked on by agent '{record.AssignedAgent}', not '{request.AgentId}'.",
                "agent_id",
                null,
                "Only the agent that started a task may report it; pick another ready task.",
                new JsonObject { ["held_by"] = record.AssignedAgent });
        }

        var target = request.NextAction switch
        {
            NextAction.NeedsRevision => TaskItemStatus.Pending,
            NextAction.Blocked => TaskItemStatus.Blocked,
            _ => TaskItemStatus.Completed,
        };
        TaskTransitions.EnsureInProgress(record.Id, record.Status, target);
        if (target == TaskItemStatus.Completed)
        {
            await RefuseOpenChildrenAsync(unit, record, cancellationToken);
        }

        var now = _time.Now();
        var task = new TaskItem(record);
        var change = request.NextAction switch
        {
            NextAction.Continue or NextAction.Complete => task.Complete(request.Summary, now),
            NextAction.NeedsRevision => task.ReturnForRevision(request.Summary, now),
            NextAction.Blocked => task.Block(request.Summary, now),
            _ => throw new InvalidOperationException($"Unhandled next action {request.NextAction}."),
        };

        var content = request.DetailedWork ?? string.Empty;
        var artifact = new ArtifactRecord
        {
            Id = _ids.NewArtifactId(),
            WorkspaceId = record.WorkspaceId,
            TaskId = record.Id,
            Type = request.ArtifactType,
            Summary = request.Summary,
            Content = content,
            ContentHash = ContentHash.Of(content),
            ContentLength = content.Length,
            FilePaths = request.FilePaths,
            CreatedBy = actor.Name,
            CreatedAt = now,
        };

        await unit.Tasks.UpdateAsync(task.Current, record, cancellationToken);
        await unit.Artifacts.InsertAsync(artifact, cancellationToken);
        await AppendEventsAsync(unit, record, artifact, change, request.NextAction, actor, now, cancellationToken);
        var outcome = request.NextAction switch
        {
            NextAction.NeedsRevision => AgentOutcome.NeedsRevision,
            NextAction.Blocked => AgentOutcome.Blocked,
            _ => AgentOutcome.Completed,
        };
        await AgentLedger.RecordOutcomeAsync(unit, record, outcome, actor, _agents, now, cancellationToken);
        if (actor.SessionId is not null)
        {
            await unit.Sessions.TouchAsync(actor.SessionId, now, cancellationToken);
        }

        var newlyReady = change.To == TaskItemStatus.Completed
            ? await FindNewlyReadyAsync(unit, record.Id, cancellationToken)
            : [];
        var parent = await ParentProgressAsync(unit, task.Current.ParentId, cancellationToken);
        return new CompletionOutcome(task.Current, request.NextAction, artifact with { Content = null }, newlyReady, parent);
    }

    /// <summary>The progress of the subtasks of <paramref name="parentId"/>, or null when there is no parent.</summary>
    public static async Task<ParentProgress?> ParentProgressAsync(IStoreUnit unit, string? parentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (parentId is null)
        {
            return null;
        }

        var parent = await unit.Tasks.GetAsync(parentId, cancellationToken);
        if (parent is null)
        {
            return null;
        }

        var children = await unit.Tasks.GetChildrenAsync([parentId], cancellationToken);
        return new ParentProgress(parent, children.Count, children.Count(c => c.Status == TaskItemStatus.Completed), children.Count(c => c.IsTerminal));
    }

    private static async Task RefuseOpenChildrenAsync(IStoreUnit unit, TaskRecord record, CancellationToken cancellationToken)
    {
        var open = (await unit.Tasks.GetChildrenAsync([record.Id], cancellationToken)).Where(c => !c.IsTerminal).ToArray();
        if (open.Length == 0)
        {
            return;
        }

        throw Fail.With(
            ErrorCodes.HasChildren,
            $"Task '{record.Id}' still has {Text.Count(open.Length, "open subtask")}: {string.Join(", ", open.Take(20).Select(c => $"{c.Id} ({WireNames.Of(c.Status)})"))}.",
            "task_id",
            null,
            "Finish or cancel the subtasks first, or report with next_action='needs_revision' or 'blocked'.",
            new JsonObject { ["open_subtasks"] = new JsonArray([.. open.Select(c => (JsonNode)c.Id)]) });
    }

    private static async Task AppendEventsAsync(IStoreUnit unit, TaskRecord record, ArtifactRecord artifact, StatusChange change, NextAction action, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await unit.Events.AppendAsync(
            TaskEvents.Of(EventKinds.ArtifactStored, record.WorkspaceId, record.Id, actor, now, new JsonObject
            {
                ["artifact_id"] = artifact.Id,
                ["artifact_type"] = WireNames.Of(artifact.Type),
                ["content_hash"] = artifact.ContentHash,
                ["content_length"] = artifact.ContentLength,
                ["file_paths"] = new JsonArray([.. artifact.FilePaths.Select(p => (JsonNode)p)]),
            }),
            cancellationToken);
        await unit.Events.AppendAsync(
            TaskEvents.StatusChanged(record, change, actor, now, new JsonObject { ["next_action"] = WireNames.Of(action), ["summary"] = artifact.Summary }),
            cancellationToken);
    }

    private static async Task<IReadOnlyList<TaskRecord>> FindNewlyReadyAsync(IStoreUnit unit, string completedId, CancellationToken cancellationToken)
    {
        var dependentIds = (await unit.Dependencies.GetDependentsAsync([completedId], cancellationToken))
            .Where(d => d.Kind == DependencyKind.Hard)
            .Select(d => d.TaskId)
            .Distinct()
            .ToArray();
        if (dependentIds.Length == 0)
        {
            return [];
        }

        var blockedBySomethingElse = (await unit.Dependencies.GetDependenciesAsync(dependentIds, cancellationToken))
            .Where(d => d.Kind == DependencyKind.Hard && !d.Satisfied)
            .Select(d => d.TaskId)
            .ToHashSet(StringComparer.Ordinal);
        // In hand-out order: highest priority, then lowest complexity, then oldest.
        return [.. (await unit.Tasks.GetManyAsync(dependentIds, cancellationToken))
            .Where(t => t.Status == TaskItemStatus.Pending && !blockedBySomethingElse.Contains(t.Id))
            .OrderByDescending(t => t.Priority)
            .ThenBy(t => t.Complexity)
            .ThenBy(t => t.CreatedAt)
            .ThenBy(t => t.Id, StringComparer.Ordinal)];
    }
}
