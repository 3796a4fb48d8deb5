using System.Runtime.InteropServices;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>
/// Caps glibc's malloc arenas. glibc gives each thread that allocates natively (SQLite's page cache and
/// statements, the runtime's own threads) an arena of its own, up to eight per core, and memory freed in
/// one arena is not reused by another: with 100,000 tasks the worker held ~20 MiB spread over seven
/// arenas (docs/PERFORMANCE.md). Two arenas are plenty for a process whose native allocations are
/// SQLite's. The cap is read from <c>MALLOC_ARENA_MAX</c> when the process starts, which the supervisor
/// sets for its workers; a process started without it sets the same cap with <c>mallopt</c> as its
/// first act, before most of its threads exist. A value the user set is kept.
/// </summary>
internal static partial class MallocArenas
{
    public const string Variable = "MALLOC_ARENA_MAX";

    /// <summary>The cap the server runs with.</summary>
    public const string Cap = "2";

    private const int ArenaMaxOption = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>Applies <see cref="Cap"/> to this process unless <see cref="Variable"/> is set; false where it cannot (not glibc).</summary>
    public static bool LimitThisProcess()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null)
        {
            return false;
        }

        try
        {
            return MallOpt(ArenaMaxOption, int.Parse(Cap, System.Globalization.CultureInfo.InvariantCulture)) == 1;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // a C library without mallopt (musl): its allocator has no per-thread arenas to cap
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int option, int value);
}
