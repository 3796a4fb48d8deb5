using System.Buffers;
using System.Security.Cryptography;

namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>
/// Counts the rows of one table and hashes their canonical lines (<see cref="CanonicalRows"/>), each followed
/// by a newline, with SHA-256 in read order. Two digests agree exactly when the same rows came in the same order.
/// </summary>
public sealed class TableDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly TransferTable _table;
    private readonly long _sequenceOffset;
    private string? _hex;

    /// <summary>Creates a digest; <paramref name="sequenceOffset"/> is subtracted from the table's sequence numbers.</summary>
    public TableDigest(TransferTable table, long sequenceOffset = 0)
    {
        _table = table;
        _sequenceOffset = sequenceOffset;
    }

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Adds one row.</summary>
    public void Add(object?[] values)
    {
        _buffer.ResetWrittenCount();
        CanonicalRows.Write(_buffer, _table, values, _sequenceOffset);
        _buffer.Write("\n"u8);
        _hash.AppendData(_buffer.WrittenSpan);
        Rows++;
    }

    /// <summary>The lower-case hex SHA-256 of every row added; no row may be added after.</summary>
    public string Hex => _hex ??= Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Releases the hash.</summary>
    public void Dispose() => _hash.Dispose();
}
