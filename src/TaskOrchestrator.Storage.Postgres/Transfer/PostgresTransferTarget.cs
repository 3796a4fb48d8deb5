using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Storage.Postgres.Connections;
using TaskOrchestrator.Storage.Postgres.Migrations;

namespace TaskOrchestrator.Storage.Postgres.Transfer;

/// <summary>
/// A PostgreSQL database as a transfer target. The schema is migrated first (as a server would, under the
/// migration lock); the import itself is one transaction holding the workspace's write lock, so no server
/// writes that workspace meanwhile.
/// </summary>
internal sealed class PostgresTransferTarget(string connectionString, string location, TimeProvider time) : IWorkspaceTransferTarget
{
    public string Location => location;

    public async Task<IWorkspaceImport> BeginImportAsync(TransferWorkspace workspace, IReadOnlyDictionary<string, SequenceRange> sequences, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(sequences);
        try
        {
            await using (var dataSource = NpgsqlDataSource.Create(connectionString))
            {
                await PostgresMigrator.MigrateAsync(dataSource, time, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw PostgresTransfer.Unreachable(location, ex);
        }

        var connection = await PostgresTransfer.OpenAsync(connectionString, cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            var existing = new List<(string Id, string Root)>();
            await using (var command = new NpgsqlCommand("SELECT id, root_path FROM workspace WHERE id = @id OR root_path = @root ORDER BY id FOR UPDATE", connection, transaction))
            {
                command.Parameters.AddWithValue("id", workspace.Id);
                command.Parameters.AddWithValue("root", workspace.RootPath);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    existing.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var id in existing.Select(e => e.Id).Append(workspace.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                await using var lockCommand = new NpgsqlCommand(WorkspaceLocks.TakeWriteLock, connection, transaction);
                lockCommand.Parameters.AddWithValue("ns", WorkspaceLocks.Namespace);
                lockCommand.Parameters.AddWithValue("ws", id);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            string? replaced = await ClearAsync(connection, transaction, workspace, existing, replace, cancellationToken);
            await using (var insert = new NpgsqlCommand("INSERT INTO workspace (id, root_path, created_at) VALUES (@id, @root, @at)", connection, transaction))
            {
                insert.Parameters.AddWithValue("id", workspace.Id);
                insert.Parameters.AddWithValue("root", workspace.RootPath);
                insert.Parameters.AddWithValue("at", workspace.CreatedAtMs);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            var offsets = await ReserveSequencesAsync(connection, transaction, sequences, cancellationToken);
            var columnTypes = await PostgresTableIo.ColumnTypesAsync(connection, transaction, cancellationToken);
            return new PostgresWorkspaceImport(connection, transaction, location, workspace, offsets, columnTypes, replaced);
        }
        catch (Exception ex)
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
            if (ex is NpgsqlException or SocketException or TimeoutException)
            {
                throw PostgresTransfer.Unreachable(location, ex);
            }

            throw;
        }
    }

    private async Task<string?> ClearAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TransferWorkspace workspace, List<(string Id, string Root)> existing, bool replace, CancellationToken cancellationToken)
    {
        if (existing.Count == 0)
        {
            return null;
        }

        var descriptions = new List<string>();
        foreach (var (id, root) in existing)
        {
            descriptions.Add($"workspace {id} ({root}): {await PostgresTableIo.DescribeContentsAsync(connection, transaction, id, cancellationToken)}");
        }

        string description = string.Join("; ", descriptions);
        if (!replace)
        {
            throw new TransferException(
                TransferFailure.Refused,
                $"The database {location} already holds {description}" +
                (existing.Any(e => e.Id == workspace.Id) ? "" : $", whose root folder is the one being copied ({workspace.RootPath})") + ". Nothing was changed.",
                "Pass --replace to delete that workspace's data and copy over it (back it up first with task-orchestrator backup), or pass --root to give the copy another root folder.");
        }

        foreach (var (id, _) in existing)
        {
            foreach (var table in TransferSchema.DeleteOrder)
            {
                await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE workspace_id = @ws", connection, transaction);
                delete.Parameters.AddWithValue("ws", id);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var deleteWorkspace = new NpgsqlCommand("DELETE FROM workspace WHERE id = @ws", connection, transaction);
            deleteWorkspace.Parameters.AddWithValue("ws", id);
            await deleteWorkspace.ExecuteNonQueryAsync(cancellationToken);
        }

        return description;
    }

    /// <summary>
    /// Keeps the copied numbers when no row of any workspace uses one of them (rows of a replaced workspace are
    /// already deleted in this transaction); otherwise shifts them by one constant above every number in use or
    /// handed out. Then moves the identity past the copied high-water mark, so new rows are numbered after the
    /// copy. setval is not transactional: a rolled-back import merely leaves a gap in the numbering.
    /// </summary>
    private static async Task<Dictionary<string, long>> ReserveSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyDictionary<string, SequenceRange> sequences, CancellationToken cancellationToken)
    {
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in TransferSchema.Tables.Where(t => t.SequenceColumn is not null))
        {
            if (!sequences.TryGetValue(table.Name, out var range))
            {
                continue;
            }

            string column = table.SequenceColumn!;
            var sequence = (string)(await PostgresTableIo.ScalarAsync(connection, transaction, "SELECT pg_get_serial_sequence(@t, @c)", cancellationToken, ("t", table.Name), ("c", column)))!;
            bool clash = (bool)(await PostgresTableIo.ScalarAsync(connection, transaction, $"SELECT EXISTS (SELECT 1 FROM {table.Name} WHERE {column} BETWEEN @min AND @max)", cancellationToken, ("min", range.Min), ("max", range.Max)))!;
            long offset = 0;
            if (clash)
            {
                long handedOut = Convert.ToInt64(await PostgresTableIo.ScalarAsync(connection, transaction, "SELECT coalesce(pg_sequence_last_value(@s::regclass), 0)", cancellationToken, ("s", sequence)), CultureInfo.InvariantCulture);
                long maxRow = Convert.ToInt64(await PostgresTableIo.ScalarAsync(connection, transaction, $"SELECT coalesce(max({column}), 0) FROM {table.Name}", cancellationToken), CultureInfo.InvariantCulture);
                offset = Math.Max(handedOut, maxRow) - range.Min + 1;
            }

            offsets[table.Name] = offset;
            await PostgresTableIo.ScalarAsync(connection, transaction, "SELECT setval(@s::regclass, greatest(coalesce(pg_sequence_last_value(@s::regclass), 0), @hw))", cancellationToken, ("s", sequence), ("hw", range.HighWater + offset));
        }

        return offsets;
    }
}
