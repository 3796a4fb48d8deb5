using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Mcp.Validation;

/// <summary>
/// Simplifies the generated input schemas for clients: an optional parameter is one that is not
/// required, so its type is the plain type (<c>"string"</c>, not <c>["string","null"]</c>) and a
/// null default is dropped; an untyped JSON parameter (context) is declared an object. Clients such as
/// the MCP Inspector decide how to parse a value from the declared type. A null sent for an optional
/// parameter is still accepted and treated as absent.
/// </summary>
public static class InputSchemas
{
    /// <summary>Simplifies the input schema of every tool in <paramref name="tools"/>.</summary>
    public static void Simplify(IEnumerable<McpServerTool> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        foreach (var tool in tools)
        {
            var node = JsonNode.Parse(tool.ProtocolTool.InputSchema.GetRawText())!;
            SimplifyObject(node.AsObject());
            tool.ProtocolTool.InputSchema = JsonSerializer.SerializeToElement(node);
        }
    }

    private static void SimplifyObject(JsonObject schema)
    {
        if (schema["properties"] is not JsonObject properties)
        {
            return;
        }

        foreach (var (name, value) in properties)
        {
            if (value is JsonObject property)
            {
                SimplifyProperty(property);
                if (name == "context" && property["description"] is null)
                {
                    // The schema exporter drops the description of nested JsonElement properties.
                    property["description"] = "A JSON object of context (goal, constraints, decisions) handed to the specialist doing this task.";
                }
            }
        }
    }

    private static void SimplifyProperty(JsonObject property)
    {
        if (property["type"] is JsonArray types)
        {
            var named = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToArray();
            property["type"] = named.Length == 1 ? named[0] : new JsonArray([.. named.Select(n => (JsonNode)n)]);
        }
        else if (property["type"] is null && property["$ref"] is null && property["anyOf"] is null && property["enum"] is null)
        {
            property["type"] = "object";
        }

        if (property.TryGetPropertyValue("default", out var defaultValue) && defaultValue is null)
        {
            property.Remove("default");
        }

        if (property["items"] is JsonObject items)
        {
            if (items["type"] is JsonArray)
            {
                SimplifyProperty(items);
            }

            SimplifyObject(items);
        }

        SimplifyObject(property);
    }
}
