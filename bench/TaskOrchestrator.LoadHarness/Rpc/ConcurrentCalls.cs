using System.Collections.Concurrent;
using System.Text;

namespace TaskOrchestrator.LoadHarness.Rpc;

/// <summary>
/// Many calls in flight at once on one server's stdio, as several agents behind one MCP client
/// would make them: writes are serialized, and one reader hands each answer to its caller by id.
/// Once started, the server must be spoken to only through this.
/// </summary>
internal sealed class ConcurrentCalls : IToolCaller, IAsyncDisposable
{
    private readonly Stream _stdin;
    private readonly StreamReader _stdout;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<string>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private long _nextId = 1_000_000;

    public ConcurrentCalls(Stream stdin, StreamReader stdout)
    {
        _stdin = stdin;
        _stdout = stdout;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>tools/call; returns the answer line (errors included: the caller decides).</summary>
    public async Task<string> CallToolAsync(string tool, string argumentsJson, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{argumentsJson}}}}}""" + "\n");
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _stdin.WriteAsync(bytes, cancellationToken);
            await _stdin.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }

        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
    }

    private async Task ReadAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await _stdout.ReadLineAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (line is null)
            {
                foreach (var pending in _pending.Values)
                {
                    pending.TrySetException(new EndOfStreamException("The server closed stdout."));
                }

                return;
            }

            if (IdOf(line) is { } id && _pending.TryRemove(id, out var caller))
            {
                caller.TrySetResult(line);
            }
        }
    }

    // The server writes a response's id last ("...,"id":7,"jsonrpc":"2.0"}"): found from the end, so
    // that the harness, sharing the machine's two cores with the server, does not parse each answer twice.
    private static long? IdOf(string line)
    {
        const string Marker = "\"id\":";
        var at = line.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + Marker.Length;
        var end = start;
        while (end < line.Length && char.IsAsciiDigit(line[end]))
        {
            end++;
        }

        return end > start && long.TryParse(line.AsSpan(start, end - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _writing.Dispose();
    }
}
