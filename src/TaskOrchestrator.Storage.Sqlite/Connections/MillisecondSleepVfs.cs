using System.Runtime.InteropServices;

namespace TaskOrchestrator.Storage.Sqlite.Connections;

/// <summary>
/// Makes SQLite's waits last milliseconds, not seconds. The bundled e_sqlite3 build for Unix is
/// compiled without <c>usleep</c>, so its VFS rounds every sleep up to a whole second: when a reader
/// has to retry for the WAL read lock (which happens under many concurrent commits) it stalls for a
/// full second, and when that reader is a claim batch's <c>BEGIN</c>, every agent waiting on the batch
/// stalls with it (the harness saw claim round trips of 1,024 ms). Registered once as the default VFS,
/// before any connection opens: a copy of the default VFS whose sleep is rounded up to the next
/// millisecond instead. Everything else (files, locks, shared memory) stays the original's.
/// </summary>
internal static class MillisecondSleepVfs
{
    private const string NativeLibrary = "e_sqlite3";

    // The sqlite3_vfs struct (sqlite3.h): three ints, then pointers. Offsets hold for 64-bit processes.
    private const int SizeOfVersion3 = 168;
    private const int SleepOffset = 112;
    private const int SqliteOk = 0;

    private static readonly Lock Gate = new();

    // Kept for the life of the process: SQLite calls through these pointers from any connection.
    private static SleepCallback? s_sleep;
    private static IntPtr s_vfs;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SleepCallback(IntPtr vfs, int microseconds);

    /// <summary>True once the millisecond sleep is SQLite's default; false where it is not needed or could not be installed.</summary>
    public static bool Installed => s_vfs != IntPtr.Zero;

    /// <summary>Installs the VFS on 64-bit Unix, where the bundled build has the whole-second sleep. Idempotent.</summary>
    public static void Install()
    {
        if (OperatingSystem.IsWindows() || !Environment.Is64BitProcess)
        {
            return; // Windows builds sleep in milliseconds already; the offsets above are for 64-bit.
        }

        lock (Gate)
        {
            if (s_vfs != IntPtr.Zero)
            {
                return;
            }

            var original = sqlite3_vfs_find(IntPtr.Zero);
            if (original == IntPtr.Zero || Marshal.ReadInt32(original) < 3)
            {
                return;
            }

            var copy = Marshal.AllocHGlobal(SizeOfVersion3);
            var bytes = new byte[SizeOfVersion3];
            Marshal.Copy(original, bytes, 0, SizeOfVersion3);
            Marshal.Copy(bytes, 0, copy, SizeOfVersion3);

            // The copy keeps the original's name; registered as default, it comes first in SQLite's list.
            s_sleep = Sleep;
            Marshal.WriteIntPtr(copy, SleepOffset, Marshal.GetFunctionPointerForDelegate(s_sleep));
            if (sqlite3_vfs_register(copy, 1) != SqliteOk)
            {
                Marshal.FreeHGlobal(copy);
                return;
            }

            s_vfs = copy;
        }
    }

    private static int Sleep(IntPtr vfs, int microseconds)
    {
        // Rounded up so that a requested wait is never skipped: SQLite's retries rely on time passing.
        int milliseconds = Math.Max(1, (microseconds + 999) / 1000);
        Thread.Sleep(milliseconds);
        return milliseconds * 1000;
    }

    [DllImport(NativeLibrary, CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr sqlite3_vfs_find(IntPtr name);

    [DllImport(NativeLibrary, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_vfs_register(IntPtr vfs, int makeDefault);
}
