namespace TaskOrchestrator.Server.Hosting;

/// <summary>Which backend holds the workspaces: <c>Storage:Provider</c>, <c>TASK_ORCHESTRATOR_STORE</c> or <c>--store</c>.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary>Overrides <c>Storage:Provider</c>; set by <c>--store</c> too, so supervised workers inherit it.</summary>
    public const string ProviderVariable = "TASK_ORCHESTRATOR_STORE";

    /// <summary>Overrides <c>Storage:Postgres:ConnectionString</c>; set by <c>--connection-string</c> too.</summary>
    public const string ConnectionStringVariable = "TASK_ORCHESTRATOR_CONNECTION_STRING";

    public static IReadOnlyList<string> Providers { get; } = [Sqlite, Postgres];

    /// <summary>"sqlite" (the default: a file per workspace) or "postgres" (one shared database).</summary>
    public string Provider { get; set; } = Sqlite;

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}
