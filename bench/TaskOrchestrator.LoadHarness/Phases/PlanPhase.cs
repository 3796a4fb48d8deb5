using System.Diagnostics;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.LoadHarness.Measurement;
using TaskOrchestrator.LoadHarness.Reporting;
using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>
/// orchestrator_plan_task round trips against the raw fsync'd commit on the same disk, measured
/// alternately, one raw commit then one plan call. Both then see the same disk weather (a virtual
/// disk's fsync latency drifts over minutes) and the same cadence: on this kind of disk an fsync
/// issued right after another costs two to three times one issued after a pause, so timing the raw
/// commits back to back would inflate the baseline and flatter the server.
/// </summary>
internal static class PlanPhase
{
    private const int Warmup = 200;

    public static async Task<PlanPhaseResult> RunAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        int calls = context.Options.PlanCalls;
        var workspace = context.NewFolder("plan-workspace");
        using var raw = new RawCommitProbe(context.NewFolder("raw-commit"));
        await using var server = StdioServer.Start(context.Launcher, workspace);
        await server.InitializeAsync(cancellationToken);

        var corpus = new TaskCorpus(1);
        var arguments = Enumerable.Range(0, calls + Warmup).Select(_ => ToolArguments.PlanOne(corpus.Next())).ToArray();

        HarnessContext.Progress($"plan: warming up ({Warmup} raw commits and {Warmup} plan_task calls)");
        for (int i = 0; i < Warmup; i++)
        {
            raw.CommitOnce();
            await server.CallToolAsync("orchestrator_plan_task", arguments[i], cancellationToken);
        }

        HarnessContext.Progress($"plan: measuring {calls} raw commits and {calls} plan_task round trips, alternately");
        var rawSamples = new List<double>(calls);
        var planSamples = new List<double>(calls);
        for (int i = 0; i < calls; i++)
        {
            rawSamples.Add(raw.CommitOnce());
            var args = arguments[Warmup + i];
            long started = Stopwatch.GetTimestamp();
            await server.CallToolAsync("orchestrator_plan_task", args, cancellationToken);
            planSamples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        context.SaveSamples("raw-commit", rawSamples);
        context.SaveSamples("plan-task", planSamples);
        var serverSide = await ServerMetrics.ForToolAsync(server, "orchestrator_plan_task", cancellationToken);
        var rawStats = LatencyStats.Of(rawSamples);
        var planStats = LatencyStats.Of(planSamples);
        return new PlanPhaseResult(rawStats, planStats, Math.Round(planStats.Median - rawStats.Median, 3), serverSide);
    }
}
