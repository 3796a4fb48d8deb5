using System.Diagnostics;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.LoadHarness.Measurement;
using TaskOrchestrator.LoadHarness.Reporting;
using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>
/// Spawn to answered initialize: the clock starts before the process is started and stops when the
/// initialize response line has been read, which is what a client waits for. The first tool call
/// after the handshake (a plan_task, which opens the workspace database) is reported beside it.
/// Launchers alternate so that both see the same machine state; one unmeasured spawn each warms the
/// file cache.
/// </summary>
internal static class SpawnPhase
{
    public static async Task<SpawnPhaseResult> RunAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        var launchers = context.Options.SpawnLaunchers
            .Select(name => name == "apphost" ? ServerLauncher.AppHost(context.ServerDirectory) : ServerLauncher.Dotnet(context.ServerDirectory))
            .ToArray();
        var workspace = context.NewFolder("spawn-workspace");
        var corpus = new TaskCorpus(3);
        var initialize = launchers.Select(_ => new List<double>()).ToArray();
        var firstCall = launchers.Select(_ => new List<double>()).ToArray();

        HarnessContext.Progress($"spawn: {context.Options.Spawns} measured spawns per launcher (+1 warm-up each)");
        for (int round = -1; round < context.Options.Spawns; round++)
        {
            for (int l = 0; l < launchers.Length; l++)
            {
                var (init, first) = await SpawnOnceAsync(launchers[l], workspace, ToolArguments.PlanOne(corpus.Next()), cancellationToken);
                if (round >= 0)
                {
                    initialize[l].Add(init);
                    firstCall[l].Add(first);
                }
            }
        }

        for (int l = 0; l < launchers.Length; l++)
        {
            var name = context.Options.SpawnLaunchers[l];
            context.SaveSamples($"spawn-initialize-{name}", initialize[l]);
            context.SaveSamples($"spawn-first-call-{name}", firstCall[l]);
        }

        return new SpawnPhaseResult([.. launchers.Select((launcher, l) => new SpawnLauncherResult(launcher.Name, LatencyStats.Of(initialize[l]), LatencyStats.Of(firstCall[l])))]);
    }

    private static async Task<(double Initialize, double FirstCall)> SpawnOnceAsync(ServerLauncher launcher, string workspace, string planArguments, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using var server = StdioServer.Start(launcher, workspace);
        await server.SendInitializeAsync(cancellationToken);
        double initialize = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await server.NotifyInitializedAsync(cancellationToken);

        long callStarted = Stopwatch.GetTimestamp();
        await server.CallToolAsync("orchestrator_plan_task", planArguments, cancellationToken);
        double firstCall = Stopwatch.GetElapsedTime(callStarted).TotalMilliseconds;
        return (initialize, firstCall);
    }
}
