using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Mcp.Operations;

/// <summary>Reads the <see cref="SupervisorFacts"/> a supervisor adds to the calls it forwards.</summary>
public static class SupervisorFactsReader
{
    /// <summary>
    /// The facts in the call's <c>_meta</c> under <see cref="SupervisorProtocol.FactsMetaKey"/>, or null
    /// when there are none (no supervisor) or they cannot be read.
    /// </summary>
    public static SupervisorFacts? From(RequestContext<CallToolRequestParams>? context)
    {
        if (context?.Params?.Meta is not { } meta || !meta.TryGetPropertyValue(SupervisorProtocol.FactsMetaKey, out var node) || node is null)
        {
            return null;
        }

        try
        {
            return node.Deserialize(SupervisorJson.Default.SupervisorFacts);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
