namespace TaskOrchestrator.Storage.Postgres;

/// <summary>Settings of the PostgreSQL backend.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Storage:Postgres";

    /// <summary>
    /// The Npgsql connection string (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>). Every
    /// workspace shares this one database, its rows separated by workspace id.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a write waits for the other writers of its workspace (in any process on any host) before
    /// failing with <c>store_busy</c>. Writes are short, so reaching this means something holds the workspace.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most connections this process keeps open to the database (the Npgsql pool's maximum).</summary>
    public int MaxPoolSize { get; set; } = 50;
}
