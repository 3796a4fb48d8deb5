using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;

namespace TaskOrchestrator.Mcp.Json;

/// <summary>
/// The serializer options of every tool: snake_case property names, enums by their wire names (from
/// each enum's <c>JsonStringEnumMemberName</c> attributes), and nulls written out, because each output
/// schema lists every property as present. Strings are escaped only where JSON requires it: the
/// default encoder also escapes HTML-sensitive characters (<c>'</c> as <c>\u0027</c>, <c>+</c>, <c>&lt;</c>,
/// non-ASCII), which lengthened every result and tripled the cost of writing the role prompts and
/// renderings a claim returns; no result is ever embedded in HTML.
/// </summary>
public static class McpJson
{
    /// <summary>The options tools are registered and results are serialized with.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions)
        {
            // Generated metadata for the tools' own types first; the SDK's resolver for the rest.
            TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
                OrchestratorJsonContext.Default,
                McpJsonUtilities.DefaultOptions.TypeInfoResolver),
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return options;
    }
}
