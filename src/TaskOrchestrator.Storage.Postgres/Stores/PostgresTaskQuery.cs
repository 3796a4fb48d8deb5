using System.Text;
using Npgsql;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>
/// Runs a task query: only the filters a query sets appear in the SQL, each list as one array parameter.
/// A search matches the GIN-indexed <c>search</c> column with the same word rules as the SQLite backend:
/// every word must match, the last one also as a prefix, and search syntax in the text is never
/// interpreted. When the query allows it, counting stops at <see cref="CountCap"/> and reports a lower
/// bound. Every page is read one row long, so <see cref="TaskPage.HasMore"/> is always exact.
/// </summary>
internal sealed class PostgresTaskQuery
{
    /// <summary>Counts stop here when approximation is allowed.</summary>
    internal const int CountCap = 10_000;

    private readonly PostgresStoreUnit _unit;
    private readonly TaskQuery _query;
    private readonly string? _match;

    public PostgresTaskQuery(PostgresStoreUnit unit, TaskQuery query)
    {
        _unit = unit;
        _query = query;
        _match = query.SearchText is null ? null : TsQuery(query.SearchText);
    }

    public async Task<TaskPage> RunAsync(CancellationToken cancellationToken)
    {
        var where = Filters();
        bool capped = _query.AllowApproximateCount;
        var countSql = capped
            ? $"SELECT count(*)::int FROM (SELECT 1 FROM task t WHERE {where} LIMIT @cap) capped"
            : $"SELECT count(*)::int FROM task t WHERE {where}";
        var count = Bind(_unit.Read(countSql));
        if (capped)
        {
            count.With("cap", CountCap + 1);
        }

        int matches = (int)(await _unit.ScalarAsync(count, cancellationToken))!;
        bool exact = !capped || matches <= CountCap;

        var page = Bind(_unit.Read($"SELECT {TaskRows.Columns} FROM task t WHERE {where} ORDER BY {OrderBy()} LIMIT @fetch OFFSET @offset"))
            .With("fetch", _query.Limit + 1).With("offset", _query.Offset);
        var items = await _unit.ListAsync(page, TaskRows.Read, cancellationToken);
        bool hasMore = items.Count > _query.Limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new TaskPage(items, exact ? matches : CountCap, hasMore, exact);
    }

    /// <summary>The conditions of every filter, joined with AND.</summary>
    private string Filters()
    {
        var sql = new StringBuilder("t.workspace_id = @ws");
        if (_query.Statuses.Count > 0)
        {
            sql.Append(" AND t.status = ANY(@statuses)");
        }
        else if (!_query.IncludeArchived)
        {
            sql.Append(" AND t.status <> 'archived'");
        }

        if (_query.Types.Count > 0)
        {
            sql.Append(" AND t.task_type = ANY(@types)");
        }

        if (_query.SpecialistTypes.Count > 0)
        {
            sql.Append(" AND t.specialist_type = ANY(@specialists)");
        }

        // The ranks carry the same information as the names and are the columns the indexes hold.
        if (_query.Complexities.Count > 0)
        {
            sql.Append(" AND t.complexity_rank = ANY(@complexities)");
        }

        if (_query.Priorities.Count > 0)
        {
            sql.Append(" AND t.priority_rank = ANY(@priorities)");
        }

        if (_query.ParentId is not null)
        {
            sql.Append(" AND t.parent_id = @parent");
        }

        if (_query.RootsOnly)
        {
            sql.Append(" AND t.parent_id IS NULL");
        }

        if (_query.SessionId is not null)
        {
            sql.Append(" AND t.session_id = @session");
        }

        if (_query.SubtreeOf is not null)
        {
            sql.Append(" AND t.id IN (WITH RECURSIVE subtree(id) AS (SELECT @subtree::text UNION ALL SELECT c.id FROM task c JOIN subtree s ON c.workspace_id = @ws AND c.parent_id = s.id) SELECT id FROM subtree)");
        }

        if (_query.CreatedAfter is not null)
        {
            sql.Append(" AND t.created_at >= @after");
        }

        if (_query.CreatedBefore is not null)
        {
            sql.Append(" AND t.created_at < @before");
        }

        if (_query.ReadyOnly || _query.WaitingOnly)
        {
            sql.Append(" AND t.status = 'pending' AND ")
                .Append(_query.ReadyOnly ? "NOT EXISTS" : "EXISTS")
                .Append(" (SELECT 1 FROM dependency d JOIN task dt ON dt.workspace_id = d.workspace_id AND dt.id = d.depends_on_id WHERE d.workspace_id = t.workspace_id AND d.task_id = t.id AND d.kind = 'hard' AND NOT ")
                .Append(TaskRows.Satisfied("dt"))
                .Append(')');
        }

        if (_match is not null)
        {
            sql.Append(" AND t.search @@ to_tsquery('simple', @match)");
        }

        return sql.ToString();
    }

    // Text sorts fold case and then compare code points, as SQLite's NOCASE does, whatever the database's collation.
    private string OrderBy() => _query.Sort switch
    {
        TaskSort.CreatedAsc => "t.seq ASC",
        TaskSort.CreatedDesc => "t.seq DESC",
        TaskSort.UpdatedDesc => "t.updated_at DESC, t.seq DESC",
        TaskSort.Priority => "t.priority_rank DESC, t.complexity_rank ASC, t.seq ASC",
        TaskSort.DueDate => "t.due_at ASC NULLS LAST, t.seq ASC",
        TaskSort.Title => "lower(t.title) COLLATE \"C\" ASC, t.seq ASC",
        _ => "t.seq ASC",
    };

    private NpgsqlCommand Bind(NpgsqlCommand command)
    {
        command.With("ws", _unit.WorkspaceId);
        if (_query.Statuses.Count > 0)
        {
            command.With("statuses", _query.Statuses.Select(WireNames.Of));
        }

        if (_query.Types.Count > 0)
        {
            command.With("types", _query.Types.Select(WireNames.Of));
        }

        if (_query.SpecialistTypes.Count > 0)
        {
            command.With("specialists", _query.SpecialistTypes);
        }

        if (_query.Complexities.Count > 0)
        {
            command.With("complexities", _query.Complexities.Select(c => (int)c));
        }

        if (_query.Priorities.Count > 0)
        {
            command.With("priorities", _query.Priorities.Select(p => (int)p));
        }

        BindIf(command, "parent", _query.ParentId);
        BindIf(command, "session", _query.SessionId);
        BindIf(command, "subtree", _query.SubtreeOf);
        BindIf(command, "match", _match);
        if (_query.CreatedAfter is { } after)
        {
            command.With("after", Pg.Ms(after));
        }

        if (_query.CreatedBefore is { } before)
        {
            command.With("before", Pg.Ms(before));
        }

        return command;
    }

    private static void BindIf(NpgsqlCommand command, string name, string? value)
    {
        if (value is not null)
        {
            command.With(name, value);
        }
    }

    /// <summary>
    /// Turns free text into a tsquery: every run of letters and digits is a word that must match, the last
    /// one as a prefix too so that search-as-you-type works (the same rule as the SQLite backend's FTS5
    /// query). Words are quoted and hold only letters and digits, so no tsquery syntax is ever interpreted.
    /// </summary>
    internal static string TsQuery(string text)
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

        var query = new StringBuilder();
        for (int i = 0; i < words.Count; i++)
        {
            query.Append(i == 0 ? string.Empty : " & ").Append('\'').Append(words[i].ToLowerInvariant()).Append('\'');
            if (i == words.Count - 1 && lastIsPrefix)
            {
                query.Append(":*");
            }
        }

        return query.ToString();
    }
}
