using System.Runtime.InteropServices;
using Shouldly;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>
/// SQLite's own waits (the WAL read-lock retries) go through its VFS sleep, which in the bundled Unix
/// build rounds every wait up to a whole second; the provider replaces it with a millisecond one.
/// </summary>
public sealed class SqliteSleepTests
{
    [Fact]
    public async Task Sqlite3Sleep_AfterTheProviderLoaded_SleepsMillisecondsNotSeconds()
    {
        // Loading the provider installs the sleep, before any connection opens.
        await using var provider = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System);

        // sqlite3_sleep reports how long the VFS says it slept: 1000 ms for 1 ms asked, before the fix.
        Sqlite3Sleep(1).ShouldBe(1);
        Sqlite3Sleep(5).ShouldBe(5);
    }

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_sleep")]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; this call marshals only ints.
    private static extern int Sqlite3Sleep(int milliseconds);
#pragma warning restore SYSLIB1054
}
