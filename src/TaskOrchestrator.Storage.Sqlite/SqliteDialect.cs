using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>
/// SQLite's side of the shared statements: <c>$name</c> parameters bound by name, a list as one parameter
/// per value (so the planner sees each value and may seek an index with it), FTS5 phrase queries, and one
/// workspace per database file.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override char ParameterPrefix => '$';

    public override bool SharesDatabaseBetweenWorkspaces => false;

    // The search joins the FTS index and drives the query from it (see SqliteTaskQuery).
    public override string? SearchCondition => null;

    public override string TypedParameter(string name, StoredType type) => Parameter(name);

    public override string BoundName(string name) => Parameter(name);

    public override void Bind(DbCommand command, string boundName, object? value, StoredType type) =>
        ((SqliteCommand)command).Parameters.AddWithValue(boundName, value ?? DBNull.Value);

    public override void AppendInList(StringBuilder sql, string column, string name, int count)
    {
        if (count > 0)
        {
            sql.Append(" AND ").Append(column).Append(" IN (").Append(Sql.Placeholders(name, count)).Append(')');
        }
    }

    public override void BindList(DbCommand command, string name, IReadOnlyList<string> values) => ((SqliteCommand)command).BindList(name, values);

    public override void BindList(DbCommand command, string name, IReadOnlyList<int> values) => ((SqliteCommand)command).BindList(name, values);

    /// <summary>An FTS5 query: every word quoted, so FTS syntax in the text is never interpreted, the last one as a prefix where the text ended inside it.</summary>
    public override string SearchQuery(SearchWords words)
    {
        var match = new StringBuilder();
        for (int i = 0; i < words.Words.Count; i++)
        {
            match.Append(i == 0 ? string.Empty : " ").Append('"').Append(words.Words[i]).Append('"');
            if (i == words.Words.Count - 1 && words.LastIsPrefix)
            {
                match.Append('*');
            }
        }

        return match.ToString();
    }
}
