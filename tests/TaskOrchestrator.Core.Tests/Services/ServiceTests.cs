using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Execution;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Core.Tests.Services;

/// <summary>
/// Base of the use-case service tests: a real SQLite workspace in a temporary folder, a clock that
/// moves only when told, and shorthands that drive tasks through the real services.
/// </summary>
public abstract class ServiceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The agent the tests act as.</summary>
    protected static readonly Actor Agent = new("agent-1", null, "test-client");

    private readonly TemporaryDirectory _workspace = new("to-services");
    private SqliteStoreProvider? _provider;

    protected ServiceTests()
    {
        Ids = new IdGenerator(Time);
    }

    protected ManualTimeProvider Time { get; } = new(Start);

    protected IdGenerator Ids { get; }

    protected IOrchestratorStore Store { get; private set; } = null!;

    protected static RoleCatalog Roles => RoleCatalog.BuiltIn;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The workspace folder; its database is <see cref="SqliteStoreProvider.DatabasePath"/> of it.</summary>
    protected string WorkspacePath => _workspace.Path;

    public async ValueTask InitializeAsync()
    {
        _provider = new SqliteStoreProvider(new SqliteStoreOptions(), Time);
        Store = await _provider.OpenAsync(_workspace.Path, Ct);
    }

    /// <summary>Closes the store and opens the workspace again with a new provider, as a restarted server would.</summary>
    protected async Task ReopenAsync()
    {
        await _provider!.DisposeAsync();
        _provider = new SqliteStoreProvider(new SqliteStoreOptions(), Time);
        Store = await _provider.OpenAsync(_workspace.Path, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _workspace.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <paramref name="work"/> in one write unit and commits it.</summary>
    protected async Task<T> WriteAsync<T>(Func<IStoreUnit, Task<T>> work)
    {
        await using var unit = await Store.BeginWriteAsync(Ct);
        var result = await work(unit);
        await unit.CommitAsync(Ct);
        return result;
    }

    protected async Task<T> ReadAsync<T>(Func<IStoreUnit, Task<T>> read)
    {
        await using var unit = await Store.BeginReadAsync(Ct);
        return await read(unit);
    }

    /// <summary>Plans <paramref name="root"/> with the real planner and commits it.</summary>
    protected Task<PlanOutcome> PlanAsync(TaskSpec root, string? parentTaskId = null, string? sessionId = null) =>
        WriteAsync(unit => new TaskPlanner(Time, Ids).PlanAsync(unit, Store.Workspace.Id, new PlanRequest(root, parentTaskId, sessionId), Roles, Agent, Ct));

    /// <summary>Plans one top-level task per title and returns their ids.</summary>
    protected async Task<string[]> PlanTasksAsync(params string[] titles)
    {
        var ids = new string[titles.Length];
        for (int i = 0; i < titles.Length; i++)
        {
            ids[i] = (await PlanAsync(new TaskSpec { Title = titles[i] })).Root.Task.Id;
        }

        return ids;
    }

    protected Task<ExecutionOutcome> StartAsync(string taskId, string? agentId = "agent-1") =>
        new TaskExecutor(Time).ExecuteAsync(Store, taskId, agentId, Roles, Agent, Ct);

    /// <summary>Reports a task as its holder: with the lease token of its claim, when it is claimed.</summary>
    protected async Task<CompletionOutcome> CompleteAsync(string taskId, string summary = "done", NextAction action = NextAction.Continue, string? detailedWork = null)
    {
        var lease = (await FindTaskAsync(taskId))?.LeaseToken;
        return await WriteAsync(unit => new TaskCompleter(Time, Ids).CompleteAsync(
            unit,
            new CompletionRequest { TaskId = taskId, Summary = summary, NextAction = action, DetailedWork = detailedWork, LeaseToken = lease },
            Agent,
            Ct));
    }

    /// <summary>Starts and completes a task.</summary>
    protected async Task<CompletionOutcome> FinishAsync(string taskId, string summary = "done", string? detailedWork = null)
    {
        await StartAsync(taskId);
        return await CompleteAsync(taskId, summary, NextAction.Continue, detailedWork);
    }

    protected async Task<TaskRecord> GetTaskAsync(string id) =>
        await ReadAsync(unit => unit.Tasks.GetAsync(id, Ct)) ?? throw new InvalidOperationException($"Task {id} does not exist.");

    protected Task<TaskRecord?> FindTaskAsync(string id) => ReadAsync(unit => unit.Tasks.GetAsync(id, Ct));

    /// <summary>Every event of the workspace, oldest first.</summary>
    protected Task<IReadOnlyList<EventRecord>> EventsAsync() => ReadAsync(unit => unit.Events.GetAfterAsync(0, 100_000, Ct));

    /// <summary>Stores a record as given, bypassing the services, to set up states they would refuse to create.</summary>
    protected Task<bool> InsertRawAsync(params TaskRecord[] tasks) => WriteAsync(async unit =>
    {
        foreach (var task in tasks)
        {
            await unit.Tasks.InsertAsync(task, Ct);
        }

        return true;
    });

    protected TaskRecord RawTask(string id, string? parentId = null) => new()
    {
        Id = id,
        WorkspaceId = Store.Workspace.Id,
        ParentId = parentId,
        Title = "Task " + id,
        CreatedAt = Time.Now(),
        UpdatedAt = Time.Now(),
    };
}
