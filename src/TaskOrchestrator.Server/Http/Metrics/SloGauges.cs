using System.Diagnostics.Metrics;
using TaskOrchestrator.Mcp.Metrics;
using TaskOrchestrator.Mcp.Metrics.Slo;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>
/// Publishes the per-tool SLO figures of <see cref="SloTracker"/> as gauges, so that a dashboard or an
/// alert rule can read the remaining error budget and burn rate without recomputing the window.
/// </summary>
internal sealed class SloGauges
{
    private readonly SloTracker _slo;

    public SloGauges(OrchestratorMeter meter, SloTracker slo)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _slo = slo;
        meter.Meter.CreateObservableGauge("orchestrator.slo.error_budget.remaining", () => Each(s => s.ErrorBudgetRemaining), unit: "1", description: "Share of the error budget left over the SLO window, by tool and SLI (availability, latency): 1 untouched, 0 spent, negative overspent.");
        meter.Meter.CreateObservableGauge("orchestrator.slo.burn_rate", () => Each(s => s.BurnRate), unit: null, description: "Error rate over the SLO window divided by the rate the objective allows, by tool and SLI: above 1 spends the budget before the window ends.");
    }

    private IEnumerable<Measurement<double>> Each(Func<SliView, double> figure)
    {
        foreach (var tool in _slo.Report().Tools)
        {
            yield return new Measurement<double>(figure(tool.Availability), new("tool", tool.Tool), new("sli", "availability"));
            yield return new Measurement<double>(figure(tool.Latency), new("tool", tool.Tool), new("sli", "latency"));
        }
    }
}
