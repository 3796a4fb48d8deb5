using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

/// <summary>
/// The store contract every backend passes. A backend's test project inherits this class once and
/// supplies its provider; every test then runs against that backend on a workspace of its own. The
/// tests rely only on the role interfaces and their documented guarantees, never on a backend's
/// internals, so that a new backend inherits them unchanged.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    /// <summary>The instant every test starts at: whole milliseconds, as the store keeps time.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    private readonly List<TemporaryDirectory> _folders = [];
    private readonly List<IOrchestratorStore> _opened = [];

    protected ManualTimeProvider Time { get; } = new(Start);

    protected IStoreProvider Provider { get; private set; } = null!;

    /// <summary>The store of this test's own, fresh workspace.</summary>
    protected IOrchestratorStore Store { get; private set; } = null!;

    /// <summary>The folder <see cref="Store"/> was opened for.</summary>
    protected string WorkspaceRoot { get; private set; } = null!;

    protected string WorkspaceId => Store.Workspace.Id;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Why the backend has no write-ahead log of its own that a reader's snapshot holds back (so the tests
    /// of checkpoints waiting for readers do not apply and are reported skipped with this reason), or null
    /// when it has one, as SQLite does.
    /// </summary>
    protected virtual string? NoOwnWriteAheadLog => null;

    /// <summary>Creates the backend's provider; called once per test.</summary>
    protected abstract Task<IStoreProvider> CreateProviderAsync(TimeProvider time);

    /// <summary>
    /// A new, empty workspace folder for this test. Backends that keep data elsewhere still get a real,
    /// distinct folder, so workspaces never collide between tests or runs.
    /// </summary>
    protected virtual string NewWorkspaceRoot()
    {
        var folder = new TemporaryDirectory("to-contract");
        _folders.Add(folder);
        return folder.Path;
    }

    public async ValueTask InitializeAsync()
    {
        Provider = await CreateProviderAsync(Time);
        WorkspaceRoot = NewWorkspaceRoot();
        Store = await OpenAsync(WorkspaceRoot);
    }

    public async ValueTask DisposeAsync()
    {
        // A disposable provider owns the stores it opened (it may share one store between callers).
        if (Provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            foreach (var store in _opened)
            {
                await store.DisposeAsync();
            }
        }

        foreach (var folder in _folders)
        {
            folder.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected async Task<IOrchestratorStore> OpenAsync(string workspaceRoot)
    {
        var store = await Provider.OpenAsync(workspaceRoot, Ct);
        _opened.Add(store);
        return store;
    }

    /// <summary>A pending task of this test's workspace with every optional field empty.</summary>
    protected TaskRecord NewTask(string id, string? title = null, IOrchestratorStore? store = null) => new()
    {
        Id = id,
        WorkspaceId = (store ?? Store).Workspace.Id,
        Title = title ?? "Task " + id,
        CreatedAt = Time.Now(),
        UpdatedAt = Time.Now(),
    };

    protected SessionRecord NewSession(string id, string? name = null) => new()
    {
        Id = id,
        WorkspaceId = WorkspaceId,
        Name = name ?? "Session " + id,
        CreatedAt = Time.Now(),
        LastActivityAt = Time.Now(),
    };

    protected ArtifactRecord NewArtifact(string id, string taskId, string content) => new()
    {
        Id = id,
        WorkspaceId = WorkspaceId,
        TaskId = taskId,
        Summary = "Summary of " + id,
        Content = content,
        ContentHash = ContentHash.Of(content),
        ContentLength = content.Length,
        CreatedAt = Time.Now(),
    };

    protected EventRecord NewEvent(string kind, string? taskId = null, string? sessionId = null) => new()
    {
        WorkspaceId = WorkspaceId,
        Kind = kind,
        TaskId = taskId,
        SessionId = sessionId,
        Actor = "agent-1",
        At = Time.Now(),
    };

    /// <summary>Runs <paramref name="work"/> in one write unit and commits it.</summary>
    protected async Task WriteAsync(Func<IStoreUnit, Task> work, IOrchestratorStore? store = null)
    {
        await using var unit = await (store ?? Store).BeginWriteAsync(Ct);
        await work(unit);
        await unit.CommitAsync(Ct);
    }

    /// <summary>Runs <paramref name="read"/> in one read unit.</summary>
    protected async Task<T> ReadAsync<T>(Func<IStoreUnit, Task<T>> read, IOrchestratorStore? store = null)
    {
        await using var unit = await (store ?? Store).BeginReadAsync(Ct);
        return await read(unit);
    }

    /// <summary>Inserts the tasks, in order, in one committed unit.</summary>
    protected Task InsertAsync(params TaskRecord[] tasks) => WriteAsync(async unit =>
    {
        foreach (var task in tasks)
        {
            await unit.Tasks.InsertAsync(task, Ct);
        }
    });

    protected Task AddDependencyAsync(string taskId, string dependsOnId, DependencyKind kind = DependencyKind.Hard) =>
        WriteAsync(unit => unit.Dependencies.AddAsync(new TaskDependency(taskId, dependsOnId, kind), Ct));

    protected Task<TaskRecord?> GetTaskAsync(string id) => ReadAsync(unit => unit.Tasks.GetAsync(id, Ct));

    /// <summary>Runs <paramref name="query"/> in a read unit, after preparing the store for search when it searches.</summary>
    protected async Task<TaskPage> QueryAsync(TaskQuery query)
    {
        if (query.SearchText is not null)
        {
            await Store.PrepareSearchAsync(Ct);
        }

        return await ReadAsync(unit => unit.Tasks.QueryAsync(query, Ct));
    }

    /// <summary>The ids a query returns, in the order it returns them.</summary>
    protected async Task<string[]> QueryIdsAsync(TaskQuery query) => [.. (await QueryAsync(query)).Items.Select(t => t.Id)];
}
