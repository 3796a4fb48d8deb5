using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TaskOrchestrator.Server.Http;

/// <summary>
/// Error responses of the HTTP host. On the MCP endpoint a JSON-RPC error (what MCP clients parse),
/// elsewhere the tools' envelope <c>{"error": {"code", "message", "hint"}}</c>. Bodies say what was
/// wrong and what to do; they never carry exception details, tokens or hashes.
/// </summary>
internal static class HttpErrors
{
    /// <summary>The JSON-RPC code for errors of the HTTP layer that have no code of their own.</summary>
    public const int ServerErrorCode = -32000;

    public static Task WriteAsync(HttpContext context, int status, string code, string message, string? hint = null, int jsonRpcCode = ServerErrorCode, JsonNode? id = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json; charset=utf-8";
        JsonObject body = IsMcp(context.Request)
            ? new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = id,
                ["error"] = new JsonObject
                {
                    ["code"] = jsonRpcCode,
                    ["message"] = hint is null ? message : $"{message} {hint}",
                    ["data"] = new JsonObject { ["code"] = code, ["http_status"] = status },
                },
            }
            : new JsonObject
            {
                ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["hint"] = hint },
            };
        return response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>A JSON-RPC error with structured data (such as the supported protocol versions).</summary>
    public static Task WriteJsonRpcAsync(HttpContext context, int status, int jsonRpcCode, string message, JsonNode? data, JsonNode? id)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["error"] = new JsonObject { ["code"] = jsonRpcCode, ["message"] = message, ["data"] = data },
        };
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static bool IsMcp(HttpRequest request) => request.Path.StartsWithSegments(McpPaths.Endpoint, StringComparison.OrdinalIgnoreCase);
}
