using System.Buffers;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// Reads newline-delimited messages (the MCP stdio framing) from a stream, handing each line, without
/// its terminator, to a callback that is awaited before the next line is read, so order is kept.
/// The line is a view of the reader's buffer, valid only until the callback's task completes: a
/// caller that keeps it copies it. Most lines are forwarded and dropped, and a plan of a few hundred
/// tasks is a line of hundreds of KiB, so a copy of each would put it on the large-object heap for
/// nothing (measured: a few MiB of the supervisor's peak memory while a client seeds big plans).
/// </summary>
internal static class LineReader
{
    /// <summary>
    /// Reads on a thread of its own with blocking reads: a message is handed on by the thread that
    /// read it, and when the callback completes synchronously (a write to a pipe usually does), it is
    /// forwarded without any thread-pool hop. That hop is most of what a relay adds to a round trip.
    /// </summary>
    public static Task ReadAsync(Stream stream, Func<ReadOnlyMemory<byte>, ValueTask> onLine, CancellationToken cancellationToken) =>
        ReadAsync(stream, onLine, null, cancellationToken);

    /// <summary>
    /// As <see cref="ReadAsync(Stream, Func{ReadOnlyMemory{byte}, ValueTask}, CancellationToken)"/>, but a
    /// line that reaches <see cref="OverlongLines.MaxBytes"/> is not collected: its first bytes and its
    /// length go to <see cref="OverlongLines.OnLine"/>, the rest is skipped up to its newline.
    /// </summary>
    public static Task ReadAsync(Stream stream, Func<ReadOnlyMemory<byte>, ValueTask> onLine, OverlongLines? overlong, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => PumpAsync(stream, onLine, overlong, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private const int BufferBytes = 64 * 1024;

    // A buffer grown for lines up to this size is kept (big plans and their answers come again and
    // again); one grown past it, for a rare huge line, is dropped once the line is handed on.
    private const int KeptBufferBytes = 1024 * 1024;

    // What is kept of an overlong line: enough to read the id that JSON-RPC messages carry near their start.
    private const int KeptPrefixBytes = 4 * 1024;

    private static async Task PumpAsync(Stream stream, Func<ReadOnlyMemory<byte>, ValueTask> onLine, OverlongLines? overlong, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferBytes];
        int start = 0;
        int end = 0;
        byte[]? skippedPrefix = null; // set while the rest of an overlong line is skipped
        long skippedBytes = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            int read;
            try
            {
                read = stream.Read(buffer, end, buffer.Length - end);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                return; // the other end is gone: the same as end of stream
            }

            if (read == 0)
            {
                if (skippedPrefix is not null)
                {
                    await overlong!.OnLine(skippedPrefix, skippedBytes + end);
                    return;
                }

                // A last message without its newline is still a message.
                var last = Trim(buffer.AsMemory(start, end - start));
                if (!last.IsEmpty)
                {
                    await onLine(last);
                }

                return;
            }

            int scanFrom = end;
            end += read;
            if (skippedPrefix is not null)
            {
                int skippedTo = Array.IndexOf(buffer, (byte)'\n', scanFrom, end - scanFrom);
                if (skippedTo < 0)
                {
                    skippedBytes += end;
                    start = end = 0;
                    continue;
                }

                await overlong!.OnLine(skippedPrefix, skippedBytes + skippedTo);
                skippedPrefix = null;
                start = scanFrom = skippedTo + 1;
            }

            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', scanFrom, end - scanFrom)) >= 0)
            {
                var line = Trim(buffer.AsMemory(start, newline - start));
                start = newline + 1;
                scanFrom = start;
                if (!line.IsEmpty)
                {
                    await onLine(line);
                }
            }

            if (start == end)
            {
                start = end = 0;
                if (buffer.Length > KeptBufferBytes)
                {
                    buffer = new byte[BufferBytes]; // a very long line passed: do not keep its buffer
                }
            }
            else if (end == buffer.Length)
            {
                // A partial line fills the buffer's end: move it to the front, or grow for a long one.
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                else if (overlong is not null && buffer.Length >= overlong.MaxBytes)
                {
                    // The line already fills the most a line may hold: keep its start, skip the rest.
                    skippedPrefix = buffer.AsSpan(0, KeptPrefixBytes).ToArray();
                    skippedBytes = end;
                    start = end = 0;
                    buffer = new byte[BufferBytes];
                }
                else
                {
                    Array.Resize(ref buffer, overlong is null ? buffer.Length * 2 : Math.Min(buffer.Length * 2, overlong.MaxBytes));
                }
            }
        }
    }

    // Drops a trailing carriage return and trailing blanks; a blank line becomes empty.
    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        var length = span.Length;
        while (length > 0 && span[length - 1] is (byte)'\r' or (byte)' ' or (byte)'\t')
        {
            length--;
        }

        return line[..length];
    }
}

/// <summary>The longest line a <see cref="LineReader"/> collects, and what it does with a longer one.</summary>
/// <param name="MaxBytes">The longest line collected (at least 64 KiB).</param>
/// <param name="OnLine">Called with the first 4 KiB of a longer line and its length, once its newline (or the end of the stream) is reached.</param>
internal sealed record OverlongLines(int MaxBytes, Func<ReadOnlyMemory<byte>, long, ValueTask> OnLine);

/// <summary>Writes newline-delimited messages to a stream, one writer at a time, flushing each.</summary>
internal sealed class LineWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public LineWriter(Stream stream) => _stream = stream;

    /// <summary>Writes one message; false when the stream is closed.</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken = default)
    {
        // One write per message: each write to a pipe is a system call and may wake the reader.
        var framed = ArrayPool<byte>.Shared.Rent(line.Length + 1);
        line.Span.CopyTo(framed);
        framed[line.Length] = (byte)'\n';
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // A synchronous write: a pipe takes it at once unless the reader fell 64 KiB behind, and the
            // asynchronous path of console and process pipes would only run this same write on the
            // thread pool, one hop later.
            _stream.Write(framed, 0, line.Length + 1);
            _stream.Flush();
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _gate.Release();
            ArrayPool<byte>.Shared.Return(framed);
        }
    }

    public void Dispose() => _gate.Dispose();
}
