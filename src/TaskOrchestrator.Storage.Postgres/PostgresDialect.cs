using System.Data.Common;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>
/// PostgreSQL's side of the shared statements: <c>@name</c> parameters sent with their type (so a NULL is
/// never left for the server to guess), a list as one array parameter matched with <c>= ANY</c> (one
/// statement text for any length, so it stays prepared), the GIN-indexed <c>search</c> column, and many
/// workspaces in one database.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override char ParameterPrefix => '@';

    public override bool SharesDatabaseBetweenWorkspaces => true;

    public override string? SearchCondition => "t.search @@ to_tsquery('simple', @match)";

    public override string TypedParameter(string name, StoredType type) => $"@{name}::{TypeName(type)}";

    public override string BoundName(string name) => name;

    public override void Bind(DbCommand command, string boundName, object? value, StoredType type) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter(boundName, DbType(type)) { Value = value ?? DBNull.Value });

    public override void AppendInList(StringBuilder sql, string column, string name, int count)
    {
        if (count > 0)
        {
            sql.Append(" AND ").Append(column).Append(" = ANY(@").Append(name).Append(')');
        }
    }

    public override void BindList(DbCommand command, string name, IReadOnlyList<string> values) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });

    public override void BindList(DbCommand command, string name, IReadOnlyList<int> values) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = values.ToArray() });

    /// <summary>
    /// A tsquery of the words, all required (<c>&amp;</c>), the last also as a prefix (<c>:*</c>) where the text
    /// ended inside it. Words are quoted and hold only letters and digits, so no tsquery syntax is ever
    /// interpreted; they are lowered because the <c>simple</c> configuration lowers the indexed text.
    /// </summary>
    public override string SearchQuery(SearchWords words)
    {
        var query = new StringBuilder();
        for (int i = 0; i < words.Words.Count; i++)
        {
            query.Append(i == 0 ? string.Empty : " & ").Append('\'').Append(words.Words[i].ToLowerInvariant()).Append('\'');
            if (i == words.Words.Count - 1 && words.LastIsPrefix)
            {
                query.Append(":*");
            }
        }

        return query.ToString();
    }

    private static NpgsqlDbType DbType(StoredType type) => type switch
    {
        StoredType.Text => NpgsqlDbType.Text,
        StoredType.Int32 => NpgsqlDbType.Integer,
        StoredType.Int64 => NpgsqlDbType.Bigint,
        StoredType.Boolean => NpgsqlDbType.Boolean,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No PostgreSQL type is mapped for this stored type."),
    };

    private static string TypeName(StoredType type) => type switch
    {
        StoredType.Text => "text",
        StoredType.Int32 => "integer",
        StoredType.Int64 => "bigint",
        StoredType.Boolean => "boolean",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No PostgreSQL type is mapped for this stored type."),
    };
}
