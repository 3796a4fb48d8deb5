using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Benchmarks.Serialization;

/// <summary>
/// The JSON work of a tool result: shaping the structured content the way the tools do
/// (<see cref="ToolResults"/>), then what the SDK does before the transport writes a line (the result
/// to a JSON node, the JSON-RPC response to UTF-8).
/// </summary>
[BenchmarkCategory("serialization")]
public class ResultSerializationBenchmarks
{
    private QueryTasksResult _query = null!;
    private PlanTaskResult _plan = null!;
    private CallToolResult _queryToolResult = null!;

    [GlobalSetup]
    public void Setup()
    {
        var corpus = new TaskCorpus(7);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        var views = Enumerable.Range(0, 50).Select(i =>
        {
            var g = corpus.Next();
            var record = new TaskRecord
            {
                Id = $"task_06gzv1q07k6d{i:x4}",
                WorkspaceId = "ws_06gzv1q07k6dh47n",
                ParentId = "task_06gzv1q07k6dh000",
                Title = g.Title,
                Description = g.Description,
                Type = WireNames.Parse<TaskType>(g.TaskType, "task_type"),
                SpecialistType = "implementer",
                Priority = WireNames.Parse<TaskPriority>(g.Priority, "priority"),
                Complexity = WireNames.Parse<TaskComplexity>(g.Complexity, "complexity"),
                Version = 1,
                CreatedAt = at,
                UpdatedAt = at,
            };
            return ViewMapper.Task(record, []);
        }).ToArray();

        var filters = new FiltersApplied(["pending"], [], [], [], ["high"], null, null, "cache", null, null, false, false, "created_asc", 50, 0);
        _query = new QueryTasksResult(views, 1_512, true, true, 50, filters);
        _queryToolResult = ToolResults.Success(_query, "50 of 1512 matching tasks (from offset 0)");
        _plan = new PlanTaskResult(views[0].TaskId, 1, "pending", true, views[0], [], 1, [views[0].TaskId]);
    }

    [Benchmark(Description = "query result (50 tasks): ToolResults.Success")]
    public CallToolResult QueryToolResult() => ToolResults.Success(_query, "50 of 1512 matching tasks (from offset 0)");

    [Benchmark(Description = "query result (50 tasks): SDK node + JSON-RPC line")]
    public byte[] QueryWire() => Wire(_queryToolResult);

    [Benchmark(Description = "plan result (1 task): Render + FromRendered + wire")]
    public byte[] PlanEndToEnd()
    {
        RenderedResult rendered = ToolResults.Render(_plan, "Planned task.");
        return Wire(ToolResults.FromRendered(rendered, replayed: false));
    }

    private static byte[] Wire(CallToolResult result)
    {
        var node = JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions);
        JsonRpcMessage response = new JsonRpcResponse { Id = new RequestId(1), Result = node };
        return JsonSerializer.SerializeToUtf8Bytes(response, McpJsonUtilities.DefaultOptions);
    }
}
