using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TaskOrchestrator.LoadHarness.Rpc;

/// <summary>
/// <c>GET /api/events</c> held open as the dashboard holds it: each event is timestamped as its frame is
/// read, and a caller can wait for the next event of a task.
/// </summary>
internal sealed class EventStreamWatcher : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiting = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;

    private EventStreamWatcher(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Opens the stream (from the end of the log) and returns once its ready event arrived.</summary>
    public static async Task<EventStreamWatcher> OpenAsync(HttpServer server, CancellationToken cancellationToken)
    {
        using var request = server.Request(HttpMethod.Get, "api/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new InvalidOperationException($"GET /api/events answered {(int)response.StatusCode}: {body}");
        }

        var watcher = new EventStreamWatcher(response);
        await watcher._ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return watcher;
    }

    /// <summary>Registers interest in the next event of <paramref name="taskId"/>; the task completes with the Stopwatch timestamp it was read at.</summary>
    public Task<long> NextEventOf(string taskId)
    {
        var arrival = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[taskId] = arrival;
        return arrival.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
        {
            // The stream was closed under the reader: that is how it ends.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        await using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
        using var reader = new StreamReader(stream);
        string? eventName = null;
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventName = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                long readAt = Stopwatch.GetTimestamp();
                if (eventName == "ready")
                {
                    _ready.TrySetResult();
                }
                else if (eventName is null)
                {
                    using var document = JsonDocument.Parse(line[5..]);
                    if (document.RootElement.TryGetProperty("task_id", out var task) && task.GetString() is { } taskId && _waiting.TryRemove(taskId, out var arrival))
                    {
                        arrival.TrySetResult(readAt);
                    }
                }
            }
            else if (line.Length == 0)
            {
                eventName = null;
            }
        }

        _ready.TrySetException(new EndOfStreamException("The event stream ended."));
    }
}
