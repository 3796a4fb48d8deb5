using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary><c>GET /api/events</c> (server-sent events of the event log) and <c>GET /api/events/recent</c>.</summary>
internal static class EventEndpoints
{
    /// <summary>The header a reconnecting client sends with the id of the last event it received.</summary>
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>The most events one <c>/api/events/recent</c> call returns.</summary>
    public const int MaxRecent = 500;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/events", StreamAsync);
        api.MapGet("/events/recent", RecentAsync);
    }

    /// <summary>
    /// Checks the request and opens the workspace before anything is written, so that a bad parameter
    /// still gets a 400 with the error envelope; then hands over to the stream.
    /// </summary>
    private static async Task<IResult> StreamAsync(
        HttpRequest request,
        ApiWorkspaces workspaces,
        EventStreams streams,
        IOptions<WebApiOptions> options,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<EventStreamResult> logger,
        CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "since");
        long? after = query.Sequence("since");
        var header = request.Headers[LastEventIdHeader].ToString();
        if (header.Length > 0)
        {
            // A reconnecting client repeats the URL it first opened (with its since) and adds the header:
            // the header is the newer position.
            after = ApiQuery.Whole(LastEventIdHeader, header.Trim(), 0, long.MaxValue);
        }

        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);
        if (after is null)
        {
            // Without a position the stream starts at the end of the log: only what happens from now on.
            await using var read = await call.Workspace.Store.BeginReadAsync(cancellationToken);
            var newest = await read.Events.GetRecentAsync(null, 1, cancellationToken);
            after = newest.Count == 0 ? 0 : newest[0].Sequence;
        }

        return new EventStreamResult(call.Workspace, after.Value, options.Value, streams, time, logger, lifetime.ApplicationStopping, request.HttpContext.RequestServices.GetService<StoreChangeSignal>());
    }

    /// <summary>The newest events of the log, newest first, to show before the stream delivers new ones.</summary>
    private static async Task<IResult> RecentAsync(HttpRequest request, ApiWorkspaces workspaces, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "limit", "session_id");
        var limit = (int)ApiQuery.Whole("limit", query.Text("limit") ?? "50", 1, MaxRecent);
        var sessionId = TaskOrchestrator.Mcp.Validation.InputParsing.Identifier(query.Text("session_id"), "session_id");
        var call = await workspaces.ForRequestAsync(query.WorkspaceFolder, cancellationToken);
        IReadOnlyList<EventRecord> events;
        await using (var read = await call.Workspace.Store.BeginReadAsync(cancellationToken))
        {
            events = await read.Events.GetRecentAsync(sessionId, limit, cancellationToken);
        }

        return TypedResults.Json(new RecentEventsResult([.. events.Select(ViewMapper.Event)], SessionViews.Workspace(call)), ApiJson.Options);
    }
}

/// <summary><c>GET /api/events/recent</c>: the newest events, newest first.</summary>
internal sealed record RecentEventsResult(IReadOnlyList<EventView> Events, TaskOrchestrator.Mcp.Results.WorkspaceView Workspace);
