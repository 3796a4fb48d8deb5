using Shouldly;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Tests.Storage;

public sealed class TaskColumnsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    private static readonly TaskRecord Stored = new()
    {
        Id = "task_1",
        WorkspaceId = "ws_1",
        Title = "Write the parser",
        Description = "kept as it was",
        CreatedAt = At,
        UpdatedAt = At,
    };

    [Fact]
    public void Changed_AClaim_MarksExactlyTheColumnsAClaimWrites()
    {
        var claimed = Stored with
        {
            Status = TaskItemStatus.InProgress,
            Version = 2,
            UpdatedAt = At.AddSeconds(5),
            StartedAt = At.AddSeconds(5),
            AssignedAgent = "agent-1",
            LeaseToken = "lease_1",
            LeaseFence = 1,
            LeaseSeconds = 60,
            LeaseExpiresAt = At.AddSeconds(65),
        };

        TaskColumns.Names(TaskColumns.Changed(claimed, Stored)).ShouldBe(
            ["status", "version", "updated_at", "started_at", "assigned_agent", "lease_expires_at", "lease_token", "lease_fence", "lease_seconds"]);
    }

    [Fact]
    public void Changed_PriorityAndComplexity_MarkTheirRanksToo()
    {
        var changed = Stored with { Priority = TaskPriority.Critical, Complexity = TaskComplexity.VeryComplex };

        TaskColumns.Names(TaskColumns.Changed(changed, Stored)).ShouldBe(["complexity", "complexity_rank", "priority", "priority_rank"]);
    }

    [Fact]
    public void Changed_AValueClearedToNull_MarksThatColumn()
    {
        TaskColumns.Names(TaskColumns.Changed(Stored with { Description = null }, Stored)).ShouldBe(["description"]);
    }

    [Fact]
    public void Changed_CreatedAtDiffers_MarksNothingBecauseCreationIsNeverRewritten()
    {
        TaskColumns.Changed(Stored with { CreatedAt = At.AddDays(-1) }, Stored).ShouldBe(0);
    }

    [Fact]
    public void Changed_RecordsOfTwoTasks_ThrowsNamingBoth()
    {
        var ex = Should.Throw<ArgumentException>(() => TaskColumns.Changed(Stored with { Id = "task_2" }, Stored));

        ex.Message.ShouldContain("'task_2'");
        ex.Message.ShouldContain("'task_1'");
    }

    [Fact]
    public void Updatable_EveryColumnButTheKeyAndTheCreationTime()
    {
        var names = TaskColumns.Names(TaskColumns.Updatable);

        names.Count.ShouldBe(26);
        names.ShouldNotContain("id");
        names.ShouldNotContain("workspace_id");
        names.ShouldNotContain("created_at");
    }
}
