namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>Settings of the SQLite backend.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// How long a write waits for other writers (threads or processes) before failing with
    /// <c>store_busy</c>. Writes are short, so reaching this means something holds the database.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Open connections kept for reuse per workspace.</summary>
    public int MaxIdleConnections { get; set; } = 4;

    /// <summary>
    /// Page cache per connection, in KiB. Small on purpose: reads that miss it are served from the
    /// operating system's file cache, which does not count against the server's own memory, and a
    /// larger cache measured no faster (docs/PERFORMANCE.md).
    /// </summary>
    public int CacheSizeKib { get; set; } = 2_048;

    /// <summary>The folder, relative to the workspace, that holds the database and logs.</summary>
    public const string DataFolder = ".task-orchestrator";

    /// <summary>The database file name inside <see cref="DataFolder"/>.</summary>
    public const string DatabaseFile = "orchestrator.db";
}
