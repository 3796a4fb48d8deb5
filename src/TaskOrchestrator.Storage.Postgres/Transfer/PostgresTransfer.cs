using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Storage.Postgres.Migrations;

namespace TaskOrchestrator.Storage.Postgres.Transfer;

/// <summary>
/// The PostgreSQL side of workspace transfers. One database holds many workspaces, each named by its
/// id (<c>ws_…</c>) or by its root folder, which is how servers find it.
/// </summary>
public static class PostgresTransfer
{
    /// <summary>
    /// Opens a snapshot (<c>REPEATABLE READ READ ONLY</c>) of one workspace. <paramref name="workspace"/> is its
    /// id or root folder; null picks the only workspace of the database and is refused when there are several.
    /// </summary>
    public static async Task<IWorkspaceExport> OpenExportAsync(string connectionString, string? workspace, CancellationToken cancellationToken)
    {
        var location = Describe(connectionString);
        var connection = await OpenAsync(connectionString, cancellationToken);
        try
        {
            return await PostgresWorkspaceExport.OpenAsync(connection, location, workspace, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw Unreachable(location, ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database as a transfer target; its schema is created or migrated when an import begins.</summary>
    public static IWorkspaceTransferTarget Target(string connectionString, TimeProvider time)
    {
        var location = Describe(connectionString);
        return new PostgresTransferTarget(connectionString, location, time);
    }

    /// <summary>Server, port, database and user of the connection string (never the password); refuses one that does not parse.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            return PostgresConnectionString.Describe(PostgresConnectionString.Validate(connectionString));
        }
        catch (OrchestratorException ex)
        {
            throw new TransferException(TransferFailure.InvalidInput, ex.Error.Message, ex.Error.Hint ?? "Use Host=…;Port=…;Database=…;Username=…;Password=…", ex);
        }
    }

    /// <summary>
    /// The workspaces of the database with id <paramref name="workspaceId"/> or root folder <paramref name="rootPath"/>
    /// (none when the schema does not exist yet), each with its instances that count as running: state running or
    /// stopping and a heartbeat within <paramref name="ttl"/>, the stale-instance sweeper's test.
    /// </summary>
    public static async Task<IReadOnlyList<(TransferWorkspace Workspace, IReadOnlyList<LiveInstance> Live)>> FindAsync(
        string connectionString, string workspaceId, string rootPath, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var location = Describe(connectionString);
        await using var connection = await OpenAsync(connectionString, cancellationToken);
        try
        {
            if (await PostgresTableIo.ScalarAsync(connection, null, "SELECT to_regclass('workspace')::text", cancellationToken) is null)
            {
                return [];
            }

            var found = new List<TransferWorkspace>();
            await using (var command = new NpgsqlCommand("SELECT id, root_path, created_at FROM workspace WHERE id = @id OR root_path = @root ORDER BY id", connection))
            {
                command.Parameters.AddWithValue("id", workspaceId);
                command.Parameters.AddWithValue("root", rootPath);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    found.Add(new TransferWorkspace(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }
            }

            var result = new List<(TransferWorkspace, IReadOnlyList<LiveInstance>)>();
            foreach (var workspace in found)
            {
                var live = new List<LiveInstance>();
                await using var command = new NpgsqlCommand(
                    "SELECT id, role, host, process_id, heartbeat_at FROM server_instance WHERE workspace_id = @ws AND state IN ('running', 'stopping') AND heartbeat_at >= @cutoff ORDER BY heartbeat_at DESC",
                    connection);
                command.Parameters.AddWithValue("ws", workspace.Id);
                command.Parameters.AddWithValue("cutoff", (now - ttl).ToUnixTimeMilliseconds());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    live.Add(new LiveInstance(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), now - DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
                }

                result.Add((workspace, live));
            }

            return result;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw Unreachable(location, ex);
        }
    }

    internal static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
        {
            await connection.DisposeAsync();
            throw Unreachable(Describe(connectionString), ex);
        }
    }

    internal static TransferException Unreachable(string location, Exception exception) => new(
        TransferFailure.Unavailable,
        $"PostgreSQL at {location} failed: {exception.Message}",
        "Check that the server runs and is reachable, the database exists and the user may log in (and create tables, for a target); nothing was changed.",
        exception);

    /// <summary>Refuses a database without the schema, or at another version than this build's.</summary>
    internal static async Task RequireCurrentSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string location, CancellationToken cancellationToken)
    {
        if (await PostgresTableIo.ScalarAsync(connection, transaction, "SELECT to_regclass('schema_version')::text", cancellationToken) is null)
        {
            throw new TransferException(
                TransferFailure.InvalidInput,
                $"The database {location} holds no TaskOrchestrator schema.",
                "Name the database your servers use (check Database= in the connection string).");
        }

        int version = Convert.ToInt32(await PostgresTableIo.ScalarAsync(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_version", cancellationToken), CultureInfo.InvariantCulture);
        if (version != PostgresMigrator.Latest)
        {
            throw new TransferException(
                TransferFailure.InvalidInput,
                string.Create(CultureInfo.InvariantCulture, $"The database {location} is at schema version {version}; this build reads version {PostgresMigrator.Latest}."),
                version < PostgresMigrator.Latest ? "Start a server of this build against it once so it migrates, then retry." : "Use the newer TaskOrchestrator build that wrote it.");
        }
    }
}
