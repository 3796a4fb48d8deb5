using System.Buffers;
using System.IO.Pipelines;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// Reads newline-delimited messages (the MCP stdio framing) from a stream, handing each line, without
/// its terminator, to a callback that is awaited before the next line is read, so order is kept.
/// </summary>
internal static class LineReader
{
    public static async Task ReadAsync(Stream stream, Func<byte[], ValueTask> onLine, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(cancellationToken);
                }
                catch (IOException)
                {
                    return; // the other end is gone: the same as end of stream
                }

                var buffer = result.Buffer;
                while (TryTakeLine(ref buffer, out var line))
                {
                    if (line is not null)
                    {
                        await onLine(line);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    // A last message without its newline is still a message.
                    if (!buffer.IsEmpty && Trim(buffer.ToArray()) is { } last)
                    {
                        await onLine(last);
                    }

                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out byte[]? line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = null;
            return false;
        }

        line = Trim(buffer.Slice(0, newline.Value).ToArray());
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    // Drops a trailing carriage return and blank lines (null).
    private static byte[]? Trim(byte[] line)
    {
        var length = line.Length;
        while (length > 0 && line[length - 1] is (byte)'\r' or (byte)' ' or (byte)'\t')
        {
            length--;
        }

        return length == 0 ? null : length == line.Length ? line : line[..length];
    }
}

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
            await _stream.WriteAsync(framed.AsMemory(0, line.Length + 1), cancellationToken);
            await _stream.FlushAsync(cancellationToken);
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
