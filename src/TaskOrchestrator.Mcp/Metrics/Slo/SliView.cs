using System.ComponentModel;

namespace TaskOrchestrator.Mcp.Metrics.Slo;

/// <summary>One service level indicator of one tool over the window, against its objective.</summary>
public sealed record SliView(
    [property: Description("The objective: the share of events that must be good (0.999 = 99.9 %).")] double Objective,
    [property: Description("Events in the window: calls for availability, served calls (not failed server-side) for latency.")] long Events,
    [property: Description("Good events.")] long Good,
    [property: Description("Bad events: calls failed server-side for availability, served calls slower than the threshold for latency.")] long Bad,
    [property: Description("good ÷ events; null while there were no events.")] double? Ratio,
    [property: Description("1 − bad ÷ (events × (1 − objective)): 1 untouched, 0 spent, below 0 overspent.")] double ErrorBudgetRemaining,
    [property: Description("(bad ÷ events) ÷ (1 − objective): 1 spends the budget exactly over the window, above 1 faster.")] double BurnRate,
    [property: Description("Whether the ratio meets the objective (true while there were no events).")] bool Met);
