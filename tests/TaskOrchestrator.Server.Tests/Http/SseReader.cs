using System.Text;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>One server-sent event as received.</summary>
internal sealed record SseMessage(string? Id, string Event, string Data);

/// <summary>Reads server-sent events off an open response, as a browser does, keeping the comments it skips.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    /// <summary>Comment lines received so far (heartbeats).</summary>
    public List<string> Comments { get; } = [];

    /// <summary>Opens <paramref name="path"/> and returns a reader once the response headers arrived.</summary>
    public static async Task<SseReader> OpenAsync(HttpClient client, string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return new SseReader(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>The response, for its status and headers.</summary>
    public HttpResponseMessage Response => _response;

    /// <summary>The next event; null when the server ended the stream.</summary>
    public async Task<SseMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        string? id = null;
        string type = "message";
        var data = new List<string>();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return new SseMessage(id, type, string.Join('\n', data));
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                Comments.Add(line);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
