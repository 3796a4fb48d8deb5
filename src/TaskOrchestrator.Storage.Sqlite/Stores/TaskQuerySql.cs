using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>
/// Builds the SQL pieces of a task query. Only the filters a query sets appear in the SQL, each list
/// value as its own parameter. The filter conditions come in two forms: plain, so SQLite may use the
/// filter indexes, and "walking", where a unary <c>+</c> on each column keeps SQLite off those indexes
/// so that it walks the table (or the full-text index) in creation order and stops at the page.
/// </summary>
internal sealed class TaskQuerySql
{
    private readonly TaskQuery _query;

    public TaskQuerySql(TaskQuery query)
    {
        _query = query;
        Match = query.SearchText is null ? null : FtsMatch(query.SearchText);
    }

    /// <summary>The FTS5 expression of the search text, or null when the query has none.</summary>
    public string? Match { get; }

    /// <summary>True for the sorts that follow creation order, which the table and the FTS index both store rows in.</summary>
    public bool CreationOrder => _query.Sort is TaskSort.CreatedAsc or TaskSort.CreatedDesc;

    /// <summary>The conditions of every filter except the search, joined with AND.</summary>
    public string Filters(bool walking)
    {
        string c(string column) => walking ? "+" + column : column;
        var sql = new StringBuilder(c("t.workspace_id")).Append(" = $ws");
        if (_query.Statuses.Count > 0)
        {
            sql.Append(" AND ").Append(c("t.status")).Append(" IN (").Append(Sql.Placeholders("st", _query.Statuses.Count)).Append(')');
        }
        else if (!_query.IncludeArchived)
        {
            sql.Append(" AND ").Append(c("t.status")).Append(" <> 'archived'");
        }

        AppendIn(sql, c("t.task_type"), "ty", _query.Types.Count);
        AppendIn(sql, c("t.specialist_type"), "sp", _query.SpecialistTypes.Count);

        // The ranks carry the same information as the names and are the columns the indexes hold.
        AppendIn(sql, c("t.complexity_rank"), "cx", _query.Complexities.Count);
        AppendIn(sql, c("t.priority_rank"), "pr", _query.Priorities.Count);
        if (_query.ParentId is not null)
        {
            sql.Append(" AND ").Append(c("t.parent_id")).Append(" = $parent");
        }

        if (_query.RootsOnly)
        {
            sql.Append(" AND ").Append(c("t.parent_id")).Append(" IS NULL");
        }

        if (_query.SessionId is not null)
        {
            sql.Append(" AND ").Append(c("t.session_id")).Append(" = $session");
        }

        if (_query.SubtreeOf is not null)
        {
            sql.Append(" AND t.id IN (WITH RECURSIVE subtree(id) AS (SELECT $subtree UNION ALL SELECT c.id FROM task c JOIN subtree s ON c.parent_id = s.id) SELECT id FROM subtree)");
        }

        if (_query.CreatedAfter is not null)
        {
            sql.Append(" AND ").Append(c("t.created_at")).Append(" >= $after");
        }

        if (_query.CreatedBefore is not null)
        {
            sql.Append(" AND ").Append(c("t.created_at")).Append(" < $before");
        }

        if (_query.ReadyOnly || _query.WaitingOnly)
        {
            sql.Append(" AND ").Append(c("t.status")).Append(" = 'pending' AND ")
                .Append(_query.ReadyOnly ? "NOT EXISTS" : "EXISTS")
                .Append(" (SELECT 1 FROM dependency d JOIN task dt ON dt.id = d.depends_on_id WHERE d.task_id = t.id AND d.kind = 'hard' AND NOT ")
                .Append(TaskRows.Satisfied("dt"))
                .Append(')');
        }

        return sql.ToString();
    }

    /// <summary>The ORDER BY of the query; in creation order over the FTS index, by its rowid, which it yields in order.</summary>
    public string OrderBy(bool overFts) => _query.Sort switch
    {
        TaskSort.CreatedAsc => overFts ? "task_fts.rowid ASC" : "t.seq ASC",
        TaskSort.CreatedDesc => overFts ? "task_fts.rowid DESC" : "t.seq DESC",
        TaskSort.UpdatedDesc => "t.updated_at DESC, t.seq DESC",
        TaskSort.Priority => "t.priority_rank DESC, t.complexity_rank ASC, t.seq ASC",
        TaskSort.DueDate => "t.due_at IS NULL, t.due_at ASC, t.seq ASC",
        TaskSort.Title => "t.title COLLATE NOCASE ASC, t.seq ASC",
        _ => "t.seq ASC",
    };

    public void Bind(SqliteCommand command, string workspaceId)
    {
        command.With("$ws", workspaceId);
        command.BindList("st", _query.Statuses.Select(WireNames.Of).ToArray());
        command.BindList("ty", _query.Types.Select(WireNames.Of).ToArray());
        command.BindList("sp", _query.SpecialistTypes);
        command.BindList("cx", _query.Complexities.Select(c => (int)c).ToArray());
        command.BindList("pr", _query.Priorities.Select(p => (int)p).ToArray());
        BindIf(command, "$parent", _query.ParentId);
        BindIf(command, "$session", _query.SessionId);
        BindIf(command, "$subtree", _query.SubtreeOf);
        BindIf(command, "$after", _query.CreatedAfter is { } after ? Sql.Ms(after) : null);
        BindIf(command, "$before", _query.CreatedBefore is { } before ? Sql.Ms(before) : null);
        BindIf(command, "$match", Match);
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

    private static void BindIf(SqliteCommand command, string name, object? value)
    {
        if (value is not null)
        {
            command.With(name, value);
        }
    }

    private static void AppendIn(StringBuilder sql, string column, string prefix, int count)
    {
        if (count > 0)
        {
            sql.Append(" AND ").Append(column).Append(" IN (").Append(Sql.Placeholders(prefix, count)).Append(')');
        }
    }
}
