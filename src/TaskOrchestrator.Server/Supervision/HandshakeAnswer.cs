using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// The answer to a client's <c>initialize</c>, as the worker's SDK server (ModelContextProtocol 2.3.1)
/// gives it, so that the supervisor can answer the handshake itself while its first worker starts.
/// A test compares this answer with a worker's own for every protocol revision.
/// </summary>
internal static class HandshakeAnswer
{
    /// <summary>The protocol revisions the SDK accepts, oldest first; a client asking for another gets the latest.</summary>
    public static readonly IReadOnlyList<string> SupportedProtocolVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    /// <summary>
    /// The first protocol revision without the initialize handshake: the SDK refuses it, and every
    /// later one, in initialize (error -32022).
    /// </summary>
    public const string FirstHandshakeFreeVersion = "2026-07-28";

    /// <summary>
    /// The initialize result for <paramref name="parameters"/>, or null when the SDK would refuse them
    /// (no protocolVersion, clientInfo or capabilities, or a handshake-free revision): those go to a
    /// worker, whose SDK answers with its own error.
    /// </summary>
    public static JsonObject? For(JsonNode? parameters)
    {
        if (parameters is not JsonObject given
            || given["protocolVersion"] is not JsonValue requested || !requested.TryGetValue<string>(out var version)
            || given["clientInfo"] is not JsonObject client || client["name"] is not JsonValue name || !name.TryGetValue<string>(out _)
            || given["capabilities"] is not JsonObject
            || string.CompareOrdinal(version, FirstHandshakeFreeVersion) >= 0)
        {
            return null;
        }

        var identity = ServerIdentity.Implementation;
        return new JsonObject
        {
            ["protocolVersion"] = SupportedProtocolVersions.Contains(version) ? version : SupportedProtocolVersions[^1],

            // What the worker's SDK advertises for what it registers: tools (whose list can change) and logging.
            ["capabilities"] = new JsonObject
            {
                ["logging"] = new JsonObject(),
                ["tools"] = new JsonObject { ["listChanged"] = true },
            },
            ["serverInfo"] = new JsonObject { ["name"] = identity.Name, ["title"] = identity.Title, ["version"] = identity.Version },
            ["instructions"] = ServerIdentity.Instructions,
        };
    }
}
