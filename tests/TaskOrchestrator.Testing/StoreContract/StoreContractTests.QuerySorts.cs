using Shouldly;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

// One test per TaskSort. Ids are inserted out of alphabetical order so that no sort passes by
// accident of id order, and ties show that every order ends with the creation sequence.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task QueryAsync_SortCreatedAsc_ReturnsOldestFirst()
    {
        await SeedCreatedOutOfIdOrderAsync();

        (await QueryIdsAsync(new TaskQuery { Sort = TaskSort.CreatedAsc })).ShouldBe(["task_c", "task_a", "task_b"]);
    }

    [Fact]
    public async Task QueryAsync_SortCreatedDesc_ReturnsNewestFirst()
    {
        await SeedCreatedOutOfIdOrderAsync();

        (await QueryIdsAsync(new TaskQuery { Sort = TaskSort.CreatedDesc })).ShouldBe(["task_b", "task_a", "task_c"]);
    }

    [Fact]
    public async Task QueryAsync_SortUpdatedDesc_ReturnsMostRecentlyChangedFirstNewerCreationBreakingTies()
    {
        await InsertAsync(
            NewTask("task_a") with { UpdatedAt = Start.AddMinutes(3) },
            NewTask("task_b") with { UpdatedAt = Start.AddMinutes(1) },
            NewTask("task_c") with { UpdatedAt = Start.AddMinutes(2) },
            NewTask("task_d") with { UpdatedAt = Start.AddMinutes(2) });

        (await QueryIdsAsync(new TaskQuery { Sort = TaskSort.UpdatedDesc })).ShouldBe(["task_a", "task_d", "task_c", "task_b"]);
    }

    [Fact]
    public async Task QueryAsync_SortPriority_ReturnsHighestPriorityThenSimplestThenOldest()
    {
        await InsertAsync(
            NewTask("task_low") with { Priority = TaskPriority.Low, Complexity = TaskComplexity.Trivial },
            NewTask("task_high_complex") with { Priority = TaskPriority.High, Complexity = TaskComplexity.Complex },
            NewTask("task_high_trivial_1") with { Priority = TaskPriority.High, Complexity = TaskComplexity.Trivial },
            NewTask("task_medium"),
            NewTask("task_critical") with { Priority = TaskPriority.Critical, Complexity = TaskComplexity.VeryComplex },
            NewTask("task_high_trivial_2") with { Priority = TaskPriority.High, Complexity = TaskComplexity.Trivial });

        (await QueryIdsAsync(new TaskQuery { Sort = TaskSort.Priority })).ShouldBe(
            ["task_critical", "task_high_trivial_1", "task_high_trivial_2", "task_high_complex", "task_medium", "task_low"]);
    }

    [Fact]
    public async Task QueryAsync_SortDueDate_ReturnsEarliestDueFirstAndUndatedLast()
    {
        await InsertAsync(
            NewTask("task_due2") with { DueAt = Start.AddDays(2) },
            NewTask("task_none1"),
            NewTask("task_due1") with { DueAt = Start.AddDays(1) },
            NewTask("task_none2"),
            NewTask("task_due3") with { DueAt = Start.AddDays(3) });

        (await QueryIdsAsync(new TaskQuery { Sort = TaskSort.DueDate })).ShouldBe(
            ["task_due1", "task_due2", "task_due3", "task_none1", "task_none2"]);
    }

    [Fact]
    public async Task QueryAsync_SortTitle_ReturnsAlphabeticalIgnoringCaseOlderFirstOnEqualTitles()
    {
        await InsertAsync(
            NewTask("task_1", "Banana"),
            NewTask("task_2", "Apple"),
            NewTask("task_3", "cherry"),
            NewTask("task_4", "apple"));

        (await QueryIdsAsync(new TaskQuery { Sort = TaskSort.Title })).ShouldBe(["task_2", "task_4", "task_1", "task_3"]);
    }

    private async Task SeedCreatedOutOfIdOrderAsync()
    {
        foreach (var id in new[] { "task_c", "task_a", "task_b" })
        {
            await InsertAsync(NewTask(id));
            Time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
