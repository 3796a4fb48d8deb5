using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TaskOrchestrator.Mcp.Json;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// The REST API's serializer options: the tools' own (snake_case, enums by wire name, nulls written),
/// so that a task read over HTTP has exactly the shape orchestrator_query_tasks gives it; the API's few
/// own records fall back to reflection metadata.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(McpJson.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(McpJson.Options.TypeInfoResolver, new DefaultJsonTypeInfoResolver()),
        };
        options.MakeReadOnly();
        return options;
    }
}
