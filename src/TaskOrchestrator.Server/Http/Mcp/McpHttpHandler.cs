using System.Buffers;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Server.Http.Security;

namespace TaskOrchestrator.Server.Http.Mcp;

#pragma warning disable MCP9006 // The SDK marks its resumability API (EventStreamStore, ISseEventStreamReader) as legacy stateful HTTP; this server is stateful HTTP.

/// <summary>
/// The Streamable HTTP endpoint <c>/mcp</c>: POST carries one JSON-RPC message and answers with an
/// SSE stream (or plain JSON for a client that accepts only JSON), GET opens the session's server
/// stream, DELETE ends the session. Checks what the specification asks of a server: Accept, the
/// MCP-Protocol-Version header (400 for an unsupported one), Mcp-Session-Id (400 when missing on
/// anything but initialize, 404 for an unknown or expired session so that the client starts over).
/// </summary>
internal sealed class McpHttpHandler
{
    private const string SessionHeader = "Mcp-Session-Id";
    private const string VersionHeader = "MCP-Protocol-Version";
    private const string LastEventIdHeader = "Last-Event-ID";
    private const int SessionNotFoundCode = -32001;
    private static readonly JsonTypeInfo<JsonRpcMessage> MessageType = (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));
    private static readonly JsonTypeInfo<RequestId> IdType = (JsonTypeInfo<RequestId>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(RequestId));
    private readonly HttpSessionManager _sessions;
    private readonly IHostApplicationLifetime _lifetime;

    public McpHttpHandler(HttpSessionManager sessions, IHostApplicationLifetime lifetime)
    {
        _sessions = sessions;
        _lifetime = lifetime;
    }

    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = context.Request.Method;
        if (HttpMethods.IsPost(method))
        {
            return PostAsync(context);
        }

        if (HttpMethods.IsGet(method))
        {
            return GetAsync(context);
        }

        if (HttpMethods.IsDelete(method))
        {
            return DeleteAsync(context);
        }

        context.Response.Headers.Allow = "GET, POST, DELETE";
        return HttpErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "method_not_allowed", $"The MCP endpoint does not answer {method}.", "Use POST for messages, GET for the server stream and DELETE to end a session.");
    }

    private async Task PostAsync(HttpContext context)
    {
        var (json, sse) = Accepts(context.Request);
        if (!json && !sse)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status406NotAcceptable, "not_acceptable", "The Accept header must include application/json and text/event-stream.", "Send 'Accept: application/json, text/event-stream'.");
            return;
        }

        if (!context.Request.HasJsonContentType())
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", $"The Content-Type '{context.Request.ContentType}' is not accepted.", "Send one JSON-RPC message with 'Content-Type: application/json'.");
            return;
        }

        JsonRpcMessage? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync(context.Request.Body, MessageType, context.RequestAborted);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "parse_error", "The body is not one JSON-RPC message.", "Send a single JSON-RPC 2.0 request, notification or response object (batches are not part of MCP since 2025-06-18).", (int)McpErrorCode.ParseError);
            return;
        }

        if (!await CheckVersionAsync(context, message))
        {
            return;
        }

        var client = context.Items[RequestGuard.ClientItem] as string;
        var sessionId = context.Request.Headers[SessionHeader].ToString();
        HttpMcpSession? session;
        if (sessionId.Length == 0)
        {
            if (message is not JsonRpcRequest { Method: RequestMethods.Initialize })
            {
                await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "session_required", "The Mcp-Session-Id header is missing.", "Send the Mcp-Session-Id the initialize response returned, or send initialize to start a session.", (int)McpErrorCode.InvalidRequest, ErrorId(message));
                return;
            }

            session = _sessions.Create(client);
            if (session is null)
            {
                context.Response.Headers.RetryAfter = "60";
                await HttpErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "too_many_sessions", "The server has as many sessions open as Http:MaxSessions allows.", "End sessions you no longer use (DELETE /mcp), or retry once idle ones expired.", HttpErrors.ServerErrorCode, ErrorId(message));
                return;
            }
        }
        else if ((session = await FindAsync(context, sessionId, client, message)) is null)
        {
            return;
        }

        // The header names the revision the client speaks, which the specification asks to be the one
        // negotiated (a SHOULD). A different supported revision is served under the session's own, as the
        // TypeScript reference server does, instead of the SDK failing the request mid-session.
        if (context.Request.Headers[VersionHeader].ToString() is { Length: > 0 } version
            && (session.Record.ProtocolVersion is not { } negotiated || string.Equals(negotiated, version, StringComparison.Ordinal)))
        {
            message.Context ??= new JsonRpcMessageContext();
            message.Context.ProtocolVersion = version;
        }

        context.Response.Headers[SessionHeader] = session.Id;
        using var activity = session.Enter();
        if (sse)
        {
            StartEventStream(context);
            if (!await session.Transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted))
            {
                Accepted(context);
            }
            else
            {
                Delivered(context, session, message);
            }

            await _sessions.NoteBindingAsync(session, CancellationToken.None);
            return;
        }

        // JSON only: the transport writes SSE, so its events are collected and the response sent as one object.
        using var buffer = new MemoryStream();
        var wrote = await session.Transport.HandlePostRequestAsync(message, buffer, context.RequestAborted);
        await _sessions.NoteBindingAsync(session, CancellationToken.None);
        if (!wrote)
        {
            Accepted(context);
            return;
        }

        Delivered(context, session, message);

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(LastMessage(buffer.ToArray()) ?? "{}", context.RequestAborted);
    }

    private async Task GetAsync(HttpContext context)
    {
        var (_, sse) = Accepts(context.Request);
        if (!sse)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status406NotAcceptable, "not_acceptable", "The server stream is text/event-stream, which the Accept header does not include.", "Send 'Accept: text/event-stream'.");
            return;
        }

        if (!await CheckVersionAsync(context, null))
        {
            return;
        }

        var sessionId = context.Request.Headers[SessionHeader].ToString();
        if (sessionId.Length == 0)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "session_required", "The Mcp-Session-Id header is missing.", "Open the server stream of a session you initialized: send its Mcp-Session-Id.", (int)McpErrorCode.InvalidRequest);
            return;
        }

        if (await FindAsync(context, sessionId, context.Items[RequestGuard.ClientItem] as string, null) is not { } session)
        {
            return;
        }

        var lastEventId = context.Request.Headers[LastEventIdHeader].ToString();
        if (lastEventId.Length > 0)
        {
            await ResumeAsync(context, session, lastEventId);
            return;
        }

        if (!session.TryStartGet())
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status409Conflict, "stream_already_open", "This session's server stream was already opened; a session has one.", "Keep using the open stream, or initialize a new session for a new one.");
            return;
        }

        context.Response.Headers[SessionHeader] = session.Id;
        using var activity = session.Enter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _lifetime.ApplicationStopping, session.Closed);
        try
        {
            StartEventStream(context);
            await session.Transport.HandleGetRequestAsync(context.Response.Body, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client closed the stream, the session ended or the server stops: the normal ends of a stream.
        }
    }

    // "Resumability and Redelivery": the client lost a stream and asks for what followed the last event it
    // saw, on that stream only. The reply starts with a retry hint, since a polling stream ends before its
    // response and the client is to come back.
    private async Task ResumeAsync(HttpContext context, HttpMcpSession session, string lastEventId)
    {
        if (session.Events is null)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "resumption_unavailable", "This server keeps no events to resume a stream from (Http:ResumableEventsPerSession is 0).", "Open the server stream without Last-Event-ID, and send again the requests whose responses did not arrive.");
            return;
        }

        if (await session.Events.GetStreamReaderAsync(lastEventId, context.RequestAborted) is not { } reader)
        {
            var shown = lastEventId.Length <= 64 ? lastEventId : lastEventId[..64] + "…";
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "unknown_event_id", $"Last-Event-ID '{shown}' names no event this session still holds: the stream finished and was let go, its events were evicted (Http:ResumableEventsPerSession), or the id comes from before a server restart.", "Send again the requests whose responses did not arrive, or open the server stream without Last-Event-ID.");
            return;
        }

        context.Response.Headers[SessionHeader] = session.Id;
        using var activity = session.Enter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _lifetime.ApplicationStopping, session.Closed);
        try
        {
            StartEventStream(context);
            var retry = string.Create(CultureInfo.InvariantCulture, $"retry: {(long)session.Events.RetryInterval.TotalMilliseconds}\n\n");
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(retry), stop.Token);
            await SseFormatter.WriteAsync(reader.ReadEventsAsync(stop.Token), context.Response.Body, FormatEvent, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client closed the stream, the session ended or the server stops.
        }
    }

    private static void FormatEvent(SseItem<JsonRpcMessage?> item, IBufferWriter<byte> buffer)
    {
        if (item.Data is null)
        {
            return;
        }

        using var writer = new Utf8JsonWriter(buffer);
        JsonSerializer.Serialize(writer, item.Data, MessageType);
    }

    // The response reached the client over this POST (the request was not aborted): nobody will resume
    // its stream, so the session's event store lets it go. A stream the handler switched to polling stays.
    private static void Delivered(HttpContext context, HttpMcpSession session, JsonRpcMessage message)
    {
        if (session.Events is { } events && message is JsonRpcRequest request && !context.RequestAborted.IsCancellationRequested && request.Id.Id?.ToString() is { } streamId)
        {
            events.Delivered(streamId);
        }
    }

    private async Task DeleteAsync(HttpContext context)
    {
        if (!await CheckVersionAsync(context, null))
        {
            return;
        }

        var sessionId = context.Request.Headers[SessionHeader].ToString();
        if (sessionId.Length == 0)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "session_required", "The Mcp-Session-Id header is missing.", "Send the Mcp-Session-Id of the session to end.", (int)McpErrorCode.InvalidRequest);
            return;
        }

        if (await FindAsync(context, sessionId, context.Items[RequestGuard.ClientItem] as string, null) is null)
        {
            return;
        }

        await _sessions.EndAsync(sessionId, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task<HttpMcpSession?> FindAsync(HttpContext context, string sessionId, string? client, JsonRpcMessage? message)
    {
        var (session, otherClient) = await _sessions.FindAsync(sessionId, client, context.RequestAborted);
        if (otherClient)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "session_of_another_client", "This session was started with another token.", "Use the session your own token started, or initialize a new one.", HttpErrors.ServerErrorCode, ErrorId(message));
        }
        else if (session is null)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status404NotFound, "session_not_found", "Session not found: it ended, expired or never existed.", "Initialize a new session (send initialize without Mcp-Session-Id).", SessionNotFoundCode, ErrorId(message));
        }

        return session;
    }

    // The id an error answers, built only when there is an error to send.
    private static JsonNode? ErrorId(JsonRpcMessage? message) => message is JsonRpcRequest request ? JsonSerializer.SerializeToNode(request.Id, IdType) : null;

    private static async Task<bool> CheckVersionAsync(HttpContext context, JsonRpcMessage? message)
    {
        var version = context.Request.Headers[VersionHeader].ToString();
        if (version.Length == 0 || ProtocolVersions.IsSupported(version))
        {
            return true;
        }

        var data = new JsonObject { ["supported"] = new JsonArray([.. ProtocolVersions.Supported.Select(v => (JsonNode)v)]), ["requested"] = version };
        await HttpErrors.WriteJsonRpcAsync(context, StatusCodes.Status400BadRequest, (int)McpErrorCode.UnsupportedProtocolVersion, $"Bad Request: the MCP-Protocol-Version '{version}' is not supported; supported: {string.Join(", ", ProtocolVersions.Supported)}.", data, ErrorId(message));
        return false;
    }

    // Scans the Accept values in place: the typed-header parser builds a list of media-type objects on
    // every request, which is most of what this check would otherwise cost.
    private static (bool Json, bool Sse) Accepts(HttpRequest request)
    {
        bool json = false, sse = false;
        foreach (var value in request.Headers.Accept)
        {
            var rest = value.AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var item = comma < 0 ? rest : rest[..comma];
                rest = comma < 0 ? [] : rest[(comma + 1)..];
                var semicolon = item.IndexOf(';');
                var type = (semicolon < 0 ? item : item[..semicolon]).Trim();
                json |= type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Equals("application/*", StringComparison.OrdinalIgnoreCase) || type.SequenceEqual("*/*");
                sse |= type.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase) || type.Equals("text/*", StringComparison.OrdinalIgnoreCase) || type.SequenceEqual("*/*");
            }
        }

        return (json, sse);
    }

    private static void StartEventStream(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        context.Response.Headers.ContentEncoding = "identity";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
    }

    private static void Accepted(HttpContext context)
    {
        context.Response.Headers.ContentType = (string?)null;
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    // The response (or error) to the request is the last message of the stream; notifications before it
    // (progress, logs) have no place in a single JSON body.
    private static string? LastMessage(byte[] events)
    {
        string? last = null;
        foreach (var line in Encoding.UTF8.GetString(events).Split('\n'))
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var data = line[5..].Trim();
                if (data.Length > 0 && JsonSerializer.Deserialize(data, MessageType) is JsonRpcResponse or JsonRpcError)
                {
                    last = data;
                }
            }
        }

        return last;
    }
}
