using System.Text;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>
/// Builds the WHERE and ORDER BY of a task query. Only the filters a query sets appear in the SQL, so
/// SQLite plans each shape for the indexes it can use; list filters expand to one parameter per value.
/// </summary>
internal sealed class TaskQuerySql
{
    private readonly TaskQuery _query;
    private readonly string? _match;

    public TaskQuerySql(TaskQuery query)
    {
        _query = query;
        _match = query.SearchText is null ? null : FtsMatch(query.SearchText);
        Where = BuildWhere();
        OrderBy = BuildOrderBy(query.Sort);
    }

    public string Where { get; }

    public string OrderBy { get; }

    public void Bind(SqliteCommand command, string workspaceId)
    {
        command.With("$ws", workspaceId);
        command.BindList("st", _query.Statuses.Select(WireNames.Of).ToArray());
        command.BindList("ty", _query.Types.Select(WireNames.Of).ToArray());
        command.BindList("sp", _query.SpecialistTypes);
        command.BindList("cx", _query.Complexities.Select(WireNames.Of).ToArray());
        command.BindList("pr", _query.Priorities.Select(WireNames.Of).ToArray());
        if (_query.ParentId is not null)
        {
            command.With("$parent", _query.ParentId);
        }

        if (_query.SessionId is not null)
        {
            command.With("$session", _query.SessionId);
        }

        if (_query.SubtreeOf is not null)
        {
            command.With("$subtree", _query.SubtreeOf);
        }

        if (_query.CreatedAfter is { } after)
        {
            command.With("$after", Sql.Ms(after));
        }

        if (_query.CreatedBefore is { } before)
        {
            command.With("$before", Sql.Ms(before));
        }

        if (_match is not null)
        {
            command.With("$match", _match);
        }
    }

    /// <summary>
    /// Turns free text into an FTS5 query: every word must match, the last one as a prefix so that
    /// search-as-you-type works. Words are quoted, so FTS syntax in the text is never interpreted.
    /// </summary>
    internal static string FtsMatch(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        bool lastIsPrefix = current.Length > 0;
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        if (words.Count == 0)
        {
            throw Fail.Invalid("search_text", $"The search text '{text}' contains no letters or digits to search for.", "Search for one or more words from task titles or descriptions.");
        }

        var match = new StringBuilder();
        for (int i = 0; i < words.Count; i++)
        {
            match.Append(i == 0 ? string.Empty : " ").Append('"').Append(words[i]).Append('"');
            if (i == words.Count - 1 && lastIsPrefix)
            {
                match.Append('*');
            }
        }

        return match.ToString();
    }

    private string BuildWhere()
    {
        var sql = new StringBuilder("t.workspace_id = $ws");
        if (_query.Statuses.Count > 0)
        {
            sql.Append(" AND t.status IN (").Append(Sql.Placeholders("st", _query.Statuses.Count)).Append(')');
        }
        else if (!_query.IncludeArchived)
        {
            sql.Append(" AND t.status <> 'archived'");
        }

        AppendIn(sql, "t.task_type", "ty", _query.Types.Count);
        AppendIn(sql, "t.specialist_type", "sp", _query.SpecialistTypes.Count);
        AppendIn(sql, "t.complexity", "cx", _query.Complexities.Count);
        AppendIn(sql, "t.priority", "pr", _query.Priorities.Count);
        if (_query.ParentId is not null)
        {
            sql.Append(" AND t.parent_id = $parent");
        }

        if (_query.RootsOnly)
        {
            sql.Append(" AND t.parent_id IS NULL");
        }

        if (_query.SessionId is not null)
        {
            sql.Append(" AND t.session_id = $session");
        }

        if (_query.SubtreeOf is not null)
        {
            sql.Append(" AND t.id IN (WITH RECURSIVE subtree(id) AS (SELECT $subtree UNION ALL SELECT c.id FROM task c JOIN subtree s ON c.parent_id = s.id) SELECT id FROM subtree)");
        }

        if (_query.CreatedAfter is not null)
        {
            sql.Append(" AND t.created_at >= $after");
        }

        if (_query.CreatedBefore is not null)
        {
            sql.Append(" AND t.created_at < $before");
        }

        if (_match is not null)
        {
            sql.Append(" AND t.seq IN (SELECT rowid FROM task_fts WHERE task_fts MATCH $match)");
        }

        if (_query.ReadyOnly || _query.WaitingOnly)
        {
            sql.Append(" AND t.status = 'pending' AND ")
                .Append(_query.ReadyOnly ? "NOT EXISTS" : "EXISTS")
                .Append(" (SELECT 1 FROM dependency d JOIN task dt ON dt.id = d.depends_on_id WHERE d.task_id = t.id AND d.kind = 'hard' AND NOT ")
                .Append(TaskRows.Satisfied("dt"))
                .Append(')');
        }

        return sql.ToString();
    }

    private static void AppendIn(StringBuilder sql, string column, string prefix, int count)
    {
        if (count > 0)
        {
            sql.Append(" AND ").Append(column).Append(" IN (").Append(Sql.Placeholders(prefix, count)).Append(')');
        }
    }

    private static string BuildOrderBy(TaskSort sort) => sort switch
    {
        TaskSort.CreatedDesc => "t.seq DESC",
        TaskSort.UpdatedDesc => "t.updated_at DESC, t.seq DESC",
        TaskSort.Priority => "t.priority_rank DESC, t.complexity_rank ASC, t.seq ASC",
        TaskSort.DueDate => "t.due_at IS NULL, t.due_at ASC, t.seq ASC",
        TaskSort.Title => "t.title COLLATE NOCASE ASC, t.seq ASC",
        _ => "t.seq ASC",
    };
}
