using System.Data.Common;
using System.Text;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// The WHERE conditions of a task query over a task aliased <c>t</c>, and their binding, in one backend's
/// dialect. Only the filters a query sets appear in the SQL, so both backends filter by the same rules: the
/// archived tasks hidden unless asked for, the ranks matched instead of the names (the indexes hold the
/// ranks), readiness as "pending with every hard dependency satisfied".
/// </summary>
internal sealed class TaskFilterSql
{
    private readonly TaskQuery _query;
    private readonly SqlDialect _dialect;

    public TaskFilterSql(TaskQuery query, SqlDialect dialect)
    {
        _query = query;
        _dialect = dialect;
        Match = query.SearchText is null ? null : dialect.SearchQuery(SearchWords.Parse(query.SearchText));
    }

    /// <summary>The backend's full-text query for the search text, bound as <c>match</c>; null when the query has none.</summary>
    public string? Match { get; }

    /// <summary>True for the sorts that follow creation order (<c>t.seq</c>).</summary>
    public bool CreationOrder => _query.Sort is TaskSort.CreatedAsc or TaskSort.CreatedDesc;

    /// <summary>
    /// The conditions of every filter, joined with AND; the search is among them only where the dialect
    /// makes it a plain condition. <paramref name="walking"/> writes each filter column as <c>+column</c>,
    /// which keeps SQLite's planner off the filter indexes so that it walks the table (or its full-text
    /// index) in creation order and stops at the page.
    /// </summary>
    public string Filters(bool walking)
    {
        string c(string column) => walking ? "+" + column : column;
        bool scoped = _dialect.SharesDatabaseBetweenWorkspaces;
        string ws = _dialect.Parameter("ws");
        var sql = new StringBuilder(c("t.workspace_id")).Append(" = ").Append(ws);
        if (_query.Statuses.Count > 0)
        {
            _dialect.AppendInList(sql, c("t.status"), "statuses", _query.Statuses.Count);
        }
        else if (!_query.IncludeArchived)
        {
            sql.Append(" AND ").Append(c("t.status")).Append(" <> 'archived'");
        }

        _dialect.AppendInList(sql, c("t.task_type"), "types", _query.Types.Count);
        _dialect.AppendInList(sql, c("t.specialist_type"), "specialists", _query.SpecialistTypes.Count);

        // The ranks carry the same information as the names and are the columns the indexes hold.
        _dialect.AppendInList(sql, c("t.complexity_rank"), "complexities", _query.Complexities.Count);
        _dialect.AppendInList(sql, c("t.priority_rank"), "priorities", _query.Priorities.Count);
        AppendIf(sql, _query.ParentId is not null, c("t.parent_id"), " = ", "parent");
        if (_query.RootsOnly)
        {
            sql.Append(" AND ").Append(c("t.parent_id")).Append(" IS NULL");
        }

        AppendIf(sql, _query.SessionId is not null, c("t.session_id"), " = ", "session");
        if (_query.SubtreeOf is not null)
        {
            sql.Append(" AND t.id IN (WITH RECURSIVE subtree(id) AS (SELECT ").Append(_dialect.TypedParameter("subtree", StoredType.Text))
                .Append(" UNION ALL SELECT c.id FROM task c JOIN subtree s ON ").Append(scoped ? $"c.workspace_id = {ws} AND " : string.Empty)
                .Append("c.parent_id = s.id) SELECT id FROM subtree)");
        }

        AppendIf(sql, _query.CreatedAfter is not null, c("t.created_at"), " >= ", "after");
        AppendIf(sql, _query.CreatedBefore is not null, c("t.created_at"), " < ", "before");
        if (_query.ReadyOnly || _query.WaitingOnly)
        {
            sql.Append(" AND ").Append(c("t.status")).Append(" = 'pending' AND ")
                .Append(_query.ReadyOnly ? "NOT EXISTS" : "EXISTS")
                .Append(" (SELECT 1 FROM dependency d JOIN task dt ON ").Append(scoped ? "dt.workspace_id = d.workspace_id AND " : string.Empty)
                .Append("dt.id = d.depends_on_id WHERE ").Append(scoped ? "d.workspace_id = t.workspace_id AND " : string.Empty)
                .Append("d.task_id = t.id AND d.kind = 'hard' AND NOT ")
                .Append(TaskRows.Satisfied("dt"))
                .Append(')');
        }

        if (Match is not null && _dialect.SearchCondition is { } search)
        {
            sql.Append(" AND ").Append(search);
        }

        return sql.ToString();
    }

    /// <summary>Binds every parameter <see cref="Filters"/> writes for this query, and <c>match</c> when it searches.</summary>
    public void Bind(DbCommand command, string workspaceId)
    {
        _dialect.Bind(command, _dialect.BoundName("ws"), workspaceId, StoredType.Text);
        if (_query.Statuses.Count > 0)
        {
            _dialect.BindList(command, "statuses", [.. _query.Statuses.Select(WireNames.Of)]);
        }

        if (_query.Types.Count > 0)
        {
            _dialect.BindList(command, "types", [.. _query.Types.Select(WireNames.Of)]);
        }

        if (_query.SpecialistTypes.Count > 0)
        {
            _dialect.BindList(command, "specialists", _query.SpecialistTypes);
        }

        if (_query.Complexities.Count > 0)
        {
            _dialect.BindList(command, "complexities", [.. _query.Complexities.Select(x => (int)x)]);
        }

        if (_query.Priorities.Count > 0)
        {
            _dialect.BindList(command, "priorities", [.. _query.Priorities.Select(x => (int)x)]);
        }

        BindIf(command, "parent", _query.ParentId, StoredType.Text);
        BindIf(command, "session", _query.SessionId, StoredType.Text);
        BindIf(command, "subtree", _query.SubtreeOf, StoredType.Text);
        BindIf(command, "after", StoredValues.MsOrNull(_query.CreatedAfter), StoredType.Int64);
        BindIf(command, "before", StoredValues.MsOrNull(_query.CreatedBefore), StoredType.Int64);
        BindIf(command, "match", Match, StoredType.Text);
    }

    private void AppendIf(StringBuilder sql, bool set, string column, string comparison, string parameter)
    {
        if (set)
        {
            sql.Append(" AND ").Append(column).Append(comparison).Append(_dialect.ParameterPrefix).Append(parameter);
        }
    }

    private void BindIf(DbCommand command, string name, object? value, StoredType type)
    {
        if (value is not null)
        {
            _dialect.Bind(command, _dialect.BoundName(name), value, type);
        }
    }
}
