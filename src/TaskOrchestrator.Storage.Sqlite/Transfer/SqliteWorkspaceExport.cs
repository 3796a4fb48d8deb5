using System.Globalization;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage.Transfer;

namespace TaskOrchestrator.Storage.Sqlite.Transfer;

/// <summary>
/// A workspace read from a SQLite file inside one read transaction: in WAL mode every read of the
/// transaction sees the database as of its first read, whatever servers commit meanwhile.
/// </summary>
internal sealed class SqliteWorkspaceExport : IWorkspaceExport
{
    private readonly SqliteConnection _connection;
    private readonly string _databasePath;

    private SqliteWorkspaceExport(SqliteConnection connection, string databasePath, TransferWorkspace workspace, IReadOnlyDictionary<string, SequenceRange> sequences)
    {
        _connection = connection;
        _databasePath = databasePath;
        Workspace = workspace;
        Sequences = sequences;
    }

    public TransferWorkspace Workspace { get; }

    public IReadOnlyDictionary<string, SequenceRange> Sequences { get; }

    public static async Task<SqliteWorkspaceExport> OpenAsync(SqliteConnection connection, string databasePath, CancellationToken cancellationToken)
    {
        try
        {
            await SqliteTableIo.ExecAsync(connection, "BEGIN", cancellationToken);
            SqliteTransfer.RequireCurrentSchema(await SqliteTransfer.SchemaVersionAsync(connection, cancellationToken), databasePath);
            var workspaces = new List<TransferWorkspace>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT id, root_path, created_at FROM workspace";
                using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    workspaces.Add(new TransferWorkspace(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }
            }

            if (workspaces.Count != 1)
            {
                throw new TransferException(
                    TransferFailure.InvalidInput,
                    string.Create(CultureInfo.InvariantCulture, $"'{databasePath}' holds {workspaces.Count} workspace rows; a workspace database holds exactly one."),
                    workspaces.Count == 0 ? "The database was never opened by a server; there is nothing to copy." : "The file was not made by TaskOrchestrator; name another.");
            }

            var sequences = await ReadSequencesAsync(connection, workspaces[0].Id, cancellationToken);
            return new SqliteWorkspaceExport(connection, databasePath, workspaces[0], sequences);
        }
        catch (SqliteException ex)
        {
            throw SqliteTransfer.Describe(ex, databasePath);
        }
    }

    public async IAsyncEnumerable<object?[]> ReadAsync(TransferTable table, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        await using var rows = SqliteTableIo.ReadAsync(_connection, table, Workspace.Id, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await rows.MoveNextAsync())
                {
                    break;
                }
            }
            catch (SqliteException ex)
            {
                throw SqliteTransfer.Describe(ex, _databasePath);
            }

            yield return rows.Current;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SqliteTableIo.ExecAsync(_connection, "ROLLBACK", CancellationToken.None);
        }
        catch (SqliteException)
        {
            // The read transaction ends with the connection anyway.
        }

        await _connection.DisposeAsync();
    }

    /// <summary>The numbers of the numbered tables; the event log's high-water mark includes numbers of deleted rows.</summary>
    internal static async Task<Dictionary<string, SequenceRange>> ReadSequencesAsync(SqliteConnection connection, string workspaceId, CancellationToken cancellationToken)
    {
        var sequences = new Dictionary<string, SequenceRange>(StringComparer.Ordinal);
        foreach (var table in TransferSchema.Tables.Where(t => t.SequenceColumn is not null))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT min({table.SequenceColumn}), max({table.SequenceColumn}) FROM {table.Name} WHERE workspace_id = $ws";
            command.Parameters.AddWithValue("$ws", workspaceId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.IsDBNull(0))
            {
                continue;
            }

            long min = reader.GetInt64(0), max = reader.GetInt64(1);
            reader.Close();
            long highWater = max;
            if (table == TransferSchema.Event
                && await SqliteTableIo.ScalarAsync(connection, "SELECT seq FROM sqlite_sequence WHERE name = 'event'", cancellationToken) is { } recorded)
            {
                highWater = Math.Max(max, Convert.ToInt64(recorded, CultureInfo.InvariantCulture));
            }

            sequences[table.Name] = new SequenceRange(min, max, highWater);
        }

        return sequences;
    }
}
