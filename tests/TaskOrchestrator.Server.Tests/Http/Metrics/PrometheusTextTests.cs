using System.Diagnostics.Metrics;
using Shouldly;
using TaskOrchestrator.Server.Http.Metrics;

namespace TaskOrchestrator.Server.Tests.Http.Metrics;

/// <summary>The exposition text for a known set of measurements, to the byte.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Render_KnownMeasurements_ExactExpositionText()
    {
        using var meter = new Meter("TaskOrchestrator");
        using var collector = new MetricsCollector(meter);
        var calls = meter.CreateCounter<long>("orchestrator.tool.calls", unit: "{call}", description: "Tool calls by tool and outcome.");
        calls.Add(2, new("tool", "orchestrator_plan_task"), new("outcome", "success"));
        calls.Add(1, new("tool", "orchestrator_plan_task"), new("outcome", "success"));
        calls.Add(1, new("outcome", "client_error"), new("tool", "orchestrator_plan_task"));
        var duration = meter.CreateHistogram("orchestrator.tool.duration", unit: "s", description: "Tool call duration.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.25, 1] });
        foreach (var seconds in new[] { 0.0009765625, 0.25, 0.5, 3 })
        {
            duration.Record(seconds, new KeyValuePair<string, object?>("tool", "orchestrator_query_tasks"));
        }

        const string workspace = "C:\\work \"a\"\nb";
        meter.CreateObservableGauge("orchestrator.tasks", () => new[] { new Measurement<long>(3, new("workspace", workspace), new("status", "pending")), new Measurement<long>(0, new("workspace", workspace), new("status", "completed")) }, unit: "{task}", description: "Tasks by status.\nLine two \\ end");
        var depth = meter.CreateUpDownCounter<int>("orchestrator.queue.depth");
        depth.Add(5);
        depth.Add(-2);
        meter.CreateObservableGauge("orchestrator.slo.budget", () => new Measurement<double>(-0.5, new KeyValuePair<string, object?>("tool", "t")), unit: "1", description: "Budget left.");
        meter.CreateCounter<long>("orchestrator.unused", unit: "By", description: "Never.");

        var text = PrometheusText.Render(collector.Collect());

        text.ShouldBe(
            """
            # TYPE orchestrator_queue_depth gauge
            orchestrator_queue_depth 3
            # HELP orchestrator_slo_budget_ratio Budget left.
            # TYPE orchestrator_slo_budget_ratio gauge
            orchestrator_slo_budget_ratio{tool="t"} -0.5
            # HELP orchestrator_tasks Tasks by status.\nLine two \\ end
            # TYPE orchestrator_tasks gauge
            orchestrator_tasks{status="completed",workspace="C:\\work \"a\"\nb"} 0
            orchestrator_tasks{status="pending",workspace="C:\\work \"a\"\nb"} 3
            # HELP orchestrator_tool_calls_total Tool calls by tool and outcome.
            # TYPE orchestrator_tool_calls_total counter
            orchestrator_tool_calls_total{outcome="client_error",tool="orchestrator_plan_task"} 1
            orchestrator_tool_calls_total{outcome="success",tool="orchestrator_plan_task"} 3
            # HELP orchestrator_tool_duration_seconds Tool call duration.
            # TYPE orchestrator_tool_duration_seconds histogram
            orchestrator_tool_duration_seconds_bucket{tool="orchestrator_query_tasks",le="0.001"} 1
            orchestrator_tool_duration_seconds_bucket{tool="orchestrator_query_tasks",le="0.25"} 2
            orchestrator_tool_duration_seconds_bucket{tool="orchestrator_query_tasks",le="1"} 3
            orchestrator_tool_duration_seconds_bucket{tool="orchestrator_query_tasks",le="+Inf"} 4
            orchestrator_tool_duration_seconds_sum{tool="orchestrator_query_tasks"} 3.7509765625
            orchestrator_tool_duration_seconds_count{tool="orchestrator_query_tasks"} 4
            # HELP orchestrator_unused_bytes_total Never.
            # TYPE orchestrator_unused_bytes_total counter

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Collect_AnotherMeterOfTheSameName_IsNotCollected()
    {
        using var mine = new Meter("TaskOrchestrator");
        using var other = new Meter("TaskOrchestrator");
        using var collector = new MetricsCollector(mine);
        mine.CreateCounter<long>("orchestrator.tool.calls").Add(1);
        other.CreateCounter<long>("orchestrator.tool.calls").Add(5);
        other.CreateCounter<long>("orchestrator.other").Add(1);

        PrometheusText.Render(collector.Collect()).ShouldBe("# TYPE orchestrator_tool_calls_total counter\norchestrator_tool_calls_total 1\n");
    }

    [Fact]
    public void Collect_ObservableSeriesNoLongerReported_Disappears()
    {
        using var meter = new Meter("TaskOrchestrator");
        using var collector = new MetricsCollector(meter);
        var workspaces = new List<string> { "/a", "/b" };
        meter.CreateObservableGauge("orchestrator.tasks", () => workspaces.Select(w => new Measurement<long>(1, new KeyValuePair<string, object?>("workspace", w))));

        collector.Collect().Single().Points.Count.ShouldBe(2);
        workspaces.RemoveAt(0);

        PrometheusText.Render(collector.Collect()).ShouldBe("# TYPE orchestrator_tasks gauge\norchestrator_tasks{workspace=\"/b\"} 1\n");
    }
}
