using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Mcp.Results;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>The client's side of the supervisor: its stdout, and the answers the supervisor writes itself.</summary>
internal sealed class ClientConnection : IDisposable
{
    private readonly LineWriter _output;

    public ClientConnection(Stream output) => _output = new LineWriter(output);

    /// <summary>Forwards a message as it is.</summary>
    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> line) => _output.WriteAsync(line);

    /// <summary>Answers request <paramref name="id"/> (raw JSON) with a result.</summary>
    public ValueTask<bool> AnswerAsync(string id, JsonNode result) =>
        SendAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"result":{{result.ToJsonString()}}}"""));

    /// <summary>Answers a tools/call with a tool result.</summary>
    public ValueTask<bool> AnswerToolAsync(string id, CallToolResult result) =>
        AnswerAsync(id, JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions)!);

    /// <summary>Answers a tools/call with a structured tool error, the shape every tool error has.</summary>
    public ValueTask<bool> AnswerToolErrorAsync(string id, OrchestratorError error) => AnswerToolAsync(id, ToolResults.Error(error));

    /// <summary>Answers a request that is not a tool call with a JSON-RPC error.</summary>
    public ValueTask<bool> AnswerErrorAsync(string id, int code, OrchestratorError error)
    {
        var data = new JsonObject { ["code"] = error.Code, ["hint"] = error.Hint };
        var message = error.Hint is null ? error.Message : error.Message + " " + error.Hint;
        var body = new JsonObject { ["code"] = code, ["message"] = message, ["data"] = data };
        return SendAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"error":{{body.ToJsonString()}}}"""));
    }

    /// <summary>Answers <paramref name="request"/> with <paramref name="error"/> in the form its method expects.</summary>
    public ValueTask<bool> RejectAsync(JsonRpcMessage request, OrchestratorError error) =>
        request.IsToolCall
            ? AnswerToolErrorAsync(request.Id!, error)
            : AnswerErrorAsync(request.Id!, McpErrorCodes.InternalError, error);

    /// <summary>Sends a notification.</summary>
    public ValueTask<bool> NotifyAsync(string method, JsonNode? parameters = null)
    {
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method };
        if (parameters is not null)
        {
            message["params"] = parameters;
        }

        return SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()));
    }

    public void Dispose() => _output.Dispose();
}

/// <summary>JSON-RPC error codes the supervisor answers with.</summary>
internal static class McpErrorCodes
{
    /// <summary>The server could not carry out the request (JSON-RPC internal error).</summary>
    public const int InternalError = -32603;

    /// <summary>The request cannot be taken as it is (JSON-RPC invalid request).</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The line is not a JSON-RPC message (JSON-RPC parse error).</summary>
    public const int ParseError = -32700;
}
