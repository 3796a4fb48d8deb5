using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TaskOrchestrator.Storage.Sqlite.Connections;

/// <summary>
/// A queue in front of SQLite's write lock for the writers of every process on one database file: each
/// waits in the kernel on an exclusive <c>flock</c> of a side file (<c>orchestrator.db-writers</c>), and
/// the kernel hands the lock to the next one the moment it is released. SQLite itself offers only
/// polling: a writer finding the database locked sleeps and retries (see <see cref="SqliteWriteLock"/>),
/// so with several server processes the lock sat idle between a commit and the next writer's retry.
/// <para>
/// The queue only orders the writers that take it; SQLite's lock stays the truth, and a writer that
/// does not queue (another tool, an older server) is still waited for by polling. A process that dies
/// holding the queue releases it with its file descriptors. Where <c>flock</c> is unavailable (not Linux
/// or macOS, or a file system without it) the queue is skipped and writers poll as before.
/// </para>
/// </summary>
internal sealed partial class WriterQueue : IDisposable
{
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int LockUnlock = 8;
    private const int Interrupted = 4; // EINTR
    private const int WouldBlock = 11; // EWOULDBLOCK (EAGAIN) on Linux
    private const int WouldBlockMac = 35;

    private readonly SafeFileHandle? _file;
    // The waiter's requests, guarded by their own monitor. Not a BlockingCollection: its wait spins and
    // yields before it blocks, CPU that the other server processes sharing the machine could use (a
    // profile put much of the waiter's time there; the A/B in docs/PERFORMANCE.md saw no change beyond
    // noise). Monitor.Wait blocks at once.
    private readonly Queue<TaskCompletionSource<bool>> _requests = new();
    private bool _closed;
    private Thread? _waiter;

    // Requests the waiter has not finished with. While one is (say, abandoned, with the waiter still
    // blocked in flock), the lock is not tried from here: flock locks belong to the open file, so the
    // waiter would take a lock got here for its own and give it back.
    private int _outstanding;

    private WriterQueue(SafeFileHandle? file)
    {
        _file = file;
    }

    /// <summary>Whether the queue is in use (false where flock is unavailable).</summary>
    public bool Enabled => _file is not null;

    /// <summary>Opens the queue of <paramref name="databasePath"/>, creating its side file when missing.</summary>
    public static WriterQueue Open(string databasePath)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return new WriterQueue(null);
        }

        SafeFileHandle file;
        try
        {
            // Read-write and shared: .NET then takes no lock of its own on the descriptor.
            file = File.OpenHandle(databasePath + "-writers", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new WriterQueue(null);
        }

        var queue = new WriterQueue(file);
        if (queue.Lock(LockExclusive | LockNonBlocking) is 0 or WouldBlock or WouldBlockMac)
        {
            queue.Lock(LockUnlock);
            return queue;
        }

        file.Dispose();
        return new WriterQueue(null);
    }

    /// <summary>
    /// Waits for this process's turn among the queued writers, at most <paramref name="timeout"/>; false
    /// when it did not come in time. A true result must be followed by <see cref="Leave"/>.
    /// </summary>
    public async ValueTask<bool> EnterAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_file is null || (Volatile.Read(ref _outstanding) == 0 && Lock(LockExclusive | LockNonBlocking) == 0))
        {
            return true;
        }

        var turn = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        EnsureWaiter();
        lock (_requests)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            Interlocked.Increment(ref _outstanding);
            _requests.Enqueue(turn);
            Monitor.Pulse(_requests);
        }

        try
        {
            return await turn.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Marked abandoned, the waiter gives a turn that comes after this back at once. When the turn
            // came just as the wait ended, a timed-out writer uses it; a cancelled one gives it back.
            if (!turn.TrySetResult(false))
            {
                if (ex is TimeoutException)
                {
                    return true;
                }

                Leave();
            }

            if (ex is OperationCanceledException)
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>Ends this process's turn.</summary>
    public void Leave()
    {
        if (_file is not null)
        {
            Lock(LockUnlock);
        }
    }

    public void Dispose()
    {
        lock (_requests)
        {
            _closed = true;
            Monitor.PulseAll(_requests);
        }

        _file?.Dispose();
    }

    // One thread per queue blocks in flock for the writer waiting (one at a time: the store's gate lets
    // one writer of the process through), so that no thread-pool thread is ever held by the kernel.
    private void EnsureWaiter()
    {
        if (_waiter is not null)
        {
            return;
        }

        lock (_requests)
        {
            if (_waiter is null)
            {
                _waiter = new Thread(WaitForTurns) { IsBackground = true, Name = "sqlite-writer-queue" };
                _waiter.Start();
            }
        }
    }

    private void WaitForTurns()
    {
        try
        {
            while (NextRequest() is { } turn)
            {
                if (!turn.Task.IsCompleted)
                {
                    if (Lock(LockExclusive) != 0)
                    {
                        // No queue after all (the file system refused): the writer goes on to poll SQLite.
                        turn.TrySetResult(true);
                    }
                    else if (!turn.TrySetResult(true))
                    {
                        Lock(LockUnlock); // its writer stopped waiting
                    }
                }

                Interlocked.Decrement(ref _outstanding);
            }
        }
        catch (ObjectDisposedException)
        {
            // The store closed.
        }
    }

    // The next request, waiting for one; null once the queue is closed.
    private TaskCompletionSource<bool>? NextRequest()
    {
        lock (_requests)
        {
            while (_requests.Count == 0)
            {
                if (_closed)
                {
                    return null;
                }

                Monitor.Wait(_requests);
            }

            return _requests.Dequeue();
        }
    }

    // 0 on success, else the errno; an interrupted call is retried.
    private int Lock(int operation)
    {
        bool added = false;
        try
        {
            _file!.DangerousAddRef(ref added);
            while (true)
            {
                if (Flock((int)_file.DangerousGetHandle(), operation) == 0)
                {
                    return 0;
                }

                int error = Marshal.GetLastPInvokeError();
                if (error != Interrupted)
                {
                    return error;
                }
            }
        }
        finally
        {
            if (added)
            {
                _file!.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
