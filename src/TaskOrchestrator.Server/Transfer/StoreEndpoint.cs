using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Storage.Postgres.Transfer;
using TaskOrchestrator.Storage.Sqlite.Transfer;

namespace TaskOrchestrator.Server.Transfer;

/// <summary>
/// A store named on the command line: <c>sqlite:PATH</c> (a workspace folder or its database file) or
/// <c>postgres:CONNECTION</c> (an Npgsql connection string; <c>postgres:</c> alone takes it from
/// --connection-string or TASK_ORCHESTRATOR_CONNECTION_STRING, which keeps the password off the command line).
/// </summary>
internal sealed record StoreEndpoint(string Scheme, string Value)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public bool IsSqlite => Scheme == Sqlite;

    /// <summary>The endpoint for messages: the path, or the server and database without the password.</summary>
    public string Display => IsSqlite ? $"sqlite:{Value}" : $"postgres:{PostgresTransfer.Describe(Value)}";

    public static StoreEndpoint Parse(string option, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TransferException(TransferFailure.InvalidInput, $"{option} is required.", $"Pass {option} sqlite:PATH or {option} postgres:CONNECTION.");
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon < 0 ? string.Empty : text[..colon].ToLowerInvariant();
        string value = colon < 0 ? string.Empty : text[(colon + 1)..];
        switch (scheme)
        {
            case Sqlite when value.Length > 0:
                return new StoreEndpoint(Sqlite, value);
            case Sqlite:
                throw new TransferException(TransferFailure.InvalidInput, $"{option} sqlite: names no path.", $"Pass {option} sqlite:/path/to/workspace (or its .task-orchestrator/orchestrator.db).");
            case Postgres or "postgresql":
                if (value.Length == 0)
                {
                    value = Environment.GetEnvironmentVariable(StorageOptions.ConnectionStringVariable) ?? string.Empty;
                    if (value.Length == 0)
                    {
                        throw new TransferException(
                            TransferFailure.InvalidInput,
                            $"{option} postgres: names no connection string, and neither --connection-string nor {StorageOptions.ConnectionStringVariable} gives one.",
                            $"Pass {option} \"postgres:Host=…;Database=…;Username=…\" and the password in {StorageOptions.ConnectionStringVariable}, or the whole string there with {option} postgres:.");
                    }
                }

                _ = PostgresTransfer.Describe(value);
                return new StoreEndpoint(Postgres, value);
            default:
                throw new TransferException(
                    TransferFailure.InvalidInput,
                    $"{option} '{Shorten(text)}' names no known store: it must start with sqlite: or postgres:.",
                    $"Use {option} sqlite:/path/to/workspace or {option} \"postgres:Host=…;Database=…;Username=…\".");
        }
    }

    /// <summary>The export of this store's workspace (<paramref name="pgWorkspace"/> picks one in PostgreSQL).</summary>
    public Task<IWorkspaceExport> OpenExportAsync(string? pgWorkspace, CancellationToken cancellationToken) => IsSqlite
        ? SqliteTransfer.OpenExportAsync(SqliteTransfer.ResolveDatabasePath(Value, mustExist: true), cancellationToken)
        : PostgresTransfer.OpenExportAsync(Value, pgWorkspace, cancellationToken);

    /// <summary>This store as a transfer target.</summary>
    public IWorkspaceTransferTarget Target(TimeProvider time) => IsSqlite
        ? SqliteTransfer.Target(SqliteTransfer.ResolveDatabasePath(Value, mustExist: false))
        : PostgresTransfer.Target(Value, time);

    // Whatever follows an unknown scheme may be a connection string with a password: show the start only.
    private static string Shorten(string text) => text.Length <= 12 ? text : text[..12] + "…";
}
