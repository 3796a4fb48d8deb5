using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// The server-sent events of a workspace's event log after a position: every event once, in sequence
/// order, each with <c>id:</c> its sequence so that a client reconnecting with <c>Last-Event-ID</c>
/// resumes without loss or repeat. The log is polled, because other processes write the same
/// workspace and only the log knows what they did; the store's change signal (this process's commits,
/// and with PostgreSQL other processes' commits through LISTEN/NOTIFY) wakes the poll early, so that an
/// event goes out when it commits rather than at the next tick. A comment line goes out when the stream has been
/// silent for the heartbeat interval. The stream ends when the client goes away or the server stops.
/// Reading "after the last sequence sent" loses nothing because write units of a workspace are
/// serialized (the store contract): an event with a lower sequence never becomes visible after one
/// with a higher sequence.
/// </summary>
internal sealed partial class EventStreamResult : IResult
{
    /// <summary>How long a client waits before reconnecting after the stream drops, in milliseconds.</summary>
    public const int RetryMilliseconds = 2_000;

    // Woken by every commit, a stream under a burst of writes would read the log once per commit; reads
    // at most this often gather a burst into one batch and bound what a stream costs the store.
    private static readonly TimeSpan MinReadGap = TimeSpan.FromMilliseconds(20);

    private readonly WorkspaceContext _workspace;
    private readonly WebApiOptions _options;
    private readonly EventStreams _streams;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;
    private readonly StoreChangeSignal? _changes;
    private long _after;

    public EventStreamResult(WorkspaceContext workspace, long after, WebApiOptions options, EventStreams streams, TimeProvider time, ILogger logger, CancellationToken stopping, StoreChangeSignal? changes = null)
    {
        _changes = changes;
        _workspace = workspace;
        _after = after;
        _options = options;
        _streams = streams;
        _time = time;
        _stopping = stopping;
        _logger = logger;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, _stopping);
        var cancellationToken = stop.Token;
        var response = httpContext.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var registration = _streams.Register();
        LogOpened(_logger, _workspace.Root, _after);
        try
        {
            var ready = JsonSerializer.Serialize(new StreamReadyView(_workspace.Root, _workspace.Store.Workspace.Id, _after), ApiJson.Options);
            await WriteAsync(response, Invariant($"retry: {RetryMilliseconds}\nevent: ready\ndata: {ready}\n\n"), cancellationToken);
            var lastWrite = _time.GetTimestamp();
            while (true)
            {
                // Taken before the read: a commit between the read and the wait below still wakes it.
                var changed = _changes?.Next(_workspace.Store.Workspace.Id);
                var readAt = _time.GetTimestamp();
                var (batch, failure) = await ReadAsync(cancellationToken);
                if (failure is not null)
                {
                    await WriteAsync(response, $"event: error\ndata: {ApiErrors.Json(failure)}\n\n", cancellationToken);
                    lastWrite = _time.GetTimestamp();
                }
                else if (batch.Count > 0)
                {
                    await WriteAsync(response, Frame(batch), cancellationToken);
                    _after = batch[^1].Sequence;
                    lastWrite = _time.GetTimestamp();
                    if (batch.Count == _options.EventBatchSize)
                    {
                        // A backlog: send the next batch at once rather than after an interval.
                        continue;
                    }
                }
                else if (_time.GetElapsedTime(lastWrite) >= _options.HeartbeatInterval)
                {
                    await WriteAsync(response, Invariant($": heartbeat {_time.GetUtcNow():O} after {_after}\n\n"), cancellationToken);
                    lastWrite = _time.GetTimestamp();
                }

                await WaitAsync(changed, readAt, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the server is stopping: the client resumes from its last id.
        }
        catch (IOException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
        }

        LogClosed(_logger, _workspace.Root, _after);
    }

    /// <summary>Until the store changes (no sooner than <see cref="MinReadGap"/> after the last read) or the poll interval passes.</summary>
    private async Task WaitAsync(Task? changed, long readAt, CancellationToken cancellationToken)
    {
        if (changed is null)
        {
            await Task.Delay(_options.EventPollInterval, _time, cancellationToken);
            return;
        }

        if (await StoreChangeSignal.WaitAsync(changed, _options.EventPollInterval, _time, cancellationToken)
            && MinReadGap - _time.GetElapsedTime(readAt) is { Ticks: > 0 } gap)
        {
            await Task.Delay(gap, _time, cancellationToken);
        }
    }

    private async Task<(IReadOnlyList<EventRecord> Batch, OrchestratorError? Failure)> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var read = await _workspace.Store.BeginReadAsync(cancellationToken);
            return (await read.Events.GetAfterAsync(_after, _options.EventBatchSize, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && HealthProbe.IsStoreFailure(ex))
        {
            // A busy or briefly unreadable store is told to the client and tried again on the next tick;
            // the position is kept, so nothing is skipped.
            LogReadFailed(_logger, _workspace.Root, HealthProbe.Describe(ex));
            var error = ex is OrchestratorException orchestrator
                ? orchestrator.Error
                : new OrchestratorError(ErrorCodes.WorkspaceUnavailable, $"The event log could not be read: {HealthProbe.Describe(ex)}", null, null, "The stream retries by itself; GET /api/health shows the store's checks.");
            return ([], error);
        }
    }

    private static string Frame(IReadOnlyList<EventRecord> batch)
    {
        var text = new StringBuilder();
        foreach (var record in batch)
        {
            // JSON text has no raw line breaks, so each event is one data line.
            text.Append(CultureInfo.InvariantCulture, $"id: {record.Sequence}\ndata: ")
                .Append(JsonSerializer.Serialize(ViewMapper.Event(record), ApiJson.Options))
                .Append("\n\n");
        }

        return text.ToString();
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event stream opened on {Workspace} after sequence {After}")]
    private static partial void LogOpened(ILogger logger, string workspace, long after);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event stream closed on {Workspace} at sequence {After}")]
    private static partial void LogClosed(ILogger logger, string workspace, long after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An event stream could not read the event log of {Workspace}: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string workspace, string reason);
}

/// <summary>The first message of an event stream: which workspace and the position it starts after.</summary>
internal sealed record StreamReadyView(string Workspace, string WorkspaceId, long AfterSequence);
