using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Mcp.Json;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>
/// MCP over newline-delimited JSON-RPC on a pair of streams (the worker's stdin and stdout), read and
/// written as UTF-8 bytes in reused buffers. The SDK's stream transport reads each line into a UTF-16
/// string and writes each message as a new array; a 500-task plan is a ~150 KB line and its answer
/// ~130 KB, so every such call put both through the large-object heap, and the worker's peak memory
/// rose with them (docs/PERFORMANCE.md). Framing is the SDK's: a line ends at <c>\n</c> (a <c>\r</c>
/// before it is dropped), blank lines are skipped, a last line without a newline still counts, and a
/// line that is not a JSON-RPC message is answered with a parse error when its id can be read.
/// </summary>
internal sealed partial class Utf8LineTransport : TransportBase
{
    private const int ReadChunkBytes = 16 * 1024;

    /// <summary>The longest line read, 64 MiB: a 500-task plan is ~150 KB. A longer one is skipped and, when its id can be read, answered with an error.</summary>
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    // What is kept of an overlong line: enough to read the id that JSON-RPC messages carry near their start.
    private const int KeptPrefixBytes = 4 * 1024;

    // A send buffer that grew past this for one big message is dropped after it, not kept for the
    // rest of the process.
    private const int KeptSendBufferBytes = 1024 * 1024;

    private static readonly JsonTypeInfo MessageType = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));
    // Escaping as the tools' results are (McpJson): only what JSON requires.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = McpJson.Options.Encoder,
        MaxDepth = McpJsonUtilities.DefaultOptions.MaxDepth,
    };

    private readonly Stream _input;
    private readonly Stream _output;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _reading;
    private readonly int _maxLineBytes;
    private ArrayBufferWriter<byte> _sendBuffer = new(ReadChunkBytes);
    private Utf8JsonWriter? _sendWriter;
    private int _disposed;
    private bool _firstLineSeen;

    public Utf8LineTransport(Stream input, Stream output, ILoggerFactory? loggerFactory = null, int maxLineBytes = DefaultMaxLineBytes)
        : base("Server (utf-8 lines)", loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, KeptPrefixBytes);
        _maxLineBytes = maxLineBytes;
        _input = input;
        _output = output;
        _logger = loggerFactory?.CreateLogger<Utf8LineTransport>() ?? NullLogger<Utf8LineTransport>.Instance;
        SetConnected();
        _reading = Task.Run(ReadLinesAsync);
    }

    /// <inheritdoc/>
    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsConnected)
        {
            return;
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var buffer = _sendBuffer;
            buffer.ResetWrittenCount();
            var writer = _sendWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, message, MessageType);
            writer.Flush();
            buffer.Write("\n"u8);
            await _output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (buffer.Capacity > KeptSendBufferBytes)
            {
                _sendBuffer = new ArrayBufferWriter<byte>(ReadChunkBytes); // the writer is pointed at it by the next Reset
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSendFailed(_logger, Describe(message), ex);
            throw new IOException("Failed to send a message to the client.", ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReadLinesAsync()
    {
        var token = _shutdown.Token;

        // Not pooled: a read abandoned at shutdown may still write into it.
        var chunk = new byte[ReadChunkBytes];
        var pending = new PendingLine(_maxLineBytes);
        Exception? error = null;
        try
        {
            while (true)
            {
                // Console streams ignore cancellation; WaitAsync lets a shutdown leave a read that
                // would otherwise block until the client writes again.
                int read = await _input.ReadAsync(chunk.AsMemory(), token).AsTask().WaitAsync(token).ConfigureAwait(false);
                if (read == 0)
                {
                    if (pending.Length > 0)
                    {
                        await DispatchAsync(pending, token).ConfigureAwait(false);
                    }

                    LogEndOfInput(_logger);
                    break;
                }

                ReadOnlyMemory<byte> data = chunk.AsMemory(0, read);
                while (data.Span.IndexOf((byte)'\n') is var newline and >= 0)
                {
                    if (pending.Length == 0)
                    {
                        await DispatchAsync(data[..newline], token).ConfigureAwait(false);
                    }
                    else
                    {
                        pending.Append(data.Span[..newline]);
                        await DispatchAsync(pending, token).ConfigureAwait(false);
                        pending.Clear();
                    }

                    data = data[(newline + 1)..];
                }

                pending.Append(data.Span);
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // Disposal: the read was cancelled, or the input closed under it; neither is a failure.
        }
        catch (Exception ex)
        {
            LogReadFailed(_logger, ex);
            error = ex;
        }
        finally
        {
            pending.Dispose();
            SetDisconnected(error);
        }
    }

    private ValueTask DispatchAsync(PendingLine line, CancellationToken token) =>
        line.Overlong ? AnswerOverlongAsync(line.Bytes, line.TotalBytes, token) : DispatchAsync(line.Bytes, token);

    private async ValueTask AnswerOverlongAsync(ReadOnlyMemory<byte> prefix, long totalBytes, CancellationToken token)
    {
        LogOverlongLine(_logger, totalBytes, _maxLineBytes);
        if (!RequestIdReader.TryRead(prefix.Span, out var id))
        {
            return;
        }

        await AnswerErrorAsync(
            id,
            McpErrorCode.InvalidRequest,
            $"The request is a line of {totalBytes} bytes; a line may hold at most {_maxLineBytes} bytes, so it was not read. Send less per call (for a plan, several smaller plans under one parent_task_id).",
            token).ConfigureAwait(false);
    }

    private async ValueTask DispatchAsync(ReadOnlyMemory<byte> line, CancellationToken token)
    {
        var trimmed = line.Span.Trim(" \t\r"u8);
        if (!_firstLineSeen)
        {
            // A UTF-8 byte order mark may precede the first line, as StreamReader allowed.
            trimmed = trimmed.StartsWith("\uFEFF"u8) ? trimmed[3..].TrimStart(" \t\r"u8) : trimmed;
            _firstLineSeen = true;
        }

        if (trimmed.IsEmpty)
        {
            return;
        }

        JsonRpcMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(trimmed, MessageType) as JsonRpcMessage;
        }
        catch (JsonException ex)
        {
            LogUnreadableLine(_logger, ex.Message);
            if (RequestIdReader.TryRead(trimmed, out var id))
            {
                await AnswerErrorAsync(id, McpErrorCode.ParseError, $"The request is not a valid JSON-RPC message: {ex.Message}", token).ConfigureAwait(false);
            }

            return;
        }

        if (message is null)
        {
            LogUnreadableLine(_logger, "the line is JSON null");
            return;
        }

        await WriteMessageAsync(message, token).ConfigureAwait(false);
    }

    // Answers a request the transport could not hand on; a failed answer must not end the read loop.
    private async Task AnswerErrorAsync(RequestId id, McpErrorCode code, string message, CancellationToken token)
    {
        try
        {
            await SendMessageAsync(new JsonRpcError { Id = id, Error = new JsonRpcErrorDetail { Code = (int)code, Message = message } }, token).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Already logged by SendMessageAsync.
        }
    }

    private static string Describe(JsonRpcMessage message) => message switch
    {
        JsonRpcMessageWithId withId => $"message {withId.Id}",
        JsonRpcNotification notification => $"notification {notification.Method}",
        _ => "a message",
    };

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _input.DisposeAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false); // the loop catches and records its own errors

        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _output.DisposeAsync().ConfigureAwait(false);
            _sendWriter?.Dispose();
        }
        finally
        {
            _sendLock.Release();
        }

        _shutdown.Dispose();
        SetDisconnected();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Message} to the client failed")]
    private static partial void LogSendFailed(ILogger logger, string message, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The client closed its end of the stream")]
    private static partial void LogEndOfInput(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading from the client failed")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A line of {Bytes} bytes from the client is longer than the {MaxBytes} bytes a line may hold; skipped")]
    private static partial void LogOverlongLine(ILogger logger, long bytes, int maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A line from the client is not a JSON-RPC message: {Reason}")]
    private static partial void LogUnreadableLine(ILogger logger, string reason);

    /// <summary>
    /// The bytes of a line that spans reads, in a pooled array that grows as needed up to the longest
    /// line allowed; of a longer line only its start is kept, and its length counted.
    /// </summary>
    private struct PendingLine(int maxBytes) : IDisposable
    {
        private byte[]? _array;

        public int Length { get; private set; }

        /// <summary>Every byte of the line so far, kept or not.</summary>
        public long TotalBytes { get; private set; }

        public readonly bool Overlong => TotalBytes > maxBytes;

        public readonly ReadOnlyMemory<byte> Bytes => _array.AsMemory(0, Length);

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                return;
            }

            TotalBytes += bytes.Length;
            if (!Overlong)
            {
                Store(bytes);
                return;
            }

            KeepPrefixOnly();
            if (Length < KeptPrefixBytes)
            {
                Store(bytes[..Math.Min(bytes.Length, KeptPrefixBytes - Length)]);
            }
        }

        private void Store(ReadOnlySpan<byte> bytes)
        {
            if (_array is null || _array.Length - Length < bytes.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(ReadChunkBytes, checked((Length + bytes.Length) * 2)));
                _array?.AsSpan(0, Length).CopyTo(larger);
                ReturnArray();
                _array = larger;
            }

            bytes.CopyTo(_array.AsSpan(Length));
            Length += bytes.Length;
        }

        /// <summary>Empties the line; an array grown past one read chunk goes back to the pool.</summary>
        public void Clear()
        {
            Length = 0;
            TotalBytes = 0;
            if (_array is { Length: > ReadChunkBytes * 2 })
            {
                ReturnArray();
            }
        }

        public void Dispose() => ReturnArray();

        // The first bytes stay, in an array of their own; the large one goes back to the pool.
        private void KeepPrefixOnly()
        {
            if (_array is null || _array.Length <= KeptPrefixBytes * 2)
            {
                Length = Math.Min(Length, KeptPrefixBytes);
                return;
            }

            var prefix = ArrayPool<byte>.Shared.Rent(KeptPrefixBytes);
            Length = Math.Min(Length, KeptPrefixBytes);
            _array.AsSpan(0, Length).CopyTo(prefix);
            ReturnArray();
            _array = prefix;
        }

        private void ReturnArray()
        {
            if (_array is not null)
            {
                ArrayPool<byte>.Shared.Return(_array);
                _array = null;
            }
        }
    }
}
