using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.LoadHarness.Measurement;
using TaskOrchestrator.LoadHarness.Reporting;
using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>
/// orchestrator_claim_next_task under contention and at size. Throughput: a workspace seeded with
/// ready tasks, then 32 agents (spread round-robin over 1 or 3 server processes on the same
/// workspace, each agent claiming as fast as its answers come) until nothing is left; every claim is
/// a committed, fsync'd transaction. Latency: one agent claiming one task at a time from a workspace
/// of 100,000 tasks, on a fresh server process: its first claims (cold) and, after a warm-up, its
/// steady state, which the target judges.
/// </summary>
internal static class ClaimPhase
{
    private const int TreeSize = 500;
    private const int LatencyClaims = 1_000;

    // Claims between the cold and the steady measurement. Tiered compilation recompiles the hot
    // methods of the claim path in the background over the first few thousand claims of a process (on
    // two cores, a compiling thread beside the worker, the supervisor and the harness: a worker switched
    // threads 44 times per claim over its first 2,000 claims, 10 per claim from its 4,000th on).
    private const int WarmUpClaims = 4_000;

    public static async Task<ClaimPhaseResult> RunAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        var throughput = new List<ClaimThroughput>();
        foreach (var servers in context.Options.ClaimServers)
        {
            throughput.Add(await ThroughputAsync(context, servers, cancellationToken));
        }

        return new ClaimPhaseResult(throughput, await LatencyAsync(context, cancellationToken));
    }

    private static async Task<ClaimThroughput> ThroughputAsync(HarnessContext context, int serverCount, CancellationToken cancellationToken)
    {
        int tasks = context.Options.ClaimTasks, agents = context.Options.ClaimAgents;
        var workspace = context.NewFolder($"claim-workspace-{serverCount}");
        var servers = new List<StdioServer>();
        var callers = new List<ConcurrentCalls>();
        try
        {
            for (int i = 0; i < serverCount; i++)
            {
                var server = StdioServer.Start(context.Launcher, workspace);
                servers.Add(server);
                await server.InitializeAsync(cancellationToken);
            }

            callers.AddRange(servers.Select(server => server.Concurrently()));
            var cold = await ClaimRace.WarmUpAsync(callers, agents, context.Options.ClaimWarmUpTasks, "claim", cancellationToken);
            int claimable = await SeedAsync(callers[0], tasks, cancellationToken);
            HarnessContext.Progress($"claim: {agents} agents on {serverCount} server process(es) claiming {claimable:N0} ready tasks");
            var race = await ClaimRace.RunAsync(callers, agents, cancellationToken);
            return new ClaimThroughput(serverCount, agents, claimable, race.Claimed, race.Duplicates, race.Seconds, race.PerSecond, LatencyStats.Of(race.Latencies), cold);
        }
        finally
        {
            foreach (var caller in callers)
            {
                await caller.DisposeAsync();
            }

            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<ClaimLatency> LatencyAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        int tasks = context.Options.LargeTasks;
        var workspace = context.NewFolder("claim-latency-workspace");
        await using var server = StdioServer.Start(context.Launcher, workspace);
        await server.InitializeAsync(cancellationToken);
        await SeedAsync(server, tasks, cancellationToken);
        HarnessContext.Progress($"claim: {LatencyClaims} cold claims, {WarmUpClaims:N0} warm-up and {LatencyClaims} measured claims, one at a time, with {tasks:N0} tasks");
        var cold = await TimeClaimsAsync(server, LatencyClaims, cancellationToken);
        await TimeClaimsAsync(server, WarmUpClaims, cancellationToken);
        var samples = await TimeClaimsAsync(server, LatencyClaims, cancellationToken);
        context.SaveSamples($"claim-next-{tasks}-cold", cold);
        context.SaveSamples($"claim-next-{tasks}", samples);
        var serverSide = await ServerMetrics.ForToolAsync(server, "orchestrator_claim_next_task", cancellationToken);
        return new ClaimLatency(tasks, LatencyStats.Of(samples), serverSide, LatencyStats.Of(cold), WarmUpClaims);
    }

    private static async Task<List<double>> TimeClaimsAsync(StdioServer server, int claims, CancellationToken cancellationToken)
    {
        var samples = new List<double>(claims);
        for (int i = 0; i < claims; i++)
        {
            long started = Stopwatch.GetTimestamp();
            await server.CallToolAsync("orchestrator_claim_next_task", """{"agent_id":"latency-agent"}""", cancellationToken);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return samples;
    }

    // Trees of 500 (a parent and 499 subtasks, all ready; the parents wait for their subtasks).
    internal static async Task<int> SeedAsync(IToolCaller server, int tasks, CancellationToken cancellationToken)
    {
        HarnessContext.Progress($"claim: seeding {tasks:N0} tasks");
        var corpus = new TaskCorpus(7);
        int claimable = 0;
        for (int done = 0; done < tasks;)
        {
            int size = Math.Min(TreeSize, tasks - done);
            var subtasks = Enumerable.Range(0, size - 1).Select(_ => corpus.Next()).ToArray();
            await server.CallToolAsync("orchestrator_plan_task", ToolArguments.PlanTree(corpus.Next(), subtasks), cancellationToken);
            done += size;
            claimable += subtasks.Length;
        }

        return claimable;
    }
}

/// <summary>Claims from many agents at once on one workspace, after the warm-up race <paramref name="Cold"/> (null without one).</summary>
internal sealed record ClaimThroughput(int Servers, int Agents, int ReadyTasks, int Claimed, int Duplicates, double Seconds, double ClaimsPerSecond, LatencyStats Latency, WarmUpRace? Cold);

/// <summary>
/// One agent's claim round trips at a workspace size: <paramref name="RoundTrip"/> after
/// <paramref name="WarmUpClaims"/> claims more than the <paramref name="Cold"/> ones, the first of the
/// process; <paramref name="ServerSide"/> covers every claim of the process.
/// </summary>
internal sealed record ClaimLatency(int Tasks, LatencyStats RoundTrip, ServerToolStats? ServerSide, LatencyStats Cold, int WarmUpClaims);

/// <summary>The claim phase.</summary>
internal sealed record ClaimPhaseResult(IReadOnlyList<ClaimThroughput> Throughput, ClaimLatency Latency);
