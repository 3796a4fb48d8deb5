using System.Buffers;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// The supervisor's copy of a line the client wrote. A request is kept until it is answered, to be
/// replayed if its worker dies, so the reader's view cannot be kept. A plan of a few hundred tasks is
/// a line of hundreds of KiB: a fresh array for each would land on the large-object heap, which only a
/// full collection frees, and the supervisor's heap grew by several MiB while a client sent big plans
/// (docs/PERFORMANCE.md). Such lines are copied into pooled arrays instead, which go back to the pool
/// once the request is answered and no send of it is under way (<see cref="ClientMessage.Answered"/>).
/// </summary>
internal static class ClientLine
{
    /// <summary>Lines from this size on are copied into a pooled array; smaller ones into an array of their own.</summary>
    public const int PooledFromBytes = 16 * 1024;

    /// <summary>Copies <paramref name="received"/> and hands the copy (and the pooled array it lies in, if any) on.</summary>
    public static ValueTask Copy(ReadOnlyMemory<byte> received, Func<ReadOnlyMemory<byte>, byte[]?, ValueTask> onLine)
    {
        if (received.Length < PooledFromBytes)
        {
            return onLine(received.ToArray(), null);
        }

        var rented = ArrayPool<byte>.Shared.Rent(received.Length);
        received.CopyTo(rented);
        return onLine(rented.AsMemory(0, received.Length), rented);
    }
}
