using System.Data.Common;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// The column conventions both relational backends share: times as Unix milliseconds in a 64-bit
/// integer, absent values as NULL. Reads go by ordinal, so a row costs no lookups.
/// </summary>
internal static class StoredValues
{
    public static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? MsOrNull(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? TimeOrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public static string? StringOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
