using System.Diagnostics;
using System.Diagnostics.Metrics;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>
/// Counts claims made and leases that ran out, as <see cref="System.Diagnostics.Metrics"/> counters on
/// the host's meter. Counted only once the change is committed: a claim rolled back was never made.
/// Thread-safe.
/// </summary>
public sealed class ClaimMetrics
{
    private readonly Counter<long> _claims;
    private readonly Counter<long> _expirations;

    /// <summary>Creates the counters on <paramref name="meter"/>.</summary>
    public ClaimMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _claims = meter.CreateCounter<long>("orchestrator.task.claims", unit: "{claim}", description: "Tasks claimed by agents (claim-next), by workspace.");
        _expirations = meter.CreateCounter<long>("orchestrator.lease.expirations", unit: "{lease}", description: "Claims whose lease ran out without renewal and whose task went back to pending, by workspace.");
    }

    /// <summary>Counts <paramref name="count"/> committed claims in <paramref name="workspace"/>.</summary>
    public void Claimed(WorkspaceInfo workspace, int count) => Add(_claims, workspace, count);

    /// <summary>Counts <paramref name="count"/> committed releases of expired leases in <paramref name="workspace"/>.</summary>
    public void LeasesExpired(WorkspaceInfo workspace, int count) => Add(_expirations, workspace, count);

    private static void Add(Counter<long> counter, WorkspaceInfo workspace, int count)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (count > 0)
        {
            counter.Add(count, new TagList { { "workspace", workspace.RootPath } });
        }
    }
}
