using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>Conversions between the store's column types and .NET values.</summary>
internal static class Sql
{
    public static long Ms(DateTimeOffset value) => StoredValues.Ms(value);

    public static object MsOrNull(DateTimeOffset? value) => (object?)StoredValues.MsOrNull(value) ?? DBNull.Value;

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    public static DateTimeOffset Time(SqliteDataReader reader, int ordinal) => StoredValues.Time(reader, ordinal);

    public static DateTimeOffset? TimeOrNull(SqliteDataReader reader, int ordinal) => StoredValues.TimeOrNull(reader, ordinal);

    public static string? StringOrNull(SqliteDataReader reader, int ordinal) => StoredValues.StringOrNull(reader, ordinal);

    /// <summary>Runs the query and reads every row with <paramref name="read"/> (one of the shared row readers).</summary>
    public static List<T> ReadAll<T>(this SqliteCommand command, Func<DbDataReader, T> read)
    {
        var rows = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs the query and reads its first row with <paramref name="read"/>, or returns null.</summary>
    public static T? ReadFirst<T>(this SqliteCommand command, Func<DbDataReader, T> read)
        where T : class
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? read(reader) : null;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>The placeholder list <c>$prefix0, …, $prefix(n-1)</c> for building SQL text before binding.</summary>
    public static string Placeholders(string prefix, int count) =>
        string.Join(", ", Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"${prefix}{i}")));

    /// <summary>Binds values to the placeholders made by <see cref="Placeholders"/>.</summary>
    public static void BindList<T>(this SqliteCommand command, string prefix, IReadOnlyList<T> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            command.Parameters.AddWithValue(string.Create(CultureInfo.InvariantCulture, $"${prefix}{i}"), (object?)values[i] ?? DBNull.Value);
        }
    }

    /// <summary>
    /// A list of strings as a JSON array, for <c>IN (SELECT value FROM json_each($ids))</c>: one
    /// statement text for any number of ids, so it stays prepared, and no parameter-count limit.
    /// </summary>
    public static string JsonList(IEnumerable<string> values) =>
        System.Text.Json.JsonSerializer.Serialize(values.ToArray(), Stores.SqliteJson.Default.StringArray);
}
