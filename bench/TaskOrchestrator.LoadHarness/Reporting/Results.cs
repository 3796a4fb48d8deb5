using TaskOrchestrator.LoadHarness.Measurement;

namespace TaskOrchestrator.LoadHarness.Reporting;

/// <summary>Everything one harness run measured; serialized as the --out JSON.</summary>
internal sealed record HarnessResults(
    RunInfo Run,
    PlanPhaseResult? Plan,
    QueryPhaseResult? Query,
    SpawnPhaseResult? Spawn,
    SupervisorPhaseResult? Supervisor,
    Phases.ClaimPhaseResult? Claims,
    HttpPhaseResult? Http,
    Phases.InstancesPhaseResult? Instances,
    IReadOnlyList<TargetVerdict> Targets);

/// <summary>Where and how the run happened.</summary>
internal sealed record RunInfo(
    DateTimeOffset StartedAt,
    double DurationSeconds,
    string Machine,
    int ProcessorCount,
    string Os,
    string Runtime,
    string Disk,
    string ServerDirectory,
    string Launcher,
    string Transport,
    string LoadAverageAtStart,
    string LoadAverageAtEnd);

/// <summary>The server's own view of a tool's latency (its tool-call filter, from orchestrator_get_status).</summary>
internal sealed record ServerToolStats(long Calls, double P50, double P95, double P99, double Mean);

/// <summary>The raw fsync'd commit baseline and orchestrator_plan_task round trips, measured interleaved.</summary>
internal sealed record PlanPhaseResult(
    LatencyStats RawCommit,
    LatencyStats PlanRoundTrip,
    double MedianDifferenceMs,
    ServerToolStats? ServerSide);

/// <summary>orchestrator_query_tasks at one workspace size.</summary>
internal sealed record QuerySizeResult(
    int Tasks,
    double SeedSeconds,
    LatencyStats RoundTrip,
    ServerToolStats? ServerSide,
    IReadOnlyList<SearchCoverage> SearchWords,
    ServerMemory Memory);

/// <summary>How many tasks a search word matches, alone and with the query's two filters.</summary>
internal sealed record SearchCoverage(string Word, int MatchingSearchOnly, double PercentOfTasks, int MatchingWithFilters);

/// <summary>The small and large workspace and how the cost grew.</summary>
internal sealed record QueryPhaseResult(
    string Query,
    QuerySizeResult Small,
    QuerySizeResult Large,
    double P99Ratio,
    double MedianRatio);

/// <summary>Spawn to answered initialize, per launcher.</summary>
internal sealed record SpawnPhaseResult(IReadOnlyList<SpawnLauncherResult> Launchers);

/// <summary>One launcher's spawns: until initialize is answered, and the first tool call after it.</summary>
internal sealed record SpawnLauncherResult(string Launcher, LatencyStats SpawnToInitialize, LatencyStats FirstPlanCall);

/// <summary>The supervisor's hop, its restarts, and calls held during restarts.</summary>
/// <param name="PlanSupervised">plan_task round trips through the supervisor.</param>
/// <param name="PlanAlone">plan_task round trips with --no-supervisor, measured alternately with <paramref name="PlanSupervised"/>.</param>
/// <param name="PlanMedianRatio">Median supervised / median alone.</param>
/// <param name="ReadSupervised">query_tasks round trips through the supervisor.</param>
/// <param name="ReadAlone">query_tasks round trips with --no-supervisor.</param>
/// <param name="ReadMedianRatio">Median supervised / median alone.</param>
/// <param name="RestartRoundTrip">Graceful restarts with no call in flight, timed by the client.</param>
/// <param name="RestartServerReported">The same restarts' duration_ms as the supervisor reports it.</param>
/// <param name="BufferedRestartRoundTrip">The restarts that had calls sent into them, timed by the client.</param>
/// <param name="BufferedAfterRestartAnswer">For each call sent 50 ms into a restart: when it was answered, in ms after the restart's own answer (negative: before it).</param>
internal sealed record SupervisorPhaseResult(
    LatencyStats PlanSupervised,
    LatencyStats PlanAlone,
    double PlanMedianRatio,
    LatencyStats ReadSupervised,
    LatencyStats ReadAlone,
    double ReadMedianRatio,
    LatencyStats RestartRoundTrip,
    LatencyStats RestartServerReported,
    LatencyStats BufferedRestartRoundTrip,
    LatencyStats BufferedAfterRestartAnswer);

/// <summary>serve --http against stdio on one seeded workspace, many HTTP clients at once, and the event stream's delay.</summary>
/// <param name="Query">The orchestrator_query_tasks arguments every read call uses.</param>
/// <param name="Tasks">Tasks in the workspace.</param>
/// <param name="HttpRoundTrip">query_tasks round trips over HTTP (one session, kept-alive connection).</param>
/// <param name="StdioRoundTrip">The same calls over stdio (supervised), measured alternately with <paramref name="HttpRoundTrip"/>.</param>
/// <param name="MedianRatio">Median over HTTP / median over stdio.</param>
/// <param name="Concurrent">Many HTTP sessions reading at once.</param>
/// <param name="EventFromCall">From sending orchestrator_update_task to reading its event on /api/events.</param>
/// <param name="EventFromAnswer">From the update's answer (the commit acknowledged) to reading its event; negative when the event came first.</param>
internal sealed record HttpPhaseResult(
    string Query,
    int Tasks,
    LatencyStats HttpRoundTrip,
    LatencyStats StdioRoundTrip,
    double MedianRatio,
    HttpThroughputResult Concurrent,
    LatencyStats EventFromCall,
    LatencyStats EventFromAnswer);

/// <summary>Concurrent HTTP clients, each its own MCP session, calling in a loop for a fixed time.</summary>
internal sealed record HttpThroughputResult(int Clients, double Seconds, int Calls, double CallsPerSecond, int FewestCallsOfAClient, int MostCallsOfAClient, LatencyStats Latency);

/// <summary>A target of the issue and whether this run met it.</summary>
internal sealed record TargetVerdict(string Target, string Limit, string Measured, bool Pass, string Detail);
