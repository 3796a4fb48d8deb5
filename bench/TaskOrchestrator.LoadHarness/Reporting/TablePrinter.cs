using System.Globalization;
using TaskOrchestrator.LoadHarness.Measurement;

namespace TaskOrchestrator.LoadHarness.Reporting;

/// <summary>Prints the figures and the verdicts as plain-text tables.</summary>
internal static class TablePrinter
{
    private static readonly string[] FigureHeader = ["figure", "n", "median", "p90", "p99", "max", "server p50", "server p99"];
    private static readonly string[] VerdictHeader = ["target", "limit", "measured", "result", "detail"];

    public static void Print(HarnessResults results, TextWriter output)
    {
        var run = results.Run;
        output.WriteLine();
        output.WriteLine($"TaskOrchestrator load harness — {run.StartedAt:yyyy-MM-dd HH:mm} UTC, {run.DurationSeconds:0} s");
        output.WriteLine($"machine: {run.Machine}, {run.ProcessorCount} cores, {run.Os}, {run.Runtime}");
        output.WriteLine($"disk: {run.Disk}");
        output.WriteLine($"load average (1/5/15 min): {run.LoadAverageAtStart} at start, {run.LoadAverageAtEnd} at end");
        output.WriteLine($"server: {run.Launcher} ({run.ServerDirectory}); transport: {run.Transport}");
        output.WriteLine();

        var rows = new List<string[]> { FigureHeader };
        if (results.Plan is { } plan)
        {
            rows.Add(Row("raw SQLite commit (WAL, synchronous=FULL)", plan.RawCommit, null));
            rows.Add(Row("orchestrator_plan_task round trip", plan.PlanRoundTrip, plan.ServerSide));
        }

        if (results.Query is { } query)
        {
            rows.Add(Row($"orchestrator_query_tasks @ {query.Small.Tasks:N0} tasks", query.Small.RoundTrip, query.Small.ServerSide));
            rows.Add(Row($"orchestrator_query_tasks @ {query.Large.Tasks:N0} tasks", query.Large.RoundTrip, query.Large.ServerSide));
        }

        if (results.Spawn is { } spawn)
        {
            foreach (var launcher in spawn.Launchers)
            {
                rows.Add(Row($"spawn -> initialize answered ({launcher.Launcher})", launcher.SpawnToInitialize, null));
                rows.Add(Row($"  first plan_task after spawn ({launcher.Launcher})", launcher.FirstPlanCall, null));
            }
        }

        if (results.Supervisor is { } supervisor)
        {
            rows.Add(Row("plan_task round trip, supervised", supervisor.PlanSupervised, null));
            rows.Add(Row("plan_task round trip, --no-supervisor", supervisor.PlanAlone, null));
            rows.Add(Row("query_tasks round trip, supervised", supervisor.ReadSupervised, null));
            rows.Add(Row("query_tasks round trip, --no-supervisor", supervisor.ReadAlone, null));
            rows.Add(Row("graceful restart, no calls in flight", supervisor.RestartRoundTrip, null));
            rows.Add(Row("  same, duration reported by the server", supervisor.RestartServerReported, null));
            rows.Add(Row("restart with calls sent into it", supervisor.BufferedRestartRoundTrip, null));
            rows.Add(Row("  those calls: answered ms after the restart", supervisor.BufferedAfterRestartAnswer, null));
        }

        if (results.Claims is { } claims)
        {
            foreach (var drain in claims.Throughput)
            {
                rows.Add(Row($"claim_next_task, {drain.Agents} agents on {drain.Servers} server(s)", drain.Latency, null));
            }

            rows.Add(Row($"claim_next_task, one agent @ {claims.Latency.Tasks:N0} tasks, first {claims.Latency.Cold.Count:N0} (cold)", claims.Latency.Cold, null));
            rows.Add(Row($"claim_next_task, one agent @ {claims.Latency.Tasks:N0} tasks, after warm-up", claims.Latency.RoundTrip, claims.Latency.ServerSide));
        }

        foreach (var drain in results.Instances?.Runs ?? [])
        {
            if (drain.Latency is { } latency)
            {
                rows.Add(Row($"claim_next_task, {drain.Agents} agents on {drain.Servers} {drain.Backend} instances", latency, null));
            }
        }

        if (results.Http is { } http)
        {
            rows.Add(Row($"query_tasks over HTTP @ {http.Tasks:N0} tasks", http.HttpRoundTrip, null));
            rows.Add(Row($"query_tasks over stdio @ {http.Tasks:N0} tasks (alternating)", http.StdioRoundTrip, null));
            rows.Add(Row($"query_tasks, {http.Concurrent.Clients} HTTP clients at once", http.Concurrent.Latency, null));
            rows.Add(Row("change -> its /api/events frame, from the call", http.EventFromCall, null));
            rows.Add(Row("  same, from the call's answer", http.EventFromAnswer, null));
        }

        Table(rows, output);

        if (results.Http is { } h)
        {
            output.WriteLine();
            output.WriteLine($"http: {h.Concurrent.Clients} sessions: {h.Concurrent.Calls:N0} calls in {h.Concurrent.Seconds:0.00} s = {h.Concurrent.CallsPerSecond:0} calls/s; median ratio HTTP/stdio {h.MedianRatio:0.000} x");
        }

        if (results.Claims is { } c)
        {
            output.WriteLine();
            foreach (var drain in c.Throughput)
            {
                output.WriteLine($"claims: {drain.Agents} agents on {drain.Servers} server process(es): {drain.Claimed:N0} of {drain.ReadyTasks:N0} ready tasks claimed in {drain.Seconds:0.00} s = {drain.ClaimsPerSecond:0} claims/s; {drain.Duplicates} claimed twice{Cold(drain.Cold)}");
            }
        }

        if (results.Instances is { } instances)
        {
            output.WriteLine();
            foreach (var drain in instances.Runs)
            {
                output.WriteLine(drain.SkippedBecause is { } reason
                    ? $"instances ({drain.Backend}): skipped: {reason}"
                    : $"instances ({drain.Backend}): {drain.Agents} agents on {drain.Servers} instances: {drain.Claimed:N0} of {drain.ReadyTasks:N0} ready tasks claimed in {drain.Seconds:0.00} s = {drain.ClaimsPerSecond:0} claims/s; {drain.Duplicates} claimed twice{Cold(drain.Cold)}");
            }
        }

        if (results.Query is { } q)
        {
            output.WriteLine();
            output.WriteLine($"query: {q.Query}");
            foreach (var size in new[] { q.Small, q.Large })
            {
                var words = string.Join(", ", size.SearchWords.Select(w => $"{w.Word} {w.PercentOfTasks.ToString("0.0", CultureInfo.InvariantCulture)}% ({w.MatchingWithFilters} with filters)"));
                output.WriteLine($"  {size.Tasks:N0} tasks: seeded in {size.SeedSeconds:0.0} s; search words match {words}");
                foreach (var process in size.Memory.Processes)
                {
                    output.WriteLine($"    {process.Role} (pid {process.Pid}): VmHWM {process.PeakResidentMib:0.0} MiB, VmRSS {process.ResidentMib:0.0} MiB, Pss {process.ProportionalMib:0.0} MiB");
                }

                output.WriteLine($"    all processes: peak Pss total {size.Memory.PeakProportionalTotalMib:0.0} MiB ({size.Memory.Samples} samples)");
            }

            output.WriteLine($"  p99 ratio {q.P99Ratio:0.00} x, median ratio {q.MedianRatio:0.00} x");
        }

        output.WriteLine();
        var verdicts = new List<string[]> { VerdictHeader };
        verdicts.AddRange(results.Targets.Select(t => new[] { t.Target, t.Limit, t.Measured, t.Pass ? "PASS" : "FAIL", t.Detail }));
        Table(verdicts, output);
    }

    private static string[] Row(string name, LatencyStats stats, ServerToolStats? server) =>
    [
        name,
        stats.Count.ToString(CultureInfo.InvariantCulture),
        Ms(stats.Median),
        Ms(stats.P90),
        Ms(stats.P99),
        Ms(stats.Max),
        server is null ? "" : Ms(server.P50),
        server is null ? "" : Ms(server.P99),
    ];

    private static string Cold(Phases.WarmUpRace? cold) =>
        cold is null ? "" : $" (after a warm-up race of {cold.Claimed:N0} claims in {cold.Seconds:0.00} s = {cold.ClaimsPerSecond:0} claims/s cold)";

    private static string Ms(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static void Table(List<string[]> rows, TextWriter output)
    {
        int columns = rows[0].Length;
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
        for (int r = 0; r < rows.Count; r++)
        {
            output.WriteLine(string.Join(" | ", rows[r].Select((cell, c) => c == 0 || c == columns - 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
            if (r == 0)
            {
                output.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
            }
        }
    }
}
