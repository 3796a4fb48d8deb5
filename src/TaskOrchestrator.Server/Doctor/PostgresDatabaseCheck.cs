using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Server.Cli;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Storage.Postgres;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>
/// The database and schema checks when PostgreSQL is the chosen store: the server answers with the
/// configured credentials, the schema is at this build's version (or absent, to be created on first
/// use), and whether the workspace already has its rows there. Reads only: nothing is migrated.
/// </summary>
internal static class PostgresDatabaseCheck
{
    private const string SchemaTableExists = "SELECT to_regclass('schema_version') IS NOT NULL";

    private const string AppliedVersion = "SELECT coalesce(max(version), 0) FROM schema_version";

    private const string WorkspaceRow = "SELECT id FROM workspace WHERE root_path = @root";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The PostgreSQL settings when the configuration chooses PostgreSQL, else null (the SQLite checks apply).</summary>
    public static PostgresStoreOptions? Selected(string? configFile)
    {
        try
        {
            var (selection, postgres) = StoreRegistration.Resolve(SuperviseCommand.LoadConfiguration(configFile));
            return selection.IsPostgres ? postgres : null;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or InvalidOperationException)
        {
            // The configuration check reports a file that cannot be read; the database check then runs as for the default store.
            return null;
        }
    }

    public static (DoctorCheck Database, DoctorCheck Schema) Run(PostgresStoreOptions options, string? workspaceRoot)
    {
        int latest = PostgresStoreProvider.LatestSchemaVersion;
        var schemaFigures = new JsonObject { ["applied_version"] = null, ["latest_version"] = latest };
        var notChecked = DoctorCheck.Warning(DatabaseCheck.SchemaName, "Not checked: the database could not be reached.", "Fix the database check first.", schemaFigures);
        string connectionString;
        try
        {
            connectionString = PostgresConnectionString.Validate(options.ConnectionString);
        }
        catch (OrchestratorException ex)
        {
            return (DoctorCheck.Critical(DatabaseCheck.Name, ex.Error.Message, ex.Error.Hint ?? string.Empty, new JsonObject { ["backend"] = "postgres" }), notChecked);
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = (int)ConnectTimeout.TotalSeconds, Pooling = false };
        var figures = new JsonObject { ["backend"] = "postgres", ["database"] = PostgresConnectionString.Describe(settings) };
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var connection = new NpgsqlConnection(settings.ToString());
            connection.Open();
            figures["connect_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
            figures["server_version"] = connection.PostgreSqlVersion.ToString();
            var database = DoctorCheck.Ok(DatabaseCheck.Name, string.Create(CultureInfo.InvariantCulture, $"PostgreSQL {connection.PostgreSqlVersion} at {figures["database"]} answered in {figures["connect_ms"]} ms."), figures);
            if (!(bool)Scalar(connection, SchemaTableExists, null)!)
            {
                return (database, DoctorCheck.Ok(DatabaseCheck.SchemaName, $"No schema yet: it will be created at version {latest} on first use.", schemaFigures));
            }

            int applied = Convert.ToInt32(Scalar(connection, AppliedVersion, null), CultureInfo.InvariantCulture);
            schemaFigures["applied_version"] = applied;
            if (workspaceRoot is not null)
            {
                schemaFigures["workspace_id"] = Scalar(connection, WorkspaceRow, workspaceRoot) as string;
            }

            var schema = applied == latest
                ? DoctorCheck.Ok(DatabaseCheck.SchemaName, $"Schema version {applied} is current.", schemaFigures)
                : applied < latest
                    ? DoctorCheck.Ok(DatabaseCheck.SchemaName, $"Schema version {applied}; the first server to start migrates it to {latest}, under a lock, once.", schemaFigures)
                    : DoctorCheck.Critical(DatabaseCheck.SchemaName, $"Schema version {applied} is newer than this build's {latest}: a newer TaskOrchestrator wrote it.", "Upgrade this server to the version the other instances run.", schemaFigures);
            return (database, schema);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return (DoctorCheck.Critical(DatabaseCheck.Name, $"PostgreSQL at {figures["database"]} cannot be used: {ex.Message}", "Check that the server runs and is reachable from here, and the connection string's database, user and password.", figures), notChecked);
        }
    }

    private static object? Scalar(NpgsqlConnection connection, string sql, string? root)
    {
        using var command = new NpgsqlCommand(sql, connection);
        if (root is not null)
        {
            command.Parameters.AddWithValue("root", root);
        }

        return command.ExecuteScalar();
    }
}
