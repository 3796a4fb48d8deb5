using Microsoft.Data.Sqlite;
using Shouldly;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Core.Tests.Services;

// The services never create these inconsistencies, so most tests write them straight into the store:
// the validator exists for data that got there some other way (older versions, hand edits, bugs).
public sealed class StructureValidatorTests : ServiceTests
{
    private static readonly MaintenanceTarget Workspace = new(MaintenanceScope.Workspace, null, null);

    [Theory]
    [InlineData(ValidationLevel.Basic, "store_integrity_quick,dangling_references,dependency_cycles")]
    [InlineData(ValidationLevel.Standard, "store_integrity_quick,dangling_references,dependency_cycles,ancestor_dependencies,parent_child_status,unsatisfiable_dependencies")]
    [InlineData(ValidationLevel.Thorough, "store_integrity_full,dangling_references,dependency_cycles,ancestor_dependencies,parent_child_status,unsatisfiable_dependencies,artifact_hashes")]
    public async Task ValidateAsync_HealthyWorkspace_RunsTheChecksOfTheLevelAndFindsNothing(ValidationLevel level, string checks)
    {
        var plan = await PlanAsync(new TaskSpec
        {
            Title = "Epic",
            Subtasks = [new TaskSpec { Key = "a", Title = "A" }, new TaskSpec { Title = "B", Dependencies = ["a"] }],
        });
        await FinishAsync(plan.Subtasks[0].Task.Id, "A done", "work of A");

        var report = await ValidateAsync(level);

        report.ChecksRun.ShouldBe(checks.Split(','));
        report.Findings.ShouldBeEmpty();
        report.Valid.ShouldBeTrue();
        (report.Level, report.TasksChecked, report.DependenciesChecked, report.ArtifactsVerified)
            .ShouldBe((level, 3, 1, level == ValidationLevel.Thorough ? 1 : 0));
    }

    [Fact]
    public async Task ValidateAsync_TwoIndependentCycles_ReportsEachAsAnError()
    {
        await InsertRawAsync(RawTask("task_a"), RawTask("task_b"), RawTask("task_c"), RawTask("task_d"));
        await AddEdgesAsync(("task_a", "task_b"), ("task_b", "task_a"), ("task_c", "task_d"), ("task_d", "task_c"));

        var report = await ValidateAsync(ValidationLevel.Basic);

        report.Findings.Select(f => (f.Check, f.Severity, f.Message, string.Join(",", f.TaskIds))).ShouldBe(
        [
            ("dependency_cycles", "error", "Dependencies form a cycle: task_a -> task_b -> task_a.", "task_a,task_b"),
            ("dependency_cycles", "error", "Dependencies form a cycle: task_c -> task_d -> task_c.", "task_c,task_d"),
        ]);
        report.Valid.ShouldBeFalse();
    }

    [Fact]
    public async Task ValidateAsync_SubtaskDependsOnItsAncestor_ReportedFromStandardLevelOn()
    {
        await InsertRawAsync(RawTask("task_p"), RawTask("task_c", "task_p"), RawTask("task_g", "task_c"));
        await AddEdgesAsync(("task_g", "task_p"));

        var basic = await ValidateAsync(ValidationLevel.Basic);
        var standard = await ValidateAsync(ValidationLevel.Standard);

        basic.Findings.ShouldBeEmpty();
        var finding = standard.Findings.ShouldHaveSingleItem();
        (finding.Check, finding.Severity, finding.Message).ShouldBe(("ancestor_dependencies", "error",
            "Task 'task_g' depends on its ancestor 'task_p', which cannot end before its subtasks: neither can proceed."));
        finding.TaskIds.ShouldBe(["task_g", "task_p"]);
    }

    [Fact]
    public async Task ValidateAsync_EndedParentsWithOpenSubtasks_ErrorWhenCompletedWarningOtherwise()
    {
        await InsertRawAsync(
            RawTask("task_done") with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            RawTask("task_open_1", "task_done"),
            RawTask("task_open_2", "task_done") with { Status = TaskItemStatus.Blocked },
            RawTask("task_closed", "task_done") with { Status = TaskItemStatus.Cancelled },
            RawTask("task_dropped") with { Status = TaskItemStatus.Cancelled },
            RawTask("task_stranded", "task_dropped"));

        var report = await ValidateAsync(ValidationLevel.Standard);

        report.Findings.Select(f => (f.Check, f.Severity, f.Message, string.Join(",", f.TaskIds))).ShouldBe(
        [
            ("parent_child_status", "error", "Task 'task_done' is 'completed' but 2 of its subtasks are still open: task_open_1, task_open_2.", "task_done,task_open_1,task_open_2"),
            ("parent_child_status", "warning", "Task 'task_dropped' is 'cancelled' but 1 of its subtasks are still open: task_stranded.", "task_dropped,task_stranded"),
        ]);
        report.Valid.ShouldBeFalse();
    }

    [Fact]
    public async Task ValidateAsync_DependenciesThatCanNeverBeSatisfied_ReportedAsWarnings()
    {
        await InsertRawAsync(
            RawTask("task_cancelled") with { Status = TaskItemStatus.Cancelled },
            RawTask("task_waiting"),
            RawTask("task_reopened"),
            RawTask("task_completed") with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            RawTask("task_archived_done") with { Status = TaskItemStatus.Archived, CompletedAt = Start },
            RawTask("task_fine"));
        await AddEdgesAsync(("task_waiting", "task_cancelled"), ("task_completed", "task_reopened"), ("task_fine", "task_archived_done"));

        var report = await ValidateAsync(ValidationLevel.Standard);

        report.Findings.Select(f => (f.Check, f.Severity, f.Message)).ShouldBe(
        [
            ("unsatisfiable_dependencies", "warning", "Task 'task_completed' is completed although its dependency 'task_reopened' is 'pending' (it was reopened or ended without completing after)."),
            ("unsatisfiable_dependencies", "warning", "Task 'task_waiting' waits for 'task_cancelled', which is 'cancelled' and will not complete: it can never become ready."),
        ], ignoreOrder: true);
        report.Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task ValidateAsync_ThoroughWithAnAlteredArtifact_RehashesEveryArtifactAndReportsTheAlteredOne()
    {
        await InsertRawAsync(RawTask("task_1"));
        await WriteAsync(async unit =>
        {
            for (int i = 0; i < 450; i++)
            {
                var content = $"work {i}";
                await unit.Artifacts.InsertAsync(new ArtifactRecord
                {
                    Id = $"art_{i:000}",
                    WorkspaceId = Store.Workspace.Id,
                    TaskId = "task_1",
                    Summary = "s",
                    Content = content,
                    ContentHash = i == 321 ? ContentHash.Of("what was originally written") : ContentHash.Of(content),
                    ContentLength = content.Length,
                    CreatedAt = Start,
                }, Ct);
            }

            return true;
        });

        var report = await ValidateAsync(ValidationLevel.Thorough);

        report.ArtifactsVerified.ShouldBe(450);
        var finding = report.Findings.ShouldHaveSingleItem();
        (finding.Check, finding.Severity, finding.TaskIds.Single()).ShouldBe(("artifact_hashes", "error", "task_1"));
        finding.Message.ShouldBe($"Artifact 'art_321' of task 'task_1' has content hashing to {ContentHash.Of("work 321")}, not the stored {ContentHash.Of("what was originally written")}: it was altered outside the server.");
    }

    [Fact]
    public async Task ValidateAsync_ParentRowRemovedBehindTheStoresBack_ReportsTheDanglingParentAndTheForeignKeyViolation()
    {
        await InsertRawAsync(RawTask("task_parent"), RawTask("task_child", "task_parent"));
        DeleteWithoutForeignKeys("DELETE FROM task WHERE id = 'task_parent'");

        var report = await ValidateAsync(ValidationLevel.Basic);

        report.Findings.Select(f => (f.Check, f.Severity)).ShouldBe([("store_integrity_quick", "error"), ("dangling_references", "error")]);
        report.Findings[0].Message.ShouldStartWith("foreign key violation: row ");
        report.Findings[1].Message.ShouldBe("Task 'task_child' names parent 'task_parent', which does not exist.");
        report.Findings[1].TaskIds.ShouldBe(["task_child"]);
    }

    [Fact]
    public async Task ValidateAsync_SubtreeScope_KeepsOnlyFindingsTouchingTheSubtree()
    {
        await InsertRawAsync(RawTask("task_a"), RawTask("task_b"), RawTask("task_p"), RawTask("task_c", "task_p"));
        await AddEdgesAsync(("task_a", "task_b"), ("task_b", "task_a"), ("task_c", "task_p"));

        var report = await StructureValidator.ValidateAsync(Store, ValidationLevel.Standard, new MaintenanceTarget(MaintenanceScope.Subtree, null, "task_p"), Ct);

        report.Findings.Select(f => f.Check).ShouldBe(["ancestor_dependencies"]);
        report.TasksChecked.ShouldBe(2); // task_p and task_c: the counts describe the scope
        report.DependenciesChecked.ShouldBe(1);
    }

    private Task<StructureReport> ValidateAsync(ValidationLevel level) => StructureValidator.ValidateAsync(Store, level, Workspace, Ct);

    private Task<bool> AddEdgesAsync(params (string Task, string DependsOn)[] edges) => WriteAsync(async unit =>
    {
        foreach (var (task, dependsOn) in edges)
        {
            await unit.Dependencies.AddAsync(new TaskDependency(task, dependsOn), Ct);
        }

        return true;
    });

    private void DeleteWithoutForeignKeys(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = SqliteStoreProvider.DatabasePath(WorkspacePath),
            Pooling = false,
            ForeignKeys = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery().ShouldBe(1);
    }
}
