using Shouldly;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;

namespace TaskOrchestrator.Testing.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertAsync_Artifact_RoundTripsContentHashAndEveryField()
    {
        await InsertAsync(NewTask("task_1"));
        const string content = "public sealed class Parser { } // ünïcödé ✓ 🚀\nline two";
        var artifact = NewArtifact("art_1", "task_1", content) with
        {
            Type = ArtifactType.Code,
            Summary = "Parser skeleton",
            FilePaths = ["src/Parser.cs", "docs/parser.md"],
            CreatedBy = "agent-3",
        };

        await WriteAsync(unit => unit.Artifacts.InsertAsync(artifact, Ct));

        var stored = (await ReadAsync(unit => unit.Artifacts.GetForTasksAsync(["task_1"], includeContent: true, Ct))).ShouldHaveSingleItem();
        stored.FilePaths.ShouldBe(["src/Parser.cs", "docs/parser.md"]);
        stored.ShouldBe(artifact with { FilePaths = stored.FilePaths });
        stored.ContentHash.ShouldBe(ContentHash.Of(stored.Content!));
        stored.ContentLength.ShouldBe(content.Length);
    }

    [Fact]
    public async Task GetForTasksAsync_WithoutContent_ReturnsNullContentAndKeepsHashAndLength()
    {
        await InsertAsync(NewTask("task_1"));
        var artifact = NewArtifact("art_1", "task_1", "the detailed work");
        await WriteAsync(unit => unit.Artifacts.InsertAsync(artifact, Ct));

        var stored = (await ReadAsync(unit => unit.Artifacts.GetForTasksAsync(["task_1"], includeContent: false, Ct))).ShouldHaveSingleItem();

        stored.Content.ShouldBeNull();
        stored.ContentHash.ShouldBe(ContentHash.Of("the detailed work"));
        stored.ContentLength.ShouldBe(17);
        stored.Summary.ShouldBe("Summary of art_1");
    }

    [Fact]
    public async Task GetForTasksAsync_SeveralTasks_ReturnsTheirArtifactsOldestFirst()
    {
        await InsertAsync(NewTask("task_1"), NewTask("task_2"), NewTask("task_3"));
        await WriteAsync(async unit =>
        {
            await unit.Artifacts.InsertAsync(NewArtifact("art_z", "task_2", "first"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_m", "task_3", "not asked for"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_a", "task_1", "third"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_k", "task_2", "fourth"), Ct);
        });

        var artifacts = await ReadAsync(unit => unit.Artifacts.GetForTasksAsync(["task_1", "task_2"], includeContent: true, Ct));

        artifacts.Select(a => (a.Id, a.Content)).ShouldBe([("art_z", "first"), ("art_a", "third"), ("art_k", "fourth")]);
    }

    [Fact]
    public async Task DeleteForTasksAsync_Tasks_DeletesTheirArtifactsAndReturnsHowMany()
    {
        await InsertAsync(NewTask("task_1"), NewTask("task_2"), NewTask("task_3"));
        await WriteAsync(async unit =>
        {
            await unit.Artifacts.InsertAsync(NewArtifact("art_1", "task_1", "a"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_2", "task_1", "b"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_3", "task_2", "c"), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_4", "task_3", "d"), Ct);
        });

        int deleted = -1;
        await WriteAsync(async unit => deleted = await unit.Artifacts.DeleteForTasksAsync(["task_1", "task_2", "task_missing"], Ct));

        deleted.ShouldBe(3);
        var left = await ReadAsync(unit => unit.Artifacts.GetAfterAsync(null, 10, includeContent: false, Ct));
        left.Select(a => a.Id).ShouldBe(["art_4"]);
    }

    [Fact]
    public async Task GetTotalsAsync_Artifacts_ReturnsTheirCountAndTotalContentLength()
    {
        await InsertAsync(NewTask("task_1"), NewTask("task_2"));
        var empty = await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct));
        await WriteAsync(async unit =>
        {
            await unit.Artifacts.InsertAsync(NewArtifact("art_1", "task_1", new string('x', 1_000)), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_2", "task_2", new string('y', 234)), Ct);
            await unit.Artifacts.InsertAsync(NewArtifact("art_3", "task_2", string.Empty), Ct);
        });

        var totals = await ReadAsync(unit => unit.Artifacts.GetTotalsAsync(Ct));

        empty.ShouldBe((0, 0L));
        totals.ShouldBe((3, 1_234L));
    }

    [Fact]
    public async Task GetAfterAsync_Pages_WalkEveryArtifactInIdOrder()
    {
        await InsertAsync(NewTask("task_1"), NewTask("task_2"));
        await WriteAsync(async unit =>
        {
            foreach (var (id, task) in new[] { ("art_d", "task_1"), ("art_b", "task_2"), ("art_e", "task_1"), ("art_a", "task_2"), ("art_c", "task_1") })
            {
                await unit.Artifacts.InsertAsync(NewArtifact(id, task, "content of " + id), Ct);
            }
        });

        var first = await ReadAsync(unit => unit.Artifacts.GetAfterAsync(null, 2, includeContent: true, Ct));
        var second = await ReadAsync(unit => unit.Artifacts.GetAfterAsync(first[^1].Id, 2, includeContent: false, Ct));
        var third = await ReadAsync(unit => unit.Artifacts.GetAfterAsync(second[^1].Id, 2, includeContent: true, Ct));
        var done = await ReadAsync(unit => unit.Artifacts.GetAfterAsync(third[^1].Id, 2, includeContent: true, Ct));

        first.Select(a => (a.Id, a.Content)).ShouldBe([("art_a", "content of art_a"), ("art_b", "content of art_b")]);
        second.Select(a => (a.Id, a.Content)).ShouldBe([("art_c", (string?)null), ("art_d", null)]);
        third.Select(a => a.Id).ShouldBe(["art_e"]);
        done.ShouldBeEmpty();
    }
}
