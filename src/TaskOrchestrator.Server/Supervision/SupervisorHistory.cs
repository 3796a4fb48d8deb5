using System.Diagnostics;
using Serilog;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// The supervisor's use of the startup workspace's store: its own server_instance row and heartbeat,
/// and the restart history. The store opens only when first needed (a restart to record, history to
/// read), so that starting a server never creates a database in a folder no tool call used; from then
/// on the supervisor heartbeats its row (while it has a worker, the worker does too). If the store
/// cannot be opened, history is kept in memory and reported so.
/// </summary>
internal sealed class SupervisorHistory : IAsyncDisposable
{
    private readonly IStoreProvider _provider;
    private readonly string _workspaceRoot;
    private readonly ServerInstanceRecord _instance;
    private readonly TimeSpan _heartbeatInterval;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<RestartRecord> _unsaved = [];
    private readonly Lock _openGate = new();
    private Task<IOrchestratorStore?>? _opening;
    private Task _heartbeats = Task.CompletedTask;

    public SupervisorHistory(IStoreProvider provider, string workspaceRoot, ServerInstanceRecord instance, TimeSpan heartbeatInterval, ILogger logger, TimeProvider time)
    {
        _provider = provider;
        _workspaceRoot = workspaceRoot;
        _instance = instance;
        _heartbeatInterval = heartbeatInterval;
        _logger = logger;
        _time = time;
    }

    /// <summary>Why the store is not available, once that is known.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The workspace id history is kept under, once the store is open.</summary>
    public string WorkspaceId { get; private set; } = string.Empty;

    /// <summary>Starts heartbeating the supervisor's row in the background, once the store is open.</summary>
    public void Start() => _heartbeats = Task.Run(HeartbeatAsync);

    /// <summary>Records a new restart or a change to one; never throws (history must not stop a restart).</summary>
    public async Task SaveAsync(RestartRecord record, bool isNew)
    {
        var store = await StoreAsync();
        try
        {
            if (store is null)
            {
                Remember(record);
                return;
            }

            await using var unit = await store.BeginWriteAsync(CancellationToken.None);
            var stored = record with { WorkspaceId = store.Workspace.Id };
            if (isNew || await unit.Restarts.GetAsync(record.Id, CancellationToken.None) is null)
            {
                await unit.Restarts.InsertAsync(stored, CancellationToken.None);
            }
            else
            {
                await unit.Restarts.UpdateAsync(stored, CancellationToken.None);
            }

            await unit.CommitAsync(CancellationToken.None);
            Forget(record.Id);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.Warning(ex, "Could not record restart {RestartId} in {Workspace}; kept in memory", record.Id, _workspaceRoot);
            Remember(record);
        }
    }

    /// <summary>The newest restarts first, those not yet stored included, and how many there are in all.</summary>
    public async Task<(IReadOnlyList<RestartRecord> Items, int TotalCount)> ListAsync(int limit, CancellationToken cancellationToken)
    {
        List<RestartRecord> unsaved;
        lock (_unsaved)
        {
            unsaved = [.. _unsaved];
        }

        var stored = (Items: (IReadOnlyList<RestartRecord>)[], TotalCount: 0);
        if (await StoreAsync() is { } store)
        {
            await using var unit = await store.BeginReadAsync(cancellationToken);
            stored = await unit.Restarts.ListAsync(limit, cancellationToken);
        }

        var items = stored.Items.Where(item => unsaved.All(extra => extra.Id != item.Id)).Concat(unsaved)
            .OrderByDescending(item => item.StartedAt).Take(limit).ToList();
        return (items, stored.TotalCount + unsaved.Count(extra => stored.Items.All(item => item.Id != extra.Id)));
    }

    /// <summary>A read round trip to the store, timed; null with the reason when the store is not available.</summary>
    public async Task<(TimeSpan? Latency, string? Error)> RoundTripAsync(CancellationToken cancellationToken)
    {
        if (await StoreAsync() is not { } store)
        {
            return (null, Unavailable ?? "the store is not open");
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var unit = await store.BeginReadAsync(cancellationToken);
            _ = await unit.Instances.GetAsync(_instance.Id, cancellationToken);
            return (Stopwatch.GetElapsedTime(started), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Stops heartbeating and marks the supervisor stopped.</summary>
    public async Task StopAsync(string detail)
    {
        await _stopping.CancelAsync();
        await _heartbeats;
        if (await OpenedStoreAsync() is { } store)
        {
            try
            {
                await using var unit = await store.BeginWriteAsync(CancellationToken.None);
                await unit.Instances.SetStateAsync(_instance.Id, InstanceState.Stopped, _time.GetUtcNow(), detail, CancellationToken.None);
                await unit.CommitAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.Warning(ex, "Could not mark supervisor {InstanceId} stopped", _instance.Id);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _heartbeats;
        _stopping.Dispose();
    }

    // Opens the store on first use; every later caller shares the same attempt.
    private Task<IOrchestratorStore?> StoreAsync()
    {
        lock (_openGate)
        {
            return _opening ??= Task.Run(OpenAsync);
        }
    }

    // The store if it was opened already; never opens it.
    private Task<IOrchestratorStore?> OpenedStoreAsync()
    {
        lock (_openGate)
        {
            return _opening ?? Task.FromResult<IOrchestratorStore?>(null);
        }
    }

    private async Task<IOrchestratorStore?> OpenAsync()
    {
        try
        {
            var store = await _provider.OpenAsync(_workspaceRoot, _stopping.Token);
            WorkspaceId = store.Workspace.Id;
            await using (var unit = await store.BeginWriteAsync(_stopping.Token))
            {
                await unit.Instances.UpsertAsync(_instance with { WorkspaceId = store.Workspace.Id }, _stopping.Token);
                await unit.CommitAsync(_stopping.Token);
            }

            await SaveUnsavedAsync(store);
            return store;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Unavailable = $"the store of '{_workspaceRoot}' could not be opened: {ex.Message}";
            _logger.Warning("Restart history is kept in memory only: {Reason}", Unavailable);
            return null;
        }
    }

    private async Task SaveUnsavedAsync(IOrchestratorStore store)
    {
        List<RestartRecord> unsaved;
        lock (_unsaved)
        {
            unsaved = [.. _unsaved];
        }

        foreach (var record in unsaved)
        {
            await using var unit = await store.BeginWriteAsync(_stopping.Token);
            await unit.Restarts.InsertAsync(record with { WorkspaceId = store.Workspace.Id }, _stopping.Token);
            await unit.CommitAsync(_stopping.Token);
            Forget(record.Id);
        }
    }

    private async Task HeartbeatAsync()
    {
        using var timer = new PeriodicTimer(_heartbeatInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                if (await OpenedStoreAsync() is not { } store)
                {
                    continue;
                }

                try
                {
                    await using var unit = await store.BeginWriteAsync(_stopping.Token);
                    if (!await unit.Instances.HeartbeatAsync(_instance.Id, _time.GetUtcNow(), _stopping.Token))
                    {
                        // Another process took this supervisor for dead; it is not, so it says so again.
                        _logger.Warning("Supervisor {InstanceId} was marked not running by another process; registering again", _instance.Id);
                        await unit.Instances.UpsertAsync(_instance with { WorkspaceId = store.Workspace.Id, HeartbeatAt = _time.GetUtcNow() }, _stopping.Token);
                    }

                    await unit.CommitAsync(_stopping.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    _logger.Warning(ex, "Supervisor heartbeat failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Remember(RestartRecord record)
    {
        lock (_unsaved)
        {
            _unsaved.RemoveAll(item => item.Id == record.Id);
            _unsaved.Add(record);
        }
    }

    private void Forget(string id)
    {
        lock (_unsaved)
        {
            _unsaved.RemoveAll(item => item.Id == id);
        }
    }
}
