using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Benchmarks.Infrastructure;

/// <summary>
/// A real SQLite workspace store in a temp folder, opened the way the server opens it (default
/// options: WAL, synchronous=FULL), with the planner the tools use.
/// </summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private readonly SqliteStoreProvider _provider;

    private BenchStore(TempFolder folder, SqliteStoreProvider provider, IOrchestratorStore store)
    {
        Folder = folder;
        _provider = provider;
        Store = store;
        Planner = new TaskPlanner(TimeProvider.System, new IdGenerator(TimeProvider.System));
    }

    public static Actor Actor { get; } = new(null, null, "benchmarks");

    public TempFolder Folder { get; }

    public IOrchestratorStore Store { get; }

    public TaskPlanner Planner { get; }

    public static Task<BenchStore> OpenAsync(string prefix) => OpenAsync(new TempFolder(prefix));

    /// <summary>Opens the store of <paramref name="folder"/>, which the store then owns and deletes.</summary>
    public static async Task<BenchStore> OpenAsync(TempFolder folder)
    {
        var provider = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System);
        var store = await provider.OpenAsync(folder.Path, CancellationToken.None);
        return new BenchStore(folder, provider, store);
    }

    /// <summary>Plans one task tree in its own write unit and commits it, as orchestrator_plan_task does.</summary>
    public async Task<PlanOutcome> PlanAsync(TaskSpec root, bool commit = true)
    {
        await using var unit = await Store.BeginWriteAsync(CancellationToken.None);
        var outcome = await Planner.PlanAsync(unit, Store.Workspace.Id, new PlanRequest(root, null, null), RoleCatalog.BuiltIn, Actor, CancellationToken.None);
        if (commit)
        {
            await unit.CommitAsync(CancellationToken.None);
        }

        return outcome;
    }

    /// <summary>Seeds <paramref name="count"/> tasks as trees of up to 500 (one root, its subtasks), one commit per tree.</summary>
    public async Task SeedAsync(int count, int seed = 42)
    {
        var corpus = new Bench.Shared.TaskCorpus(seed);
        for (int done = 0; done < count;)
        {
            int size = Math.Min(Limits.TasksPerPlan, count - done);
            var subtasks = new TaskSpec[size - 1];
            for (int i = 0; i < subtasks.Length; i++)
            {
                subtasks[i] = Spec(corpus.Next());
            }

            await PlanAsync(Spec(corpus.Next()) with { Subtasks = subtasks });
            done += size;
        }
    }

    public static TaskSpec Spec(Bench.Shared.GeneratedTask task) => new()
    {
        Title = task.Title,
        Description = task.Description,
        Type = WireNames.Parse<TaskType>(task.TaskType, "task_type"),
        Priority = WireNames.Parse<TaskPriority>(task.Priority, "priority"),
        Complexity = WireNames.Parse<TaskComplexity>(task.Complexity, "complexity"),
    };

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Folder.Dispose();
    }
}
