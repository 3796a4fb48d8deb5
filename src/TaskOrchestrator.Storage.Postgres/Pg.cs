using Npgsql;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>Conversions between the store's column types and .NET values, and parameter binding.</summary>
internal static class Pg
{
    public static long Ms(DateTimeOffset value) => StoredValues.Ms(value);

    public static long? MsOrNull(DateTimeOffset? value) => StoredValues.MsOrNull(value);

    public static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => StoredValues.Time(reader, ordinal);

    public static DateTimeOffset? TimeOrNull(NpgsqlDataReader reader, int ordinal) => StoredValues.TimeOrNull(reader, ordinal);

    public static string? StringOrNull(NpgsqlDataReader reader, int ordinal) => StoredValues.StringOrNull(reader, ordinal);

    /// <summary>Binds <paramref name="value"/> as <c>@name</c>; a null is sent as a typed null so PostgreSQL never has to guess.</summary>
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, string? value) => command.Typed(name, value, NpgsqlTypes.NpgsqlDbType.Text);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, long? value) => command.Typed(name, value, NpgsqlTypes.NpgsqlDbType.Bigint);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, int? value) => command.Typed(name, value, NpgsqlTypes.NpgsqlDbType.Integer);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, bool value) => command.Typed(name, value, NpgsqlTypes.NpgsqlDbType.Boolean);

    /// <summary>Binds a list as a <c>text[]</c>, for <c>= ANY(@name)</c>: one statement text for any number of values.</summary>
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, IEnumerable<string> values) =>
        command.Typed(name, values.ToArray(), NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text);

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, IEnumerable<int> values) =>
        command.Typed(name, values.ToArray(), NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer);

    private static NpgsqlCommand Typed(this NpgsqlCommand command, string name, object? value, NpgsqlTypes.NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }
}
