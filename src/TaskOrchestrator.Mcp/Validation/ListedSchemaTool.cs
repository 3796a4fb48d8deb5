using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Mcp.Validation;

/// <summary>
/// A tool whose method returns a finished <see cref="CallToolResult"/>, structured content included,
/// listed with its output schema but invoked through a twin without one. The SDK, when a tool has an
/// output schema, serializes whatever the method returned to JSON to build structured content, and
/// drops that when the method returned a <see cref="CallToolResult"/>: a whole result serialized for
/// nothing on every call (about a tenth of the CPU of a query over HTTP). Without the schema on the
/// invoked twin that step is skipped; clients still see the schema in <c>tools/list</c>.
/// </summary>
public sealed class ListedSchemaTool : DelegatingMcpServerTool
{
    private readonly Tool _listed;

    private ListedSchemaTool(McpServerTool invoked, Tool listed)
        : base(invoked)
    {
        _listed = listed;
    }

    public override Tool ProtocolTool => _listed;

    /// <summary>
    /// Replaces every tool of <paramref name="tools"/> that has an output schema and returns
    /// <see cref="CallToolResult"/> (all of this server's do) by a <see cref="ListedSchemaTool"/>.
    /// </summary>
    public static void Apply(McpServerPrimitiveCollection<McpServerTool> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        foreach (var tool in tools.ToList())
        {
            if (tool is ListedSchemaTool || tool.ProtocolTool.OutputSchema is null || !ReturnsCallToolResult(tool))
            {
                continue;
            }

            var typeInfo = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Tool));
            var listed = (Tool)JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(tool.ProtocolTool, typeInfo), typeInfo)!;
            tool.ProtocolTool.OutputSchema = null;
            tools.Remove(tool);
            tools.Add(new ListedSchemaTool(tool, listed));
        }
    }

    // The SDK's reflection-built tools carry their method among their metadata; only a method whose
    // result is a CallToolResult makes the SDK's structured content redundant.
    private static bool ReturnsCallToolResult(McpServerTool tool) =>
        tool.Metadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault() is { } method
            ? method.ReturnType == typeof(CallToolResult) || method.ReturnType == typeof(Task<CallToolResult>) || method.ReturnType == typeof(ValueTask<CallToolResult>)
            : false;
}
