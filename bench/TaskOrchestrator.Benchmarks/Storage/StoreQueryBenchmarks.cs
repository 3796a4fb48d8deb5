using BenchmarkDotNet.Attributes;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.Benchmarks.Infrastructure;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Queries;

namespace TaskOrchestrator.Benchmarks.Storage;

/// <summary>
/// orchestrator_query_tasks below the MCP layer: a page of 50 with two filters (status, priority) and
/// search text matching a few percent of tasks, at 1,000 and 100,000 tasks. The search word rotates
/// over <see cref="TaskCorpus.SearchWords"/>, as the load harness does.
/// </summary>
[BenchmarkCategory("storage")]
public class StoreQueryBenchmarks
{
    private BenchStore _store = null!;
    private TaskQuery[] _queries = [];
    private int _next;

    [Params(1_000, 100_000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = await SeededWorkspace.OpenCopyAsync("to-bench-query", Tasks);
        _queries = [.. TaskCorpus.SearchWords.Select(word => new TaskQuery
        {
            Statuses = [TaskItemStatus.Pending],
            Priorities = [TaskPriority.High],
            SearchText = word,
            Limit = 50,
        })];
    }

    [Benchmark(Description = "query page + dependencies (what the tool reads)")]
    public Task<TaskListing> ListWithDependencies() =>
        TaskQueries.ListAsync(_store.Store, NextQuery(), includeChildren: false, includeArtifacts: false, CancellationToken.None);

    [Benchmark(Description = "query page only (ITaskStore.QueryAsync)")]
    public async Task<TaskPage> PageOnly()
    {
        await using var unit = await _store.Store.BeginReadAsync(CancellationToken.None);
        return await unit.Tasks.QueryAsync(NextQuery(), CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _store.DisposeAsync();

    private TaskQuery NextQuery() => _queries[_next++ % _queries.Length];
}
