using Microsoft.Extensions.Options;
using Shouldly;
using TaskOrchestrator.Mcp.Metrics;
using TaskOrchestrator.Mcp.Metrics.Slo;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Mcp.Tests.Metrics;

/// <summary>The SLI, error-budget and burn-rate arithmetic and the rolling window, on a manual clock.</summary>
public sealed class SloTrackerTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(3);
    private static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void Report_ServerErrorsAndSlowCalls_SpendTheBudgetsClientErrorsDoNot()
    {
        var (tracker, _) = Tracker(new SloOptions { Availability = 0.99, Latency = 0.9 });
        for (int i = 0; i < 196; i++)
        {
            tracker.Record("orchestrator_plan_task", readOnly: false, Fast, ToolOutcome.Success);
        }

        tracker.Record("orchestrator_plan_task", readOnly: false, Fast, ToolOutcome.ClientError);
        tracker.Record("orchestrator_plan_task", readOnly: false, Slow, ToolOutcome.ClientError);
        tracker.Record("orchestrator_plan_task", readOnly: false, Slow, ToolOutcome.ServerError);
        tracker.Record("orchestrator_plan_task", readOnly: false, Fast, ToolOutcome.ServerError);

        var tool = tracker.Report().Tools.Single();

        tool.Tool.ShouldBe("orchestrator_plan_task");
        tool.LatencyThresholdMs.ShouldBe(100);

        // 200 calls, 2 failed server-side; 1 % may fail: 2 allowed, 2 spent.
        tool.Availability.ShouldBe(new SliView(0.99, 200, 198, 2, 0.99, 0, 1, Met: true));

        // 198 served, 1 slower than 100 ms; 10 % may be slow: 19.8 allowed.
        tool.Latency.ShouldBe(new SliView(0.9, 198, 197, 1, 0.994949, 0.949495, 0.050505, Met: true));
    }

    [Fact]
    public void Report_MoreBadThanAllowed_NegativeBudgetBurnAboveOneNotMet()
    {
        var (tracker, _) = Tracker(new SloOptions { Availability = 0.999 });
        for (int i = 0; i < 998; i++)
        {
            tracker.Record("orchestrator_query_tasks", readOnly: true, Fast, ToolOutcome.Success);
        }

        tracker.Record("orchestrator_query_tasks", readOnly: true, Fast, ToolOutcome.ServerError);
        tracker.Record("orchestrator_query_tasks", readOnly: true, Fast, ToolOutcome.ServerError);

        var tool = tracker.Report().Tools.Single();

        tool.LatencyThresholdMs.ShouldBe(50);
        tool.Availability.ShouldBe(new SliView(0.999, 1000, 998, 2, 0.998, -1, 2, Met: false));
    }

    [Fact]
    public void Report_CallsOlderThanTheWindow_RollOffStepByStep()
    {
        var (tracker, clock) = Tracker(new SloOptions { Window = TimeSpan.FromMinutes(60) });
        tracker.Record("orchestrator_plan_task", readOnly: false, Fast, ToolOutcome.ServerError);
        clock.Advance(TimeSpan.FromMinutes(30));
        tracker.Record("orchestrator_plan_task", readOnly: false, Fast, ToolOutcome.Success);
        tracker.Record("orchestrator_plan_task", readOnly: false, Fast, ToolOutcome.Success);

        tracker.Report().Tools.Single().Availability.Events.ShouldBe(3);

        // The window slides in one-minute steps: the first call is still inside 59 minutes on.
        clock.Advance(TimeSpan.FromMinutes(29));
        tracker.Report().Tools.Single().Availability.Bad.ShouldBe(1);

        clock.Advance(TimeSpan.FromMinutes(1));
        var availability = tracker.Report().Tools.Single().Availability;
        availability.Events.ShouldBe(2);
        availability.Bad.ShouldBe(0);
        availability.ErrorBudgetRemaining.ShouldBe(1);

        clock.Advance(TimeSpan.FromMinutes(30));
        tracker.Report().Tools.Single().Availability.ShouldBe(new SliView(0.999, 0, 0, 0, null, 1, 0, Met: true));
    }

    [Fact]
    public void Report_SlotReusedAfterAFullWindow_StartsFromZero()
    {
        var (tracker, clock) = Tracker(new SloOptions { Window = TimeSpan.FromMinutes(1) });
        tracker.Record("t", readOnly: true, Fast, ToolOutcome.ServerError);
        clock.Advance(TimeSpan.FromMinutes(1));
        tracker.Record("t", readOnly: true, Fast, ToolOutcome.Success);

        tracker.Report().Tools.Single().Availability.ShouldBe(new SliView(0.999, 1, 1, 0, 1, 1, 0, Met: true));
    }

    [Fact]
    public void For_ToolOverride_WinsOverTheReadAndWriteDefaults()
    {
        var options = new SloOptions();
        options.Tools["orchestrator_get_status"] = new ToolSloOptions { Latency = 0.95, LatencyThreshold = TimeSpan.FromMilliseconds(20) };

        options.For("orchestrator_get_status", readOnly: true).ShouldBe(new ToolObjectives(0.999, 0.95, TimeSpan.FromMilliseconds(20)));
        options.For("orchestrator_query_tasks", readOnly: true).ShouldBe(new ToolObjectives(0.999, 0.99, TimeSpan.FromMilliseconds(50)));
        options.For("orchestrator_plan_task", readOnly: false).ShouldBe(new ToolObjectives(0.999, 0.99, TimeSpan.FromMilliseconds(100)));
        options.For("orchestrator_synthesize_results", readOnly: true).LatencyThreshold.ShouldBe(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Validate_ObjectiveOutOfRangeNegativeThresholdUnknownToolShortWindow_EachRefusedByName()
    {
        var options = new SloOptions { Availability = 1.5, Latency = 1, WriteLatencyThreshold = TimeSpan.FromMilliseconds(-5), Window = TimeSpan.FromSeconds(30) };
        options.Tools["orchestrator_plan_tsk"] = new ToolSloOptions { Availability = 0 };

        var result = new SloOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldBe(
        [
            "Slo:Window is 00:00:30; it must lie between 00:01:00 and 31.00:00:00, for example 01:00:00 for the last hour.",
            "Slo:Availability is 1.5; an objective is a fraction greater than 0 and less than 1, for example 0.999 for 99.9 %.",
            "Slo:Latency is 1; an objective is a fraction greater than 0 and less than 1, for example 0.999 for 99.9 %.",
            "Slo:WriteLatencyThreshold is -00:00:00.0050000; it must be a positive duration such as 00:00:00.100 (100 ms).",
            "Slo:Tools:orchestrator_plan_tsk names no tool of this server; allowed: the tool names in docs/tools.md, such as orchestrator_plan_task.",
            "Slo:Tools:orchestrator_plan_tsk:Availability is 0; an objective is a fraction greater than 0 and less than 1, for example 0.999 for 99.9 %.",
        ],
        ignoreOrder: false);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        new SloOptionsValidator().Validate(null, new SloOptions()).Succeeded.ShouldBeTrue();
    }

    private static (SloTracker Tracker, ManualTimeProvider Clock) Tracker(SloOptions options)
    {
        var clock = new ManualTimeProvider();
        return (new SloTracker(Options.Create(options), clock), clock);
    }
}
