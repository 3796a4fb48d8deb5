using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace TaskOrchestrator.LoadHarness.Rpc;

/// <summary>
/// The server as a child process, spoken to with newline-delimited JSON-RPC over its stdin and
/// stdout, one request at a time, as an MCP client's stdio transport does. Stderr (the server's log)
/// is drained so that it never blocks the server; its last lines are kept for error reports.
/// </summary>
internal sealed class StdioServer : IToolCaller, IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly StreamReader _stdout;
    private readonly Queue<string> _stderrTail = new();
    private long _nextId;

    private StdioServer(Process process)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _stdout = process.StandardOutput;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stderrTail)
            {
                _stderrTail.Enqueue(e.Data);
                if (_stderrTail.Count > 40)
                {
                    _stderrTail.Dequeue();
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return string.Join('\n', _stderrTail);
            }
        }
    }

    /// <summary>Starts the process without waiting for anything.</summary>
    public static StdioServer Start(ServerLauncher launcher, string workspace) =>
        new(Process.Start(launcher.StartInfo(workspace)) ?? throw new InvalidOperationException($"Could not start {launcher.FileName}."));

    /// <summary>The MCP handshake: initialize, then the initialized notification.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await SendInitializeAsync(cancellationToken);
        await NotifyInitializedAsync(cancellationToken);
    }

    /// <summary>Sends initialize and returns its response line.</summary>
    public Task<string> SendInitializeAsync(CancellationToken cancellationToken) =>
        CallAsync("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"task-orchestrator-load-harness","version":"1.0"}}""", cancellationToken);

    public Task NotifyInitializedAsync(CancellationToken cancellationToken) =>
        WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);

    /// <summary>tools/call with pre-serialized arguments (a JSON object); returns the response line, failing on any error.</summary>
    public Task<string> CallToolAsync(string tool, string argumentsJson, CancellationToken cancellationToken) =>
        CallAsync("tools/call", $$"""{"name":"{{tool}}","arguments":{{argumentsJson}}}""", cancellationToken);

    /// <summary>Sends one request and reads lines until its response; other messages are skipped.</summary>
    public async Task<string> CallAsync(string method, string paramsJson, CancellationToken cancellationToken)
    {
        long id = ++_nextId;
        await WriteLineAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{paramsJson}}}""", cancellationToken);
        var marker = $"\"id\":{id}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        while (true)
        {
            string? line;
            try
            {
                line = await _stdout.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No answer to {method} within {CallTimeout.TotalSeconds} s. Server log:\n{StderrTail}");
            }

            if (line is null)
            {
                throw new EndOfStreamException($"The server closed stdout while {method} was pending. Server log:\n{StderrTail}");
            }

            // Responses carry their id last ("...,"id":7,"jsonrpc":"2.0"}"); a cheap test keeps parsing out of the timed path.
            if (!line.Contains(marker + ",", StringComparison.Ordinal) && !line.Contains(marker + "}", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("{\"error\"", StringComparison.Ordinal) || line.Contains("\"isError\":true", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{method} failed: {line[..Math.Min(line.Length, 800)]}");
            }

            return line;
        }
    }

    /// <summary>Sends a request without waiting for its answer; returns its id (read it with <see cref="ReadAnswersAsync"/>).</summary>
    public async Task<long> SendAsync(string method, string paramsJson, CancellationToken cancellationToken)
    {
        long id = ++_nextId;
        await WriteLineAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{paramsJson}}}""", cancellationToken);
        return id;
    }

    /// <summary>
    /// Reads lines until every one of <paramref name="ids"/> is answered; returns, per id, when its
    /// answer was read (Stopwatch timestamp) and the answer line. Other lines are skipped.
    /// </summary>
    public async Task<Dictionary<long, (long ReadAt, string Line)>> ReadAnswersAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var markers = ids.ToDictionary(id => id, id => $"\"id\":{id}");
        var answers = new Dictionary<long, (long, string)>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        while (answers.Count < ids.Count)
        {
            var line = await _stdout.ReadLineAsync(timeout.Token)
                ?? throw new EndOfStreamException($"The server closed stdout with {ids.Count - answers.Count} answers pending. Server log:\n{StderrTail}");
            long readAt = Stopwatch.GetTimestamp();
            foreach (var (id, marker) in markers)
            {
                if (!answers.ContainsKey(id) && (line.Contains(marker + ",", StringComparison.Ordinal) || line.Contains(marker + "}", StringComparison.Ordinal)))
                {
                    answers[id] = (readAt, line);
                    break;
                }
            }
        }

        return answers;
    }

    /// <summary>From now on, calls go through the returned multiplexer, many at a time.</summary>
    public ConcurrentCalls Concurrently() => new(_stdin, _stdout);

    /// <summary>Starts sampling the memory of the server's processes (the supervisor and its worker).</summary>
    public Measurement.MemorySampler SampleMemory() => new(_process.Id, TimeSpan.FromMilliseconds(250));

    /// <summary>Closes stdin (the client going away) and waits for a clean exit; kills after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _stdin.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private async Task WriteLineAsync(string json, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        await _stdin.WriteAsync(bytes, cancellationToken);
        await _stdin.FlushAsync(cancellationToken);
    }

    /// <summary>The structured content of a successful tools/call response line.</summary>
    public static JsonElement StructuredContent(string responseLine)
    {
        using var document = JsonDocument.Parse(responseLine);
        return document.RootElement.GetProperty("result").GetProperty("structuredContent").Clone();
    }
}
