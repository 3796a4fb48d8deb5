using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Operations;

/// <summary>
/// A real workspace database opened through the SQLite store, with a manual clock, for testing the
/// operations classes directly: rows of other "processes", tasks they hold, and what was recorded.
/// </summary>
internal sealed class OperationsWorkspace : IAsyncDisposable
{
    private readonly TemporaryDirectory _folder = new("to-ops");
    private readonly SqliteStoreProvider _provider;

    private OperationsWorkspace(ManualTimeProvider clock)
    {
        Clock = clock;
        _provider = new SqliteStoreProvider(new SqliteStoreOptions(), clock);
    }

    public ManualTimeProvider Clock { get; }

    public string Root => _folder.Path;

    public IOrchestratorStore Store { get; private set; } = null!;

    public SqliteStoreProvider Provider => _provider;

    public HealthOptions Options { get; } = new();

    public IOptions<HealthOptions> OptionsAccessor => Microsoft.Extensions.Options.Options.Create(Options);

    /// <summary>This test process as a standalone server instance.</summary>
    public static InstanceIdentity Self { get; } = new()
    {
        InstanceId = "inst_self",
        Role = InstanceRole.Standalone,
        ProcessId = Environment.ProcessId,
        ProcessStartTicks = new ProcessInspector().CurrentStartTicks(),
        Host = Environment.MachineName,
        Executable = Environment.ProcessPath!,
        Version = "test",
        StartedAt = DateTimeOffset.UtcNow,
    };

    public static async Task<OperationsWorkspace> OpenAsync()
    {
        var workspace = new OperationsWorkspace(new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
        workspace.Store = await workspace._provider.OpenAsync(workspace.Root, TestContext.Current.CancellationToken);
        return workspace;
    }

    /// <summary>A running instance row for <paramref name="processId"/>, last heartbeat <paramref name="heartbeatAge"/> ago.</summary>
    public async Task<ServerInstanceRecord> RegisterAsync(string id, int processId, long startTicks, TimeSpan heartbeatAge, InstanceState state = InstanceState.Running, string? host = null)
    {
        var now = Clock.GetUtcNow();
        var row = new ServerInstanceRecord
        {
            Id = id,
            WorkspaceId = Store.Workspace.Id,
            Role = InstanceRole.Standalone,
            Host = host ?? Environment.MachineName,
            ProcessId = processId,
            ProcessStartedAt = startTicks,
            Executable = "/usr/bin/task-orchestrator",
            Version = "0.1.0",
            State = state,
            StartedAt = now - heartbeatAge - TimeSpan.FromMinutes(5),
            HeartbeatAt = now - heartbeatAge,
        };
        await using var unit = await Store.BeginWriteAsync(TestContext.Current.CancellationToken);
        await unit.Instances.UpsertAsync(row, TestContext.Current.CancellationToken);
        await unit.CommitAsync(TestContext.Current.CancellationToken);
        return row;
    }

    /// <summary>A task in progress for <paramref name="agentId"/> (null: started without one), held through <paramref name="holderId"/> until <paramref name="leaseExpiresAt"/>.</summary>
    public async Task<string> HeldTaskAsync(string holderId, string? agentId, DateTimeOffset? leaseExpiresAt = null)
    {
        var now = Clock.GetUtcNow();
        var id = "task_" + Guid.NewGuid().ToString("N")[..16];
        await using var unit = await Store.BeginWriteAsync(TestContext.Current.CancellationToken);
        await unit.Tasks.InsertAsync(
            new TaskRecord
            {
                Id = id,
                WorkspaceId = Store.Workspace.Id,
                Title = $"held by {holderId}",
                Status = TaskItemStatus.InProgress,
                CreatedAt = now,
                UpdatedAt = now,
                StartedAt = now,
                AssignedAgent = agentId,
                HolderInstanceId = holderId,
                LeaseExpiresAt = leaseExpiresAt ?? now + TimeSpan.FromHours(1),
            },
            TestContext.Current.CancellationToken);
        await unit.CommitAsync(TestContext.Current.CancellationToken);
        return id;
    }

    public async Task<ServerInstanceRecord?> InstanceAsync(string id)
    {
        await using var unit = await Store.BeginReadAsync(TestContext.Current.CancellationToken);
        return await unit.Instances.GetAsync(id, TestContext.Current.CancellationToken);
    }

    public async Task<TaskRecord?> TaskAsync(string id)
    {
        await using var unit = await Store.BeginReadAsync(TestContext.Current.CancellationToken);
        return await unit.Tasks.GetAsync(id, TestContext.Current.CancellationToken);
    }

    public async Task<IReadOnlyList<EventRecord>> EventsAsync(string? kind = null)
    {
        await using var unit = await Store.BeginReadAsync(TestContext.Current.CancellationToken);
        var events = await unit.Events.GetAfterAsync(0, 1_000, TestContext.Current.CancellationToken);
        return [.. events.Where(e => kind is null || e.Kind == kind)];
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _folder.Dispose();
    }
}
