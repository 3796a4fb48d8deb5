namespace TaskOrchestrator.Server.Http.Mcp;

/// <summary>
/// The MCP revisions served over HTTP: those with the initialize handshake and sessions. The
/// 2026-07-28 revision has neither (every request stands alone); this server keeps per-session state
/// (the current task session, client roots), so a request declaring it is refused with the list
/// below and the client falls back to one of them.
/// </summary>
internal static class ProtocolVersions
{
    public static readonly IReadOnlyList<string> Supported = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    /// <summary>What the server assumes when a request carries no MCP-Protocol-Version header (the specification's rule).</summary>
    public const string Assumed = "2025-03-26";

    public static bool IsSupported(string version) => Supported.Contains(version, StringComparer.Ordinal);
}
