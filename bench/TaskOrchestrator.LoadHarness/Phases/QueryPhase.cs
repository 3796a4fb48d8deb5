using System.Diagnostics;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.LoadHarness.Measurement;
using TaskOrchestrator.LoadHarness.Reporting;
using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>
/// orchestrator_query_tasks (a page of 50, status and priority filters, a search word that matches
/// about 3% of tasks) at a small and a large workspace, each seeded through the server itself with
/// orchestrator_plan_task trees of 500 tasks, so that the server's memory reflects the seeding too.
/// </summary>
internal static class QueryPhase
{
    public const string Description = "status=[pending], priority=[high], search_text=<word in ~3% of titles>, limit=50";
    private const int TreeSize = 500;
    private const int Warmup = 100;

    public static async Task<QueryPhaseResult> RunAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        var small = await MeasureAsync(context, context.Options.SmallTasks, cancellationToken);
        var large = await MeasureAsync(context, context.Options.LargeTasks, cancellationToken);
        return new QueryPhaseResult(
            Description,
            small,
            large,
            Math.Round(large.RoundTrip.P99 / small.RoundTrip.P99, 3),
            Math.Round(large.RoundTrip.Median / small.RoundTrip.Median, 3));
    }

    private static async Task<QuerySizeResult> MeasureAsync(HarnessContext context, int tasks, CancellationToken cancellationToken)
    {
        var workspace = context.NewFolder($"query-workspace-{tasks}");
        await using var server = StdioServer.Start(context.Launcher, workspace);
        await server.InitializeAsync(cancellationToken);
        await using var memory = server.SampleMemory();

        HarnessContext.Progress($"query: seeding {tasks:N0} tasks through orchestrator_plan_task ({TreeSize} per call)");
        var seeding = Stopwatch.StartNew();
        var corpus = new TaskCorpus(42);
        for (int done = 0; done < tasks;)
        {
            int size = Math.Min(TreeSize, tasks - done);
            var root = corpus.Next();
            var subtasks = Enumerable.Range(0, size - 1).Select(_ => corpus.Next()).ToArray();
            await server.CallToolAsync("orchestrator_plan_task", ToolArguments.PlanTree(root, subtasks), cancellationToken);
            done += size;
            if (done % 20_000 == 0)
            {
                HarnessContext.Progress($"query:   {done:N0} tasks seeded ({seeding.Elapsed.TotalSeconds:0.0} s)");
            }
        }

        double seedSeconds = Math.Round(seeding.Elapsed.TotalSeconds, 2);
        var words = TaskCorpus.SearchWords;
        var queries = words.Select(w => ToolArguments.Query(w)).ToArray();

        HarnessContext.Progress($"query: {tasks:N0} tasks seeded in {seedSeconds} s; {Warmup} warm-up and {context.Options.QueryCalls} measured queries");
        await memory.PauseAsync();
        for (int i = 0; i < Warmup; i++)
        {
            await server.CallToolAsync("orchestrator_query_tasks", queries[i % queries.Length], cancellationToken);
        }

        var samples = new List<double>(context.Options.QueryCalls);
        for (int i = 0; i < context.Options.QueryCalls; i++)
        {
            var args = queries[i % queries.Length];
            long started = Stopwatch.GetTimestamp();
            await server.CallToolAsync("orchestrator_query_tasks", args, cancellationToken);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        context.SaveSamples($"query-tasks-{tasks}", samples);

        // Read after the timed loop: counting calls must not dilute the figures above.
        var serverSide = await ServerMetrics.ForToolAsync(server, "orchestrator_query_tasks", cancellationToken);
        var coverage = new List<SearchCoverage>();
        for (int i = 0; i < words.Count; i++)
        {
            int all = TotalCount(await server.CallToolAsync("orchestrator_query_tasks", ToolArguments.SearchOnly(words[i]), cancellationToken));
            int filtered = TotalCount(await server.CallToolAsync("orchestrator_query_tasks", queries[i], cancellationToken));
            coverage.Add(new SearchCoverage(words[i], all, Math.Round(100.0 * all / tasks, 2), filtered));
        }

        return new QuerySizeResult(tasks, seedSeconds, LatencyStats.Of(samples), serverSide, coverage, await memory.FinishAsync());
    }

    private static int TotalCount(string responseLine) =>
        StdioServer.StructuredContent(responseLine).GetProperty("total_count").GetInt32();
}
