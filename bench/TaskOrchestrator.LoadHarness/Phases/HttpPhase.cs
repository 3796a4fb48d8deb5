using System.Diagnostics;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.LoadHarness.Measurement;
using TaskOrchestrator.LoadHarness.Reporting;
using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>
/// <c>serve --http</c> (authentication on) against the stdio server on one workspace seeded with
/// orchestrator_plan_task trees: (a) the orchestrator_query_tasks round trip over HTTP and over stdio,
/// measured alternately; (b) many concurrent HTTP clients, each its own MCP session, reading for a fixed
/// time; (c) how long a change made through MCP takes to reach a reader of <c>/api/events</c>.
/// </summary>
internal static class HttpPhase
{
    private const int TreeSize = 500;
    private const int Warmup = 100;

    // Far above what the load asks for, so that the limiter stays in the path without refusing anything.
    private const int RateLimitRequests = 100_000_000;

    public static async Task<HttpPhaseResult> RunAsync(HarnessContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var workspace = context.NewFolder("http-workspace");
        await using var stdio = StdioServer.Start(context.Launcher, workspace);
        await stdio.InitializeAsync(cancellationToken);

        HarnessContext.Progress($"http: seeding {options.SmallTasks:N0} tasks over stdio ({TreeSize} per plan_task call)");
        var corpus = new TaskCorpus(42);
        var taskIds = new List<string>(options.SmallTasks);
        for (int done = 0; done < options.SmallTasks;)
        {
            int size = Math.Min(TreeSize, options.SmallTasks - done);
            var plan = await stdio.CallToolAsync("orchestrator_plan_task", ToolArguments.PlanTree(corpus.Next(), [.. Enumerable.Range(0, size - 1).Select(_ => corpus.Next())]), cancellationToken);
            var content = StdioServer.StructuredContent(plan);
            taskIds.Add(content.GetProperty("task_id").GetString()!);
            taskIds.AddRange(content.GetProperty("subtasks").EnumerateArray().Select(s => s.GetProperty("task_id").GetString()!));
            done += size;
        }

        await using var http = await HttpServer.StartAsync(context.Launcher, workspace, RateLimitRequests, cancellationToken);
        HarnessContext.Progress($"http: serve --http listening at {http.McpEndpoint} (pid {http.Pid})");
        var queries = TaskCorpus.SearchWords.Select(w => ToolArguments.Query(w)).ToArray();

        var (overHttp, overStdio) = await RoundTripsAsync(context, stdio, http, queries, cancellationToken);
        var throughput = await ThroughputAsync(context, http, queries, cancellationToken);
        var (fromCall, fromAnswer) = await EventDeliveryAsync(context, http, taskIds, cancellationToken);
        return new HttpPhaseResult(
            QueryPhase.Description,
            options.SmallTasks,
            overHttp,
            overStdio,
            Math.Round(overHttp.Median / overStdio.Median, 3),
            throughput,
            fromCall,
            fromAnswer);
    }

    /// <summary>The same query over HTTP and over stdio, one after the other, so that both see the same machine state.</summary>
    private static async Task<(LatencyStats Http, LatencyStats Stdio)> RoundTripsAsync(HarnessContext context, StdioServer stdio, HttpServer http, string[] queries, CancellationToken cancellationToken)
    {
        int calls = context.Options.QueryCalls;
        HarnessContext.Progress($"http: round trips, {Warmup} warm-up and {calls} measured orchestrator_query_tasks calls on each transport, alternating");
        var session = await McpHttpSession.OpenAsync(http, "load-harness-round-trip", cancellationToken);
        for (int i = 0; i < Warmup; i++)
        {
            await session.CallToolAsync("orchestrator_query_tasks", queries[i % queries.Length], cancellationToken);
            await stdio.CallToolAsync("orchestrator_query_tasks", queries[i % queries.Length], cancellationToken);
        }

        var overHttp = new List<double>(calls);
        var overStdio = new List<double>(calls);
        for (int i = 0; i < calls; i++)
        {
            var args = queries[i % queries.Length];
            long started = Stopwatch.GetTimestamp();
            var answer = await session.CallToolAsync("orchestrator_query_tasks", args, cancellationToken);
            overHttp.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await stdio.CallToolAsync("orchestrator_query_tasks", args, cancellationToken);
            overStdio.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (i == 0 && McpHttpSession.StructuredContent(answer).GetProperty("tasks").GetArrayLength() == 0)
            {
                throw new InvalidOperationException("orchestrator_query_tasks over HTTP returned no rows: the HTTP server is not reading the seeded workspace.");
            }
        }

        context.SaveSamples("http-query-tasks", overHttp);
        context.SaveSamples("http-query-tasks-stdio", overStdio);
        return (LatencyStats.Of(overHttp), LatencyStats.Of(overStdio));
    }

    /// <summary>N sessions, each calling in a loop on its own, for the configured time; counts answered calls.</summary>
    private static async Task<HttpThroughputResult> ThroughputAsync(HarnessContext context, HttpServer http, string[] queries, CancellationToken cancellationToken)
    {
        int clients = context.Options.HttpClients;
        var duration = context.Options.HttpDuration;
        HarnessContext.Progress($"http: {clients} concurrent sessions reading for {duration.TotalSeconds:0.#} s");
        var sessions = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => McpHttpSession.OpenAsync(http, $"load-harness-{i}", cancellationToken)));
        foreach (var session in sessions)
        {
            await session.CallToolAsync("orchestrator_query_tasks", queries[0], cancellationToken);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long deadline = 0;
        var workers = sessions.Select((session, index) => Task.Run(async () =>
        {
            await start.Task;
            var latencies = new List<double>(4096);
            for (int i = index; Stopwatch.GetTimestamp() < Volatile.Read(ref deadline); i++)
            {
                long started = Stopwatch.GetTimestamp();
                await session.CallToolAsync("orchestrator_query_tasks", queries[i % queries.Length], cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return latencies;
        }, cancellationToken)).ToArray();

        long began = Stopwatch.GetTimestamp();
        Volatile.Write(ref deadline, began + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        start.SetResult();
        var perClient = await Task.WhenAll(workers);
        double seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        var all = perClient.SelectMany(l => l).ToArray();
        context.SaveSamples($"http-concurrent-{clients}", all);
        return new HttpThroughputResult(
            clients,
            Math.Round(seconds, 3),
            all.Length,
            Math.Round(all.Length / seconds, 1),
            perClient.Min(l => l.Count),
            perClient.Max(l => l.Count),
            LatencyStats.Of(all));
    }

    /// <summary>
    /// One orchestrator_update_task at a time over MCP, each on another task, while /api/events is read:
    /// the time until the task's event is read, from when the call was sent (the commit happens inside
    /// the call, so this overstates the delivery by up to the call's round trip) and from its answer.
    /// </summary>
    private static async Task<(LatencyStats FromCall, LatencyStats FromAnswer)> EventDeliveryAsync(HarnessContext context, HttpServer http, IReadOnlyList<string> taskIds, CancellationToken cancellationToken)
    {
        int samples = Math.Min(context.Options.EventSamples, taskIds.Count);
        HarnessContext.Progress($"http: {samples} changes through orchestrator_update_task, each timed until its event is read from /api/events");
        var session = await McpHttpSession.OpenAsync(http, "load-harness-events", cancellationToken);
        await using var events = await EventStreamWatcher.OpenAsync(http, cancellationToken);

        // Changes at random moments, so that they do not line up with the stream's polling.
        var random = new Random(7);
        var fromCall = new List<double>(samples);
        var fromAnswer = new List<double>(samples);
        for (int i = 0; i < samples; i++)
        {
            var taskId = taskIds[i];
            var arrival = events.NextEventOf(taskId);
            long sent = Stopwatch.GetTimestamp();
            await session.CallToolAsync("orchestrator_update_task", $$"""{"task_id":"{{taskId}}","description":"event delivery probe {{i}}"}""", cancellationToken);
            long answered = Stopwatch.GetTimestamp();
            long readAt = await arrival.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            fromCall.Add(Stopwatch.GetElapsedTime(sent, readAt).TotalMilliseconds);
            fromAnswer.Add(Stopwatch.GetElapsedTime(answered, readAt).TotalMilliseconds);
            await Task.Delay(random.Next(0, 100), cancellationToken);
        }

        context.SaveSamples("http-event-delivery", fromCall);
        return (LatencyStats.Of(fromCall), LatencyStats.Of(fromAnswer));
    }
}
