using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Metrics;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// The figures that live in the store: tasks by status and the restart history's length, per open
/// workspace. Read by <see cref="RefreshAsync"/> (on a timer, one small query per workspace) and
/// cached, so that the instruments' callbacks, run at every scrape or export, never touch a store.
/// </summary>
internal sealed partial class StoreGauges
{
    private readonly WorkspaceRegistry _workspaces;
    private readonly ILogger<StoreGauges> _logger;
    private volatile Figures _figures = new([], []);

    public StoreGauges(OrchestratorMeter meter, WorkspaceRegistry workspaces, ILogger<StoreGauges> logger)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _workspaces = workspaces;
        _logger = logger;
        meter.Meter.CreateObservableGauge("orchestrator.tasks", () => _figures.Tasks, unit: "{task}", description: "Tasks by workspace and status, as last read from the store.");
        meter.Meter.CreateObservableCounter("orchestrator.restarts", () => _figures.Restarts, unit: "{restart}", description: "Restarts in each workspace's restart history (planned, crash recoveries and health-requested), as last read from the store.");
    }

    /// <summary>Reads the figures of every open workspace; a workspace whose store fails keeps its last figures.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var previous = _figures;
        var tasks = new List<Measurement<long>>();
        var restarts = new List<Measurement<long>>();
        foreach (var workspace in _workspaces.Open.OrderBy(w => w.Root, StringComparer.Ordinal))
        {
            var root = workspace.Store.Workspace.RootPath;
            var tag = new KeyValuePair<string, object?>("workspace", root);
            try
            {
                IReadOnlyDictionary<TaskItemStatus, int> counts;
                int restartCount;
                await using (var unit = await workspace.Store.BeginReadAsync(cancellationToken))
                {
                    counts = await unit.Tasks.CountByStatusAsync(null, cancellationToken);
                    restartCount = (await unit.Restarts.ListAsync(0, cancellationToken)).TotalCount;
                }

                foreach (var status in Enum.GetValues<TaskItemStatus>())
                {
                    tasks.Add(new Measurement<long>(counts.GetValueOrDefault(status), tag, new("status", WireNames.Of(status))));
                }

                restarts.Add(new Measurement<long>(restartCount, tag));
            }
            catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
            {
                LogRefreshFailed(_logger, workspace.Root, HealthProbe.Describe(ex));
                tasks.AddRange(previous.Tasks.Where(m => Equals(m.Tags[0].Value, root)));
                restarts.AddRange(previous.Restarts.Where(m => Equals(m.Tags[0].Value, root)));
            }
        }

        _figures = new Figures(tasks, restarts);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the task and restart counts of workspace {Workspace} for the metrics; keeping the last ones: {Cause}")]
    private static partial void LogRefreshFailed(ILogger logger, string workspace, string cause);

    private sealed record Figures(IReadOnlyList<Measurement<long>> Tasks, IReadOnlyList<Measurement<long>> Restarts);
}
