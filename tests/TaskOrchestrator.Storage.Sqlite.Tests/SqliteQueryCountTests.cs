using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>
/// The SQLite backend's bounded counts: exact by default; when a query allows approximation, a filter
/// count stops at 10,000 (a lower bound) and a search beyond 1,000 remaining candidates is estimated
/// from the share of candidates that matched; has_more stays exact either way.
/// </summary>
public sealed class SqliteQueryCountTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _folder = new();
    private readonly ManualTimeProvider _time = new();
    private SqliteStoreProvider _provider = null!;
    private IOrchestratorStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _provider = new SqliteStoreProvider(new SqliteStoreOptions(), _time);
        _store = await _provider.OpenAsync(_folder.Path, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task QueryAsync_FilterMatchingMoreThanTheCap_ApproximateIsALowerBoundExactOtherwise()
    {
        await SeedAsync(10_010, _ => TaskPriority.High, _ => "filler");
        var query = new TaskQuery { Priorities = [TaskPriority.High], Limit = 50 };

        var approximate = await QueryAsync(query with { AllowApproximateCount = true });
        var exact = await QueryAsync(query);

        (approximate.TotalCount, approximate.TotalIsExact, approximate.HasMore, approximate.Items.Count).ShouldBe((10_000, false, true, 50));
        (exact.TotalCount, exact.TotalIsExact, exact.HasMore).ShouldBe((10_010, true, true));
        approximate.Items.Select(t => t.Id).ShouldBe(exact.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task QueryAsync_SearchWithManyCandidatesLeft_ApproximateIsEstimatedFromTheMatchDensity()
    {
        // 3,000 tasks mention "ledger"; every other one is high priority: 1,500 match.
        await SeedAsync(3_000, i => i % 2 == 0 ? TaskPriority.High : TaskPriority.Low, _ => "ledger entry");
        var query = new TaskQuery { SearchText = "ledger", Priorities = [TaskPriority.High], Limit = 50 };

        var approximate = await QueryAsync(query with { AllowApproximateCount = true });
        var exact = await QueryAsync(query);

        exact.TotalCount.ShouldBe(1_500);
        exact.TotalIsExact.ShouldBeTrue();
        approximate.TotalIsExact.ShouldBeFalse();
        approximate.TotalCount.ShouldBe(1_515); // 51 matched among the first 101 candidates: 51 + round(51 / 101 × 2,899 left)
        approximate.HasMore.ShouldBeTrue();
        approximate.Items.Select(t => t.Id).ShouldBe(exact.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task QueryAsync_SearchWithFewCandidatesLeft_CountsExactlyEvenWhenApproximationIsAllowed()
    {
        await SeedAsync(900, i => i % 2 == 0 ? TaskPriority.High : TaskPriority.Low, _ => "ledger entry");

        var page = await QueryAsync(new TaskQuery { SearchText = "ledger", Priorities = [TaskPriority.High], Limit = 50, AllowApproximateCount = true });

        (page.TotalCount, page.TotalIsExact, page.HasMore).ShouldBe((450, true, true));
    }

    private async Task<TaskPage> QueryAsync(TaskQuery query)
    {
        await _store.PrepareSearchAsync(Ct);
        await using var unit = await _store.BeginReadAsync(Ct);
        return await unit.Tasks.QueryAsync(query, Ct);
    }

    private async Task SeedAsync(int count, Func<int, TaskPriority> priority, Func<int, string> title)
    {
        var ids = new IdGenerator(_time);
        var now = _time.Now();
        await using var unit = await _store.BeginWriteAsync(Ct);
        for (int i = 0; i < count; i++)
        {
            await unit.Tasks.InsertAsync(
                new TaskRecord { Id = ids.NewTaskId(), WorkspaceId = _store.Workspace.Id, Title = $"{title(i)} {i}", Priority = priority(i), CreatedAt = now, UpdatedAt = now },
                Ct);
        }

        await unit.CommitAsync(Ct);
    }
}
