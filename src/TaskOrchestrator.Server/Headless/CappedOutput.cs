using System.Globalization;
using System.Text;

namespace TaskOrchestrator.Server.Headless;

/// <summary>
/// One output stream of a command, kept within a size limit: the beginning (what a result usually
/// starts with) and the end (where a failure usually says why), with a note of how much was cut
/// between them. A command that prints gigabytes costs a bounded amount of memory. Thread-safe: a
/// stream may still be read while the result is taken (a background process holding the pipe open).
/// </summary>
internal sealed class CappedOutput
{
    private readonly int _headLimit;
    private readonly int _tailLimit;
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private readonly Lock _gate = new();
    private long _total;

    public CappedOutput(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        _headLimit = limit / 2;
        _tailLimit = limit - _headLimit;
    }

    /// <summary>Every character the stream produced, kept or not.</summary>
    public long TotalLength
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>How many characters were cut out of the middle.</summary>
    public long CutLength
    {
        get
        {
            lock (_gate)
            {
                return Cut;
            }
        }
    }

    private long Cut => _total - _head.Length - Math.Min(_tail.Length, _tailLimit);

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            AppendLocked(chunk);
        }
    }

    private void AppendLocked(ReadOnlySpan<char> chunk)
    {
        _total += chunk.Length;
        if (_head.Length < _headLimit)
        {
            var take = Math.Min(chunk.Length, _headLimit - _head.Length);
            _head.Append(chunk[..take]);
            chunk = chunk[take..];
        }

        if (chunk.IsEmpty)
        {
            return;
        }

        _tail.Append(chunk);

        // Trimmed in batches, not on every chunk, so that keeping the tail stays linear.
        if (_tail.Length > 2 * _tailLimit)
        {
            _tail.Remove(0, _tail.Length - _tailLimit);
        }
    }

    /// <summary>What was kept, with a line saying how much was cut where it was cut.</summary>
    public string Text()
    {
        lock (_gate)
        {
            var tail = KeptTail();
            return Cut == 0
                ? _head.ToString() + tail
                : string.Create(CultureInfo.InvariantCulture, $"{_head}\n[... {Cut} characters cut here: the worker keeps the first and last {_headLimit} of each stream (--max-output) ...]\n{tail}");
        }
    }

    /// <summary>The last <paramref name="length"/> characters kept.</summary>
    public string Tail(int length)
    {
        lock (_gate)
        {
            var kept = Cut == 0 ? _head + KeptTail() : KeptTail();
            return kept.Length <= length ? kept : kept[^length..];
        }
    }

    private string KeptTail() => _tail.Length > _tailLimit ? _tail.ToString(_tail.Length - _tailLimit, _tailLimit) : _tail.ToString();
}
