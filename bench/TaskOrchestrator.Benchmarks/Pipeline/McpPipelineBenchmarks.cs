using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using TaskOrchestrator.Benchmarks.Infrastructure;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Benchmarks.Pipeline;

/// <summary>
/// A whole tool call through the real host (SDK, schema validation, tool filter, tool, store, result
/// shaping, JSON-RPC framing) over in-memory pipes instead of stdio: the server's share of a round trip
/// without the process boundary. The workspace holds 1,000 tasks.
/// </summary>
[BenchmarkCategory("pipeline")]
public class McpPipelineBenchmarks
{
    private static readonly string[] Pending = ["pending"];
    private static readonly string[] High = ["high"];
    private readonly Pipe _clientToServer = new();
    private readonly Pipe _serverToClient = new();
    private BenchStore _seeded = null!;
    private TempFolder _workspace = null!;
    private Serilog.Core.Logger _logger = null!;
    private IHost _host = null!;
    private PipeRpcClient _client = null!;
    private string _planParams = string.Empty;
    private string[] _queryParams = [];
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _seeded = await SeededWorkspace.OpenCopyAsync("to-bench-pipeline", 1_000);
        _workspace = _seeded.Folder;

        // The host opens the workspace with its own provider, as a second process would.
        _logger = new LoggerConfiguration().MinimumLevel.Warning().CreateLogger();
        _host = OrchestratorHost.Build(
            new ServeSettings(_workspace.Path, ConfigFile: null, LogEventLevel.Warning, LogFile: false),
            _logger,
            mcp => mcp.WithStreamServerTransport(_clientToServer.Reader.AsStream(), _serverToClient.Writer.AsStream()));
        await _host.StartAsync();
        _client = new PipeRpcClient(_clientToServer.Writer, _serverToClient.Reader);
        await _client.InitializeAsync(CancellationToken.None);

        _planParams = PipeRpcClient.ToolCall("orchestrator_plan_task", new Dictionary<string, object>
        {
            ["title"] = "Implement cache retry handling",
            ["description"] = "Rework the retry handling so that clients get a clear error instead of a hang. Done when unit tests cover the new branches.",
            ["task_type"] = "implementation",
            ["priority"] = "high",
        });
        _queryParams = [.. Bench.Shared.TaskCorpus.SearchWords.Select(word => PipeRpcClient.ToolCall("orchestrator_query_tasks", new Dictionary<string, object>
        {
            ["status"] = Pending,
            ["priority"] = High,
            ["search_text"] = word,
            ["limit"] = 50,
        }))];
    }

    [Benchmark(Description = "tools/call orchestrator_plan_task (in-process pipes)")]
    public Task<string> PlanTask() => _client.CallAsync("tools/call", _planParams, CancellationToken.None);

    [Benchmark(Description = "tools/call orchestrator_query_tasks, 1,000 tasks (in-process pipes)")]
    public Task<string> QueryTasks() => _client.CallAsync("tools/call", _queryParams[_next++ % _queryParams.Length], CancellationToken.None);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _clientToServer.Writer.CompleteAsync();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _host.StopAsync(stop.Token);
        }

        _host.Dispose();
        await _serverToClient.Writer.CompleteAsync();
        await _logger.DisposeAsync();
        await _seeded.DisposeAsync(); // and with it the workspace folder
    }
}
