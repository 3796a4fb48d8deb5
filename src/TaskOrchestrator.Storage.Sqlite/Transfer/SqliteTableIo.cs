using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage.Transfer;

namespace TaskOrchestrator.Storage.Sqlite.Transfer;

/// <summary>Reads and writes transfer rows of one workspace over a plain connection inside the caller's transaction.</summary>
internal static class SqliteTableIo
{
    public static async IAsyncEnumerable<object?[]> ReadAsync(SqliteConnection connection, TransferTable table, string workspaceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string key = table == TransferSchema.Workspace ? "id" : "workspace_id";
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {table.ColumnList} FROM {table.Name} WHERE {key} = $ws ORDER BY {string.Join(", ", table.OrderBy)}";
        command.Parameters.AddWithValue("$ws", workspaceId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object?[table.Columns.Count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : table.Columns[i].Type switch
                {
                    TransferColumnType.Text => reader.GetString(i),
                    TransferColumnType.Number => reader.GetInt64(i),
                    _ => reader.GetInt64(i) != 0,
                };
            }

            yield return values;
        }
    }

    public static async Task<long> WriteAsync(SqliteConnection connection, TransferTable table, string workspaceId, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        var parameters = new SqliteParameter[table.Columns.Count];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = command.Parameters.Add(string.Create(CultureInfo.InvariantCulture, $"$p{i}"), table.Columns[i].Type == TransferColumnType.Text ? SqliteType.Text : SqliteType.Integer);
        }

        command.Parameters.AddWithValue("$ws", workspaceId);
        command.CommandText = $"INSERT INTO {table.Name} (workspace_id, {table.ColumnList}) VALUES ($ws, {string.Join(", ", Enumerable.Range(0, parameters.Length).Select(i => string.Create(CultureInfo.InvariantCulture, $"$p{i}")))})";
        command.Prepare();
        long written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] switch
                {
                    null => DBNull.Value,
                    bool flag => flag ? 1L : 0L,
                    var value => value,
                };
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
            written++;
        }

        return written;
    }

    public static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    public static async Task ExecAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How many rows each table holds for the workspace, as "12 tasks, 40 events" (tables with none left out).</summary>
    public static async Task<string> DescribeContentsAsync(SqliteConnection connection, string workspaceId, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        foreach (var table in TransferSchema.Tables)
        {
            long count = Convert.ToInt64(await ScalarAsync(connection, $"SELECT count(*) FROM {table.Name} WHERE workspace_id = $ws", cancellationToken, ("$ws", workspaceId)), CultureInfo.InvariantCulture);
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {table.Name} rows"));
            }
        }

        return parts.Count == 0 ? "no rows besides the workspace itself" : string.Join(", ", parts);
    }
}
