using System.Collections.Concurrent;
using System.Diagnostics;
using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>What a claim race saw: tasks claimed, tasks handed out twice, its length and each claim's round trip.</summary>
internal sealed record ClaimRaceResult(int Claimed, int Duplicates, double Seconds, double[] Latencies)
{
    public double PerSecond => Math.Round(Claimed / Seconds, 1);
}

/// <summary>
/// The race run before a measured one on the same servers: the first claims after a server starts also
/// pay for compiling the claim path (tiered compilation: about a quarter of the servers' CPU in a
/// 10-second race, none of it after), so its figures are the servers' cold ones.
/// </summary>
internal sealed record WarmUpRace(int Claimed, double Seconds, double ClaimsPerSecond);

/// <summary>
/// Agents spread round-robin over server connections, each claiming as fast as its answers come until a
/// claim finds nothing ready; a task claimed twice is counted, not hidden.
/// </summary>
internal static class ClaimRace
{
    /// <summary>
    /// Seeds <paramref name="tasks"/> ready tasks through the first caller and lets the agents drain
    /// them; null when <paramref name="tasks"/> is 0. A warm-up that hands a task out twice or leaves one
    /// behind fails the run as a measured race would be judged.
    /// </summary>
    public static async Task<WarmUpRace?> WarmUpAsync(IReadOnlyList<ConcurrentCalls> callers, int agents, int tasks, string label, CancellationToken cancellationToken)
    {
        if (tasks == 0)
        {
            return null;
        }

        int claimable = await ClaimPhase.SeedAsync(callers[0], tasks, cancellationToken);
        HarnessContext.Progress($"{label}: warm-up: {agents} agents claiming {claimable:N0} ready tasks");
        var race = await RunAsync(callers, agents, cancellationToken);
        if (race.Claimed != claimable || race.Duplicates != 0)
        {
            throw new InvalidOperationException($"{label}: the warm-up race claimed {race.Claimed} of {claimable} ready tasks with {race.Duplicates} handed out twice.");
        }

        return new WarmUpRace(race.Claimed, race.Seconds, race.PerSecond);
    }

    public static async Task<ClaimRaceResult> RunAsync(IReadOnlyList<ConcurrentCalls> callers, int agents, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var claimed = new ConcurrentDictionary<string, int>();
        int duplicates = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, agents).Select(agent => Task.Run(async () =>
        {
            var caller = callers[agent % callers.Count];
            var arguments = $$"""{"agent_id":"bench-agent-{{agent}}","lease_seconds":3600}""";
            while (true)
            {
                long started = Stopwatch.GetTimestamp();
                var line = await caller.CallToolAsync("orchestrator_claim_next_task", arguments, cancellationToken);
                double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var content = StdioServer.StructuredContent(line);
                if (!content.GetProperty("claimed").GetBoolean())
                {
                    return;
                }

                latencies.Add(elapsed);
                if (!claimed.TryAdd(content.GetProperty("execution").GetProperty("task").GetProperty("task_id").GetString()!, agent))
                {
                    Interlocked.Increment(ref duplicates);
                }
            }
        }, cancellationToken)));
        return new ClaimRaceResult(claimed.Count, duplicates, Math.Round(clock.Elapsed.TotalSeconds, 3), [.. latencies]);
    }
}
