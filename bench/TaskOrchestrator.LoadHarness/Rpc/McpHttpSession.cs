using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TaskOrchestrator.LoadHarness.Rpc;

/// <summary>
/// One MCP session over Streamable HTTP, written with plain HttpClient so that the figures are the
/// transport's and not a client SDK's: JSON-RPC in a POST to /mcp on a kept-alive connection, accepting
/// JSON or an event stream as a conforming client does, and reading whichever the response's
/// Content-Type says. One request at a time per session.
/// </summary>
internal sealed class McpHttpSession
{
    private const string ProtocolVersion = "2025-06-18";
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");
    private readonly HttpServer _server;
    private readonly string _sessionId;
    private long _nextId = 1;

    private McpHttpSession(HttpServer server, string sessionId)
    {
        _server = server;
        _sessionId = sessionId;
    }

    /// <summary>initialize, then the initialized notification: a new session.</summary>
    public static async Task<McpHttpSession> OpenAsync(HttpServer server, string clientName, CancellationToken cancellationToken)
    {
        using var request = Post(server, null, $$$$"""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"{{{{ProtocolVersion}}}}","capabilities":{},"clientInfo":{"name":"{{{{clientName}}}}","version":"1.0"}}}""");
        using var response = await server.Client.SendAsync(request, cancellationToken);
        var body = await ReadMessageAsync(response, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || !response.Headers.TryGetValues("Mcp-Session-Id", out var ids))
        {
            throw new InvalidOperationException($"initialize answered {(int)response.StatusCode}: {body}");
        }

        var session = new McpHttpSession(server, ids.Single());
        using var initialized = Post(server, session._sessionId, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        using var accepted = await server.Client.SendAsync(initialized, cancellationToken);
        if (accepted.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"notifications/initialized answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return session;
    }

    /// <summary>tools/call with pre-serialized arguments; returns the JSON-RPC response, failing on any error.</summary>
    public async Task<string> CallToolAsync(string tool, string argumentsJson, CancellationToken cancellationToken)
    {
        long id = Interlocked.Increment(ref _nextId);
        using var request = Post(_server, _sessionId, $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{argumentsJson}}}}}""");
        using var response = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var message = await ReadMessageAsync(response, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || message.StartsWith("{\"error\"", StringComparison.Ordinal) || message.Contains("\"isError\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{tool} over HTTP failed ({(int)response.StatusCode}): {message[..Math.Min(message.Length, 800)]}\nServer log:\n{_server.StderrTail}");
        }

        return message;
    }

    /// <summary>The structured content of a successful tools/call response.</summary>
    public static JsonElement StructuredContent(string message) => StdioServer.StructuredContent(message);

    private static HttpRequestMessage Post(HttpServer server, string? sessionId, string body)
    {
        var request = server.Request(HttpMethod.Post, "mcp");
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Accept.Add(Json);
        request.Headers.Accept.Add(EventStream);
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
            request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
        }

        return request;
    }

    /// <summary>The one JSON-RPC message of a response: the body of a JSON response, the last data event of an SSE one.</summary>
    private static async Task<string> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return body;
        }

        string? message = null;
        foreach (var line in body.Split('\n'))
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Length > 5)
            {
                message = line[5..].Trim();
            }
        }

        return message ?? throw new InvalidOperationException($"An event-stream response carried no data: {body}");
    }
}
