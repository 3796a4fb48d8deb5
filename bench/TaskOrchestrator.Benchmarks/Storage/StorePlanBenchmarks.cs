using BenchmarkDotNet.Attributes;
using TaskOrchestrator.Benchmarks.Infrastructure;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Benchmarks.Storage;

/// <summary>
/// orchestrator_plan_task below the MCP layer: the planner creating one task (row, FTS entry, event)
/// in a write unit, with and without the fsync'd commit. The difference is the commit; the rest is
/// the store's own work.
/// </summary>
[BenchmarkCategory("storage")]
public class StorePlanBenchmarks
{
    private static readonly TaskSpec Task = new()
    {
        Title = "Implement cache retry handling",
        Description = "Rework the retry handling so that clients get a clear error instead of a hang. Done when unit tests cover the new branches.",
        Type = TaskType.Implementation,
        Priority = TaskPriority.High,
        Complexity = TaskComplexity.Moderate,
    };

    private BenchStore _store = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = await SeededWorkspace.OpenCopyAsync("to-bench-plan", 1_000);
    }

    [Benchmark(Description = "plan 1 task: write unit + planner + COMMIT")]
    public Task<PlanOutcome> PlanAndCommit() => _store.PlanAsync(Task);

    [Benchmark(Description = "plan 1 task: write unit + planner, rolled back")]
    public Task<PlanOutcome> PlanRolledBack() => _store.PlanAsync(Task, commit: false);

    [GlobalCleanup]
    public async Task CleanupAsync() => await _store.DisposeAsync();
}
