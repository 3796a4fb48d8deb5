using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using TaskOrchestrator.Core.Storage.Transfer;

namespace TaskOrchestrator.Storage.Postgres.Transfer;

/// <summary>Reads and writes transfer rows of one workspace on a connection inside the caller's transaction.</summary>
internal static class PostgresTableIo
{
    /// <summary>Rows in <see cref="TransferTable.OrderBy"/> order; text compares by code point (<c>COLLATE "C"</c>), as SQLite's BINARY does.</summary>
    public static async IAsyncEnumerable<object?[]> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TransferTable table, string workspaceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string key = table == TransferSchema.Workspace ? "id" : "workspace_id";
        var order = string.Join(", ", table.OrderBy.Select(name => table.Columns.First(c => c.Name == name).Type == TransferColumnType.Text ? $"{name} COLLATE \"C\"" : name));
        await using var command = new NpgsqlCommand($"SELECT {table.ColumnList} FROM {table.Name} WHERE {key} = @ws ORDER BY {order}", connection, transaction);
        command.Parameters.AddWithValue("ws", NpgsqlDbType.Text, workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object?[table.Columns.Count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : table.Columns[i].Type switch
                {
                    TransferColumnType.Text => reader.GetString(i),
                    TransferColumnType.Number => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture),
                    _ => reader.GetBoolean(i),
                };
            }

            yield return values;
        }
    }

    /// <summary>Writes rows with binary COPY (one statement, so references among the rows are checked at its end).</summary>
    public static async Task<long> WriteAsync(
        NpgsqlConnection connection,
        TransferTable table,
        string workspaceId,
        IReadOnlyDictionary<string, NpgsqlDbType> columnTypes,
        long sequenceOffset,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        var types = table.Columns.Select(c => columnTypes.TryGetValue(c.Name, out var type)
            ? type
            : throw new InvalidOperationException($"The PostgreSQL table '{table.Name}' has no column '{c.Name}'.")).ToArray();
        int sequence = table.SequenceOrdinal;
        long written = 0;
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table.Name} (workspace_id, {table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(workspaceId, NpgsqlDbType.Text, cancellationToken);
            for (int i = 0; i < types.Length; i++)
            {
                var value = row[i];
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else if (types[i] == NpgsqlDbType.Integer)
                {
                    await importer.WriteAsync(checked((int)(long)value), NpgsqlDbType.Integer, cancellationToken);
                }
                else if (types[i] == NpgsqlDbType.Bigint)
                {
                    await importer.WriteAsync(i == sequence ? (long)value + sequenceOffset : (long)value, NpgsqlDbType.Bigint, cancellationToken);
                }
                else if (types[i] == NpgsqlDbType.Boolean)
                {
                    await importer.WriteAsync(value is bool flag ? flag : (long)value != 0, NpgsqlDbType.Boolean, cancellationToken);
                }
                else
                {
                    await importer.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken);
                }
            }

            written++;
        }

        await importer.CompleteAsync(cancellationToken);
        return written;
    }

    /// <summary>The column types of every transferred table, as the target database declares them.</summary>
    public static async Task<Dictionary<string, Dictionary<string, NpgsqlDbType>>> ColumnTypesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        const string sql = "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY(@tables)";
        var result = new Dictionary<string, Dictionary<string, NpgsqlDbType>>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("tables", TransferSchema.Tables.Select(t => t.Name).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var type = reader.GetString(2) switch
            {
                "integer" => NpgsqlDbType.Integer,
                "bigint" => NpgsqlDbType.Bigint,
                "boolean" => NpgsqlDbType.Boolean,
                "text" => NpgsqlDbType.Text,
                _ => NpgsqlDbType.Unknown,
            };
            if (!result.TryGetValue(reader.GetString(0), out var columns))
            {
                result[reader.GetString(0)] = columns = new Dictionary<string, NpgsqlDbType>(StringComparer.Ordinal);
            }

            columns[reader.GetString(1)] = type;
        }

        return result;
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    /// <summary>How many rows each table holds for the workspace, as "12 task rows, 40 event rows".</summary>
    public static async Task<string> DescribeContentsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        foreach (var table in TransferSchema.Tables)
        {
            long count = Convert.ToInt64(await ScalarAsync(connection, transaction, $"SELECT count(*) FROM {table.Name} WHERE workspace_id = @ws", cancellationToken, ("ws", workspaceId)), CultureInfo.InvariantCulture);
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {table.Name} rows"));
            }
        }

        return parts.Count == 0 ? "no rows besides the workspace itself" : string.Join(", ", parts);
    }
}
