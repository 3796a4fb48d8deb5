using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace TaskOrchestrator.Benchmarks.Pipeline;

/// <summary>
/// A minimal newline-delimited JSON-RPC client over in-memory pipes: writes a request line and reads
/// lines until the response with its id arrives. One call at a time.
/// </summary>
internal sealed class PipeRpcClient
{
    private readonly PipeWriter _output;
    private readonly PipeReader _input;
    private long _nextId;

    public PipeRpcClient(PipeWriter output, PipeReader input)
    {
        _output = output;
        _input = input;
    }

    /// <summary>Sends a request whose params are the JSON text <paramref name="paramsJson"/> and returns the response line.</summary>
    public async Task<string> CallAsync(string method, string paramsJson, CancellationToken cancellationToken)
    {
        long id = ++_nextId;
        await WriteLineAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{paramsJson}}}", cancellationToken);
        var idMarker = $"\"id\":{id}";
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Contains(idMarker, StringComparison.Ordinal))
            {
                if (line.Contains("\"error\":{", StringComparison.Ordinal) || line.Contains("\"isError\":true", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The call failed: {line[..Math.Min(line.Length, 500)]}");
                }

                return line;
            }
        }
    }

    public Task NotifyAsync(string method, CancellationToken cancellationToken) =>
        WriteLineAsync($"{{\"jsonrpc\":\"2.0\",\"method\":\"{method}\"}}", cancellationToken);

    /// <summary>Initializes the session, as a client does first.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await CallAsync("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"benchmarks","version":"1.0"}}""", cancellationToken);
        await NotifyAsync("notifications/initialized", cancellationToken);
    }

    private async Task WriteLineAsync(string json, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        await _output.WriteAsync(bytes, cancellationToken);
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await _input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var line = Encoding.UTF8.GetString(buffer.Slice(0, end));
                _input.AdvanceTo(buffer.GetPosition(1, end));
                return line;
            }

            if (read.IsCompleted)
            {
                throw new EndOfStreamException("The server closed its output.");
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>JSON text of a tools/call params object.</summary>
    public static string ToolCall(string tool, object arguments) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = tool, ["arguments"] = arguments });
}
