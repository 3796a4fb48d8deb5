using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Postgres.Tests.Transfer;

/// <summary>
/// Fills a workspace through the store API with one of everything a transfer must carry: a task whose parent
/// was created after it, a claimed task with every lease field set, dependencies of both kinds, artifacts with
/// non-ASCII content, events, idempotency records, an agent with counters and an open circuit, an instance and
/// a restart that was not graceful.
/// </summary>
internal static class TransferSeed
{
    public static readonly DateTimeOffset At = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    public static async Task SeedAsync(IOrchestratorStore store, string prefix, CancellationToken ct)
    {
        string ws = store.Workspace.Id;
        await using var unit = await store.BeginWriteAsync(ct);
        await unit.Sessions.InsertAsync(new SessionRecord { Id = $"{prefix}s1", WorkspaceId = ws, Name = "Sprint ü", CreatedAt = At, LastActivityAt = At.AddMinutes(5), ClientInfo = "claude-code 1.0" }, ct);
        await unit.Tasks.InsertAsync(Task(ws, $"{prefix}early", "Early child") with { SessionId = $"{prefix}s1" }, ct);
        await unit.Tasks.InsertAsync(Task(ws, $"{prefix}root", "Root \"quoted\"\nsecond line") with { SessionId = $"{prefix}s1", ContextJson = "{\"goal\":\"ship ✓\"}", DueAt = At.AddDays(3), EstimatedEffort = "2d" }, ct);
        await unit.Tasks.InsertAsync(Task(ws, $"{prefix}c1", "Design") with { ParentId = $"{prefix}root", Status = TaskItemStatus.Completed, Version = 3, StartedAt = At.AddMinutes(1), CompletedAt = At.AddMinutes(2), ResultSummary = "designed", Priority = TaskPriority.High, Complexity = TaskComplexity.Simple }, ct);
        await unit.Tasks.InsertAsync(Task(ws, $"{prefix}c2", "Build") with
        {
            ParentId = $"{prefix}root",
            Status = TaskItemStatus.InProgress,
            Version = 4,
            StartedAt = At.AddMinutes(3),
            AssignedAgent = $"{prefix}agent",
            HolderInstanceId = $"{prefix}inst",
            LeaseExpiresAt = At.AddMinutes(13),
            LeaseToken = "lease-token-secret",
            LeaseFence = 3,
            LeaseSeconds = 600,
            SpecialistType = "implementer",
            Type = TaskType.Implementation,
        }, ct);
        await unit.Tasks.InsertAsync(Task(ws, $"{prefix}late", "Parent created later") with { Status = TaskItemStatus.Blocked, StatusReason = "waiting for design" }, ct);
        var early = (await unit.Tasks.GetAsync($"{prefix}early", ct))!;
        await unit.Tasks.UpdateAsync(early with { ParentId = $"{prefix}late", Version = early.Version + 1, UpdatedAt = At.AddMinutes(6) }, early.Version, ct);

        await unit.Dependencies.AddAsync(new TaskDependency($"{prefix}c2", $"{prefix}c1", DependencyKind.Hard), ct);
        await unit.Dependencies.AddAsync(new TaskDependency($"{prefix}early", $"{prefix}c1", DependencyKind.Soft), ct);
        foreach (var (id, task, content) in new[] { ($"{prefix}a1", $"{prefix}c1", "Design notes: naïve → ✓\n```code```"), ($"{prefix}a2", $"{prefix}c1", new string('x', 300)) })
        {
            await unit.Artifacts.InsertAsync(new ArtifactRecord
            {
                Id = id,
                WorkspaceId = ws,
                TaskId = task,
                Type = ArtifactType.Design,
                Summary = "Summary of " + id,
                Content = content,
                ContentHash = ContentHash.Of(content),
                ContentLength = content.Length,
                FilePaths = ["src/a.cs", "docs/b.md"],
                CreatedBy = $"{prefix}agent",
                CreatedAt = At.AddMinutes(2),
            }, ct);
        }

        foreach (var (kind, task, minute) in new[] { ("task_created", $"{prefix}root", 0), ("task_started", $"{prefix}c1", 1), ("task_completed", $"{prefix}c1", 2), ("task_claimed", $"{prefix}c2", 3), ("task_deleted", $"{prefix}gone", 4) })
        {
            await unit.Events.AppendAsync(new EventRecord { WorkspaceId = ws, Kind = kind, TaskId = task, SessionId = $"{prefix}s1", Actor = $"{prefix}agent", From = "pending", To = "in_progress", DataJson = "{\"n\":" + minute + "}", At = At.AddMinutes(minute) }, ct);
        }

        await unit.Idempotency.InsertAsync(new IdempotencyRecord(ws, $"{prefix}key-1", "orchestrator_plan_task", "hash-1", "{\"task_id\":\"root\"}", "Planned root", At), ct);
        await unit.Idempotency.InsertAsync(new IdempotencyRecord(ws, $"{prefix}key-2", "orchestrator_complete_task", "hash-2", "{}", "Reported", At.AddMinutes(2)), ct);
        await unit.Agents.SaveAsync(new AgentRecord
        {
            WorkspaceId = ws,
            Id = $"{prefix}agent",
            Name = "Builder",
            Kind = AgentKind.Worker,
            SpecialistTypes = ["implementer", "tester"],
            RegisteredAt = At,
            UpdatedAt = At.AddMinutes(3),
            LastSeenAt = At.AddMinutes(3),
            LastHeartbeatAt = At.AddMinutes(3),
            Counters = AgentCounters.None with { Claims = 2, Completed = 1, DurationCount = 1, DurationTotalMs = 60_000 },
        }, ct);
        await unit.Instances.UpsertAsync(new ServerInstanceRecord
        {
            Id = $"{prefix}inst",
            WorkspaceId = ws,
            Role = InstanceRole.Worker,
            Host = "build-host",
            ProcessId = 4242,
            ProcessStartedAt = 123456,
            Executable = "/usr/bin/task-orchestrator",
            Version = "1.0.0",
            State = InstanceState.Stopped,
            StartedAt = At,
            HeartbeatAt = At.AddMinutes(4),
            StoppedAt = At.AddMinutes(5),
            Detail = "stopped by SIGTERM",
        }, ct);
        await unit.Restarts.InsertAsync(new RestartRecord
        {
            Id = $"{prefix}restart",
            WorkspaceId = ws,
            InstanceId = $"{prefix}inst",
            Kind = RestartKind.CrashRecovery,
            Reason = RestartReason.ErrorRecovery,
            Graceful = false,
            StartedAt = At.AddMinutes(4),
            FinishedAt = At.AddMinutes(4.5),
            Outcome = RestartOutcome.Succeeded,
            FromVersion = "1.0.0",
            ToVersion = "1.0.1",
        }, ct);
        await unit.CommitAsync(ct);
    }

    private static TaskRecord Task(string ws, string id, string title) => new() { Id = id, WorkspaceId = ws, Title = title, CreatedAt = At, UpdatedAt = At };
}
