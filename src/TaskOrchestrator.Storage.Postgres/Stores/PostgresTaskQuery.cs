using Npgsql;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>
/// Runs a task query: the filters are the shared <see cref="TaskFilterSql"/> in PostgreSQL's dialect, each
/// list one array parameter, a search one more condition on the GIN-indexed <c>search</c> column with the
/// same word rules as the SQLite backend (<see cref="SearchWords"/>). When the query allows it, counting
/// stops at <see cref="CountCap"/> and reports a lower bound. Every page is read one row long, so <see cref="TaskPage.HasMore"/> is always exact.
/// </summary>
internal sealed class PostgresTaskQuery
{
    /// <summary>Counts stop here when approximation is allowed.</summary>
    internal const int CountCap = 10_000;

    private readonly PostgresStoreUnit _unit;
    private readonly TaskQuery _query;
    private readonly TaskFilterSql _sql;

    public PostgresTaskQuery(PostgresStoreUnit unit, TaskQuery query)
    {
        _unit = unit;
        _query = query;
        _sql = new TaskFilterSql(query, PostgresDialect.Instance);
    }

    public async Task<TaskPage> RunAsync(CancellationToken cancellationToken)
    {
        var where = _sql.Filters(walking: false);
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
        _sql.Bind(command, _unit.WorkspaceId);
        return command;
    }
}
