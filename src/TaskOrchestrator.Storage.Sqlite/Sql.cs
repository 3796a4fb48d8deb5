using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>Conversions between the store's column types and .NET values.</summary>
internal static class Sql
{
    public static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object MsOrNull(DateTimeOffset? value) => value is null ? DBNull.Value : value.Value.ToUnixTimeMilliseconds();

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    public static DateTimeOffset Time(SqliteDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? TimeOrNull(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static string? StringOrNull(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

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
