namespace TaskOrchestrator.Server.Http;

/// <summary>The paths the HTTP host maps itself.</summary>
internal static class McpPaths
{
    public const string Endpoint = "/mcp";
    public const string Health = "/health";
    public const string Ready = "/ready";
}
