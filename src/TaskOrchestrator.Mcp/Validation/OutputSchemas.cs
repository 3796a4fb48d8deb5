using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Mcp.Validation;

/// <summary>
/// Extends each tool's output schema so that a tool error's structured content (<c>{"error": {...}}</c>)
/// also conforms: clients validate structured content against the output schema even on errors.
/// The result's required properties are kept, as one branch of an <c>anyOf</c>.
/// </summary>
public static class OutputSchemas
{
    private static readonly JsonNode ErrorSchema = JsonNode.Parse("""
        {
          "type": "object",
          "description": "Present only when the call failed. Nothing was changed, except with code interrupted: the call was in flight when its worker ended and may or may not have been applied (retry it with its idempotency_key).",
          "properties": {
            "code": { "type": "string", "description": "Stable machine-readable code." },
            "message": { "type": "string", "description": "What was wrong, naming the offending value." },
            "field": { "type": ["string", "null"], "description": "The argument concerned." },
            "allowed": { "type": ["array", "null"], "items": { "type": "string" }, "description": "What would have been accepted." },
            "hint": { "type": ["string", "null"], "description": "What to do next." },
            "details": { "type": ["object", "null"], "description": "Machine-readable facts such as current_version." }
          },
          "required": ["code", "message"]
        }
        """)!;

    /// <summary>Adds the error branch to the output schema of every tool in <paramref name="tools"/>.</summary>
    public static void AddErrorBranch(IEnumerable<McpServerTool> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        foreach (var tool in tools)
        {
            if (tool.ProtocolTool.OutputSchema is { } schema)
            {
                tool.ProtocolTool.OutputSchema = WithErrorBranch(schema);
            }
        }
    }

    /// <summary>The schema with an <c>error</c> property and <c>anyOf</c> [result required, error required].</summary>
    public static JsonElement WithErrorBranch(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText())!.AsObject();
        if (node.ContainsKey("anyOf"))
        {
            return schema;
        }

        var properties = node["properties"] as JsonObject ?? [];
        properties["error"] = ErrorSchema.DeepClone();
        node["properties"] = properties;
        var required = node["required"]?.DeepClone() ?? new JsonArray();
        node.Remove("required");
        node["anyOf"] = new JsonArray(
            new JsonObject { ["required"] = required },
            new JsonObject { ["required"] = new JsonArray("error") });
        return JsonSerializer.SerializeToElement(node);
    }
}
