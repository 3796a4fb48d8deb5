using Shouldly;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

// Diagnostics and workspaces: what a store reports about itself, and that workspaces stay apart.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CheckIntegrityAsync_FreshStore_ReturnsNoProblems()
    {
        (await Store.Diagnostics.CheckIntegrityAsync(full: false, Ct)).ShouldBeEmpty();
        (await Store.Diagnostics.CheckIntegrityAsync(full: true, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CheckIntegrityAsync_StoreWithData_ReturnsNoProblems()
    {
        await InsertAsync(NewTask("task_a"), NewTask("task_b") with { ParentId = "task_a" });
        await AddDependencyAsync("task_b", "task_a", DependencyKind.Soft);
        await WriteAsync(unit => unit.Artifacts.InsertAsync(NewArtifact("art_1", "task_b", "work"), Ct));

        (await Store.Diagnostics.CheckIntegrityAsync(full: true, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetSchemaVersionAsync_FreshStore_AppliedIsTheLatest()
    {
        var (applied, latest) = await Store.Diagnostics.GetSchemaVersionAsync(Ct);

        latest.ShouldBeGreaterThanOrEqualTo(1);
        applied.ShouldBe(latest);
    }

    [Fact]
    public void OpenAsync_NewWorkspace_DescribesItsRootAndCreationTime()
    {
        Store.Workspace.RootPath.ShouldBe(WorkspaceRoot);
        Store.Workspace.Id.ShouldStartWith("ws_");
        Store.Workspace.CreatedAt.ShouldBe(Start);
        Store.Location.Backend.ShouldBe(Provider.Backend);
    }

    [Fact]
    public async Task OpenAsync_SameRootAgain_ServesTheSameWorkspace()
    {
        await InsertAsync(NewTask("task_1"));

        var again = await OpenAsync(Store.Workspace.RootPath);

        again.Workspace.ShouldBe(Store.Workspace);
        (await ReadAsync(unit => unit.Tasks.GetAsync("task_1", Ct), again)).ShouldNotBeNull();
    }

    [Fact]
    public async Task OpenAsync_TwoWorkspaces_NeitherSeesTheOthersData()
    {
        var other = await OpenAsync(NewWorkspaceRoot());
        await InsertAsync(NewTask("task_mine", "shared word"), NewTask("task_mine_2") with { ParentId = "task_mine" });
        await AddDependencyAsync("task_mine_2", "task_mine");
        await WriteAsync(async unit =>
        {
            await unit.Sessions.InsertAsync(NewSession("ses_mine"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_mine", "task_mine", "mine"), Ct);
            await unit.Events.AppendAsync(NewEvent(EventKinds.TaskCreated, "task_mine"), Ct);
        });
        await WriteAsync(unit => unit.Tasks.InsertAsync(NewTask("task_theirs", "shared word", other), Ct), other);

        other.Workspace.Id.ShouldNotBe(Store.Workspace.Id);
        await other.PrepareSearchAsync(Ct);
        await using var unit = await other.BeginReadAsync(Ct);
        (await unit.Tasks.GetAsync("task_mine", Ct)).ShouldBeNull();
        (await unit.Tasks.GetManyAsync(["task_mine", "task_theirs"], Ct)).Select(t => t.Id).ShouldBe(["task_theirs"]);
        (await unit.Tasks.QueryAsync(new TaskQuery { SearchText = "shared", IncludeArchived = true }, Ct)).Items.Select(t => t.Id).ShouldBe(["task_theirs"]);
        (await unit.Tasks.GetChildrenAsync(["task_mine"], Ct)).ShouldBeEmpty();
        (await unit.Tasks.GetDescendantsAsync("task_mine", Ct)).ShouldBeEmpty();
        (await unit.Tasks.CountByStatusAsync(null, Ct)).ShouldBe([KeyValuePair.Create(TaskItemStatus.Pending, 1)]);
        (await unit.Tasks.GetAllNodesAsync(Ct)).Select(n => n.Id).ShouldBe(["task_theirs"]);
        (await unit.Dependencies.GetAllAsync(Ct)).ShouldBeEmpty();
        (await unit.Dependencies.GetDependenciesAsync(["task_mine_2"], Ct)).ShouldBeEmpty();
        (await unit.Artifacts.GetTotalsAsync(Ct)).ShouldBe((0, 0L));
        (await unit.Events.GetRecentAsync(null, 10, Ct)).ShouldBeEmpty();
        (await unit.Sessions.GetAsync("ses_mine", Ct)).ShouldBeNull();
        (await unit.Sessions.ListAsync(null, 10, 0, Ct)).TotalCount.ShouldBe(0);
    }
}
