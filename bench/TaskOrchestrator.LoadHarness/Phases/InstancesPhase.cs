using System.Collections.Concurrent;
using System.Diagnostics;
using TaskOrchestrator.LoadHarness.Measurement;
using TaskOrchestrator.LoadHarness.Rpc;
using TaskOrchestrator.Testing.Postgres;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>
/// Issue 6's workload: several server instances (3) sharing one store, many agents (64) spread
/// round-robin over them, each claiming as fast as its answers come until the ready tasks run out; run
/// once on SQLite (the processes share one workspace file) and once on PostgreSQL (the processes share
/// one database of a throwaway cluster the harness starts itself with initdb and pg_ctl, fsync and
/// synchronous commit on as a real server keeps them), so that the two backends are seen side by side.
/// Every claim is a committed transaction. Where PostgreSQL's binaries are missing, its run is reported
/// as skipped with the reason.
/// </summary>
internal static class InstancesPhase
{
    public static async Task<InstancesPhaseResult> RunAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        var runs = new List<InstancesRun>();
        foreach (var backend in context.Options.InstanceBackends)
        {
            runs.Add(backend == "postgres"
                ? await PostgresAsync(context, cancellationToken)
                : await DrainAsync(context, "sqlite", context.Launcher, cancellationToken));
        }

        return new InstancesPhaseResult(runs);
    }

    private static async Task<InstancesRun> PostgresAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        if (context.Options.PostgresConnectionString is { } existing)
        {
            HarnessContext.Progress("instances: using the PostgreSQL database given by --postgres");
            return await DrainAsync(context, "postgres", context.Launcher.With("--store", "postgres", "--connection-string", existing), cancellationToken);
        }

        if (ThrowawayPostgres.UnavailableReason() is { } reason)
        {
            HarnessContext.Progress($"instances: PostgreSQL skipped: {reason}");
            return InstancesRun.Skipped("postgres", context.Options, reason);
        }

        HarnessContext.Progress("instances: starting a throwaway PostgreSQL cluster");

        // Room for every instance's pool (50 each by default) and its listen connection.
        await using var cluster = await ThrowawayPostgres.StartAsync(["max_connections=300"], cancellationToken)
            ?? throw new InvalidOperationException("The PostgreSQL cluster could not be started.");
        await cluster.CreateDatabaseAsync("orchestrator", cancellationToken);
        var launcher = context.Launcher.With("--store", "postgres", "--connection-string", cluster.ConnectionString("orchestrator"));
        return await DrainAsync(context, "postgres", launcher, cancellationToken);
    }

    private static async Task<InstancesRun> DrainAsync(HarnessContext context, string backend, ServerLauncher launcher, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var workspace = context.NewFolder($"instances-{backend}");
        var servers = new List<StdioServer>();
        var callers = new List<ConcurrentCalls>();
        try
        {
            for (int i = 0; i < options.InstanceServers; i++)
            {
                var server = StdioServer.Start(launcher.With("--no-supervisor"), workspace);
                servers.Add(server);
                await server.InitializeAsync(cancellationToken);
            }

            callers.AddRange(servers.Select(server => server.Concurrently()));
            var cold = await ClaimRace.WarmUpAsync(callers, options.InstanceAgents, options.ClaimWarmUpTasks, $"instances ({backend})", cancellationToken);
            int claimable = await ClaimPhase.SeedAsync(callers[0], options.InstanceTasks, cancellationToken);
            HarnessContext.Progress($"instances: {options.InstanceAgents} agents on {servers.Count} {backend} instance(s) claiming {claimable:N0} ready tasks");
            var race = await ClaimRace.RunAsync(callers, options.InstanceAgents, cancellationToken);
            context.SaveSamples($"instances-claim-{backend}", race.Latencies);
            return new InstancesRun(backend, servers.Count, options.InstanceAgents, claimable, race.Claimed, race.Duplicates, race.Seconds, race.PerSecond, LatencyStats.Of(race.Latencies), cold, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException)
        {
            throw new InvalidOperationException($"instances ({backend}) failed: {ex.Message}\nServer log tail:\n{string.Join("\n----\n", servers.Select(s => s.StderrTail))}", ex);
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
}

/// <summary>One backend's drain: several instances, many agents, one store, after the warm-up race <paramref name="Cold"/>.</summary>
internal sealed record InstancesRun(string Backend, int Servers, int Agents, int ReadyTasks, int Claimed, int Duplicates, double Seconds, double ClaimsPerSecond, LatencyStats? Latency, WarmUpRace? Cold, string? SkippedBecause)
{
    public static InstancesRun Skipped(string backend, HarnessOptions options, string reason) =>
        new(backend, options.InstanceServers, options.InstanceAgents, 0, 0, 0, 0, 0, null, null, reason);
}

/// <summary>The instances phase: the same workload on each backend.</summary>
internal sealed record InstancesPhaseResult(IReadOnlyList<InstancesRun> Runs);
