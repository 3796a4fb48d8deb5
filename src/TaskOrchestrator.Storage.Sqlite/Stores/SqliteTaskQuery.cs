using System.Globalization;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>
/// Runs a task query so that its cost stays flat as the workspace grows (see docs/PERFORMANCE.md).
/// <list type="bullet">
/// <item>A search drives from the full-text index: in creation order the page is read straight off the
/// index and the scan stops at the page; other orders sort the matches, counting them in the same pass.</item>
/// <item>Filters alone count first through the indexes; a large match set in creation order is then
/// read by walking the table in that order, a small one through the indexes and a sort.</item>
/// <item>When the query allows it, counting stops at a bound: filters report a lower bound, a search
/// estimates its total from the match density its page scan already saw.</item>
/// </list>
/// Every page is read one row long, so <see cref="TaskPage.HasMore"/> is always exact.
/// </summary>
internal sealed class SqliteTaskQuery
{
    /// <summary>Filter-only counts stop here when approximation is allowed (index entries are cheap to count).</summary>
    internal const int FilterCountCap = 10_000;

    /// <summary>A search counts the candidates after its page exactly when there are at most this many.</summary>
    internal const int SearchExactRemainder = 1_000;

    /// <summary>Above this many matches, creation order is found faster by walking the table than by sorting.</summary>
    private const int WalkThreshold = 2_000;

    private const string FtsFrom = "task_fts CROSS JOIN task t ON t.seq = task_fts.rowid";

    private readonly SqliteStoreUnit _unit;
    private readonly TaskQuery _query;
    private readonly TaskFilterSql _sql;

    public SqliteTaskQuery(SqliteStoreUnit unit, TaskQuery query)
    {
        _unit = unit;
        _query = query;
        _sql = new TaskFilterSql(query, SqliteDialect.Instance);
    }

    public TaskPage Run() => _sql.Match is null ? RunFilters() : _sql.CreationOrder ? RunSearchInCreationOrder() : RunSearchSorted();

    private TaskPage RunFilters()
    {
        bool capped = _query.AllowApproximateCount;
        var countSql = capped
            ? $"SELECT count(*) FROM (SELECT 1 FROM task t WHERE {_sql.Filters(walking: false)} LIMIT $cap)"
            : $"SELECT count(*) FROM task t WHERE {_sql.Filters(walking: false)}";
        var count = Bound(_unit.Read(countSql));
        if (capped)
        {
            count.With("$cap", FilterCountCap + 1);
        }

        int matches = Scalar(count);
        bool exact = matches <= FilterCountCap || !capped;
        int total = exact ? matches : FilterCountCap;

        bool walk = _sql.CreationOrder && matches > WalkThreshold;
        var page = Bound(_unit.Read($"SELECT {TaskRows.Columns} FROM task t WHERE {_sql.Filters(walk)} ORDER BY {OrderBy(overFts: false)} LIMIT $fetch OFFSET $offset"));
        var items = ReadPage(page);
        bool hasMore = items.Count > _query.Limit;
        return new TaskPage(Trim(items), total, hasMore, exact);
    }

    private TaskPage RunSearchInCreationOrder()
    {
        var page = Bound(_unit.Read($"SELECT {TaskRows.Columns}, t.seq FROM {FtsFrom} WHERE task_fts MATCH $match AND {_sql.Filters(walking: true)} ORDER BY {OrderBy(overFts: true)} LIMIT $fetch OFFSET $offset"));
        var items = new List<TaskRecord>();
        long lastSeq = 0;
        using (var reader = page.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(TaskRows.Read(reader));
                lastSeq = reader.GetInt64(TaskRows.ColumnCount);
            }
        }

        bool hasMore = items.Count > _query.Limit;
        if (!hasMore)
        {
            // The scan reached the last match: the total is known, unless the page lies past the end.
            int total = items.Count > 0 || _query.Offset == 0 ? _query.Offset + items.Count : CountSearch(null);
            return new TaskPage(items, total, false, true);
        }

        // More matches lie beyond the page's extra row (lastSeq). Count them exactly when few candidates
        // remain; otherwise extrapolate from the share of candidates that matched up to lastSeq.
        int matchedSoFar = _query.Offset + items.Count;
        string beyond = _query.Sort == TaskSort.CreatedDesc ? "<" : ">";
        int remainingCandidates = CountCandidates($"AND task_fts.rowid {beyond} $last", lastSeq);
        if (!_query.AllowApproximateCount || remainingCandidates <= SearchExactRemainder)
        {
            return new TaskPage(Trim(items), matchedSoFar + CountSearch((beyond, lastSeq)), true, true);
        }

        int scannedCandidates = CountCandidates($"AND task_fts.rowid {(beyond == ">" ? "<=" : ">=")} $last", lastSeq);
        double density = (double)matchedSoFar / Math.Max(1, scannedCandidates);
        int estimate = matchedSoFar + (int)Math.Round(density * remainingCandidates, MidpointRounding.AwayFromZero);
        return new TaskPage(Trim(items), estimate, true, false);
    }

    private TaskPage RunSearchSorted()
    {
        // Any order but creation order needs every match to sort; the window counts them in that same pass.
        var page = Bound(_unit.Read($"SELECT {TaskRows.Columns}, count(*) OVER () FROM {FtsFrom} WHERE task_fts MATCH $match AND {_sql.Filters(walking: true)} ORDER BY {OrderBy(overFts: true)} LIMIT $fetch OFFSET $offset"));
        var items = new List<TaskRecord>();
        int total = -1;
        using (var reader = page.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(TaskRows.Read(reader));
                total = reader.GetInt32(TaskRows.ColumnCount);
            }
        }

        if (total < 0)
        {
            total = CountSearch(null);
        }

        bool hasMore = items.Count > _query.Limit;
        return new TaskPage(Trim(items), total, hasMore, true);
    }

    /// <summary>
    /// The ORDER BY of the query; in creation order over the FTS index, by its rowid, which it yields in order.
    /// Title order folds case with NOCASE, which PostgreSQL's lower() ... COLLATE "C" reproduces.
    /// </summary>
    private string OrderBy(bool overFts) => _query.Sort switch
    {
        TaskSort.CreatedAsc => overFts ? "task_fts.rowid ASC" : "t.seq ASC",
        TaskSort.CreatedDesc => overFts ? "task_fts.rowid DESC" : "t.seq DESC",
        TaskSort.UpdatedDesc => "t.updated_at DESC, t.seq DESC",
        TaskSort.Priority => "t.priority_rank DESC, t.complexity_rank ASC, t.seq ASC",
        TaskSort.DueDate => "t.due_at IS NULL, t.due_at ASC, t.seq ASC",
        TaskSort.Title => "t.title COLLATE NOCASE ASC, t.seq ASC",
        _ => "t.seq ASC",
    };

    /// <summary>The matches of the search, all of them or only those past a row of the FTS index.</summary>
    private int CountSearch((string Comparison, long Seq)? beyond)
    {
        var where = beyond is { } b ? $" AND task_fts.rowid {b.Comparison} $last" : string.Empty;
        var count = Bound(_unit.Read($"SELECT count(*) FROM {FtsFrom} WHERE task_fts MATCH $match AND {_sql.Filters(walking: true)}{where}"));
        if (beyond is { } past)
        {
            count.With("$last", past.Seq);
        }

        return Scalar(count);
    }

    /// <summary>Rows of the FTS index matching the search text alone (no filters), in a rowid range.</summary>
    private int CountCandidates(string range, long seq) =>
        Scalar(_unit.Read($"SELECT count(*) FROM task_fts WHERE task_fts MATCH $match {range}").With("$match", _sql.Match!).With("$last", seq));

    private Microsoft.Data.Sqlite.SqliteCommand Bound(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        _sql.Bind(command, _unit.WorkspaceId);
        if (command.CommandText.Contains("$fetch", StringComparison.Ordinal))
        {
            command.With("$fetch", _query.Limit + 1).With("$offset", _query.Offset);
        }

        return command;
    }

    private List<TaskRecord> Trim(List<TaskRecord> items)
    {
        if (items.Count > _query.Limit)
        {
            items.RemoveAt(items.Count - 1);
        }

        return items;
    }

    private static List<TaskRecord> ReadPage(Microsoft.Data.Sqlite.SqliteCommand command) => command.ReadAll(TaskRows.Read);

    private static int Scalar(Microsoft.Data.Sqlite.SqliteCommand command) =>
        Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
}
