using System.Diagnostics;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.LoadHarness.Measurement;
using TaskOrchestrator.LoadHarness.Reporting;
using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>
/// What the supervisor costs and how fast it restarts:
/// <list type="bullet">
/// <item>the hop: the same calls against a supervised server and one started with --no-supervisor,
/// each on its own fresh workspace, alternating call by call (and which goes first) so that both see
/// the same machine state;</item>
/// <item>graceful restarts with no call in flight, timed by the client;</item>
/// <item>calls sent while a restart is under way: when each is answered, against when the restart's
/// own answer came.</item>
/// </list>
/// </summary>
internal static class SupervisorPhase
{
    private const string RestartArguments = """{"reason":"manual_request","timeout_seconds":30}""";
    private const string ReadArguments = """{"limit":20,"sort":"priority"}""";
    private const int BufferedPerRestart = 5;
    private const int WarmUpCalls = 100;

    public static async Task<SupervisorPhaseResult> RunAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        var supervisedLauncher = context.Launcher;
        var aloneLauncher = context.Launcher.With("--no-supervisor");
        await using var supervised = StdioServer.Start(supervisedLauncher, context.NewFolder("supervisor-hop-supervised"));
        await using var alone = StdioServer.Start(aloneLauncher, context.NewFolder("supervisor-hop-alone"));
        await supervised.InitializeAsync(cancellationToken);
        await alone.InitializeAsync(cancellationToken);

        int calls = context.Options.HopCalls;
        HarnessContext.Progress($"supervisor: hop, {calls} plan_task and {calls} query_tasks calls on each server, alternating (+{WarmUpCalls} warm-up each)");
        var corpus = new TaskCorpus(11);
        var plans = Enumerable.Range(0, 2 * (calls + WarmUpCalls)).Select(_ => ToolArguments.PlanOne(corpus.Next())).ToArray();
        var (planSupervised, planAlone) = await AlternateAsync(supervised, alone, calls, i => ("orchestrator_plan_task", plans[i]), cancellationToken);
        var (readSupervised, readAlone) = await AlternateAsync(supervised, alone, calls, _ => ("orchestrator_query_tasks", ReadArguments), cancellationToken);
        context.SaveSamples("hop-plan-supervised", planSupervised);
        context.SaveSamples("hop-plan-alone", planAlone);
        context.SaveSamples("hop-read-supervised", readSupervised);
        context.SaveSamples("hop-read-alone", readAlone);

        int restarts = context.Options.Restarts;
        HarnessContext.Progress($"supervisor: {restarts} graceful restarts with no call in flight (+1 warm-up)");
        var restartRoundTrips = new List<double>();
        var restartReported = new List<double>();
        for (int round = -1; round < restarts; round++)
        {
            await Task.Delay(200, cancellationToken);
            long started = Stopwatch.GetTimestamp();
            var line = await supervised.CallToolAsync("orchestrator_restart_server", RestartArguments, cancellationToken);
            double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var result = StdioServer.StructuredContent(line);
            if (result.GetProperty("outcome").GetString() != "succeeded")
            {
                throw new InvalidOperationException($"A restart did not succeed: {line}");
            }

            if (round >= 0)
            {
                restartRoundTrips.Add(elapsed);
                restartReported.Add(result.GetProperty("duration_ms").GetDouble());
            }
        }

        HarnessContext.Progress($"supervisor: {restarts} restarts with {BufferedPerRestart} calls sent 50 ms into each");
        var afterRestartAnswer = new List<double>();
        var bufferedRestarts = new List<double>();
        for (int round = 0; round < restarts; round++)
        {
            await Task.Delay(200, cancellationToken);
            long started = Stopwatch.GetTimestamp();
            long restartId = await supervised.SendAsync("tools/call", $$"""{"name":"orchestrator_restart_server","arguments":{{RestartArguments}}}""", cancellationToken);
            await Task.Delay(50, cancellationToken);
            var readIds = new List<long>();
            for (int i = 0; i < BufferedPerRestart; i++)
            {
                readIds.Add(await supervised.SendAsync("tools/call", $$"""{"name":"orchestrator_query_tasks","arguments":{{ReadArguments}}}""", cancellationToken));
            }

            var answers = await supervised.ReadAnswersAsync([restartId, .. readIds], cancellationToken);
            foreach (var (_, line) in answers.Values.Where(answer => answer.Line.Contains("\"isError\":true", StringComparison.Ordinal) || answer.Line.StartsWith("{\"error\"", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"A call during a restart failed: {line}");
            }

            long restartAnswered = answers[restartId].ReadAt;
            bufferedRestarts.Add(Stopwatch.GetElapsedTime(started, restartAnswered).TotalMilliseconds);
            afterRestartAnswer.AddRange(readIds.Select(id => Stopwatch.GetElapsedTime(restartAnswered, answers[id].ReadAt).TotalMilliseconds * (answers[id].ReadAt >= restartAnswered ? 1 : -1)));
        }

        context.SaveSamples("restart-round-trip", restartRoundTrips);
        context.SaveSamples("buffered-after-restart-answer", afterRestartAnswer);
        return new SupervisorPhaseResult(
            LatencyStats.Of(planSupervised),
            LatencyStats.Of(planAlone),
            Ratio(planSupervised, planAlone),
            LatencyStats.Of(readSupervised),
            LatencyStats.Of(readAlone),
            Ratio(readSupervised, readAlone),
            LatencyStats.Of(restartRoundTrips),
            LatencyStats.Of(restartReported),
            LatencyStats.Of(bufferedRestarts),
            LatencyStats.Of(afterRestartAnswer));
    }

    // Calls both servers in turn, swapping which goes first each round; returns the measured round trips.
    private static async Task<(List<double> Supervised, List<double> Alone)> AlternateAsync(
        StdioServer supervised, StdioServer alone, int calls, Func<int, (string Tool, string Arguments)> call, CancellationToken cancellationToken)
    {
        var onSupervised = new List<double>(calls);
        var onAlone = new List<double>(calls);
        int next = 0;
        for (int round = -WarmUpCalls; round < calls; round++)
        {
            bool supervisedFirst = (round & 1) == 0;
            foreach (var server in supervisedFirst ? new[] { supervised, alone } : [alone, supervised])
            {
                var (tool, arguments) = call(next++);
                long started = Stopwatch.GetTimestamp();
                await server.CallToolAsync(tool, arguments, cancellationToken);
                double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (round >= 0)
                {
                    (server == supervised ? onSupervised : onAlone).Add(elapsed);
                }
            }
        }

        return (onSupervised, onAlone);
    }

    private static double Ratio(List<double> supervised, List<double> alone) =>
        Math.Round(LatencyStats.Of(supervised).Median / LatencyStats.Of(alone).Median, 3);
}
