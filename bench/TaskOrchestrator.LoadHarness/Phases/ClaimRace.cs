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
/// Agents spread round-robin over server connections, each claiming as fast as its answers come until a
/// claim finds nothing ready; a task claimed twice is counted, not hidden.
/// </summary>
internal static class ClaimRace
{
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
