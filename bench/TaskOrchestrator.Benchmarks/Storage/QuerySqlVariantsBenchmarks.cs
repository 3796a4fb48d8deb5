using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Bench.Shared;
using TaskOrchestrator.Benchmarks.Infrastructure;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Benchmarks.Storage;

/// <summary>
/// The SQL of the benchmark query (page of 50, status and priority filters, search text) run directly
/// on a seeded workspace file with the store's SQLite build, as shipped and with candidate fixes: the
/// evidence behind the query recommendations in docs/PERFORMANCE.md. Each case runs page and count,
/// as the store does when the page is full.
/// </summary>
/// <remarks>
/// <see cref="Current"/> mirrors the text SqliteTaskQuery builds (its filters from Core's TaskFilterSql) for this
/// query shape; setup checks that it returns the same page as the store, so a change in the store shows up as a failed setup.
/// </remarks>
[BenchmarkCategory("storage", "sql")]
public class QuerySqlVariantsBenchmarks
{
    private const string Columns =
        "t.id, t.workspace_id, t.session_id, t.parent_id, t.title, t.description, t.task_type, t.specialist_type, " +
        "t.complexity, t.priority, t.status, t.version, t.context_json, t.estimated_effort, t.due_at, t.created_at, " +
        "t.updated_at, t.started_at, t.completed_at, t.assigned_agent, t.status_reason, t.result_summary";

    private const string Where =
        "t.workspace_id = $ws AND t.status IN ($st0) AND t.priority IN ($pr0) AND t.seq IN (SELECT rowid FROM task_fts WHERE task_fts MATCH $match)";

    // The other predicates with a unary '+': no index can serve them, so the FTS rowid list drives.
    private const string WherePlus =
        "+t.workspace_id = $ws AND +t.status IN ($st0) AND +t.priority IN ($pr0) AND t.seq IN (SELECT rowid FROM task_fts WHERE task_fts MATCH $match)";

    // Joined from the FTS table, which yields rowids in order: no IN-list to build, no sort, stops at the limit.
    private const string FromFts =
        "FROM task_fts f CROSS JOIN task t ON t.seq = f.rowid WHERE f.task_fts MATCH $match AND t.workspace_id = $ws AND t.status IN ($st0) AND t.priority IN ($pr0)";

    private const string Page = $"SELECT {Columns} FROM task t WHERE {Where} ORDER BY t.seq ASC LIMIT 50 OFFSET 0";
    private const string Count = $"SELECT count(*) FROM task t WHERE {Where}";
    private const string PagePlus = $"SELECT {Columns} FROM task t WHERE {WherePlus} ORDER BY t.seq ASC LIMIT 50 OFFSET 0";
    private const string CountPlus = $"SELECT count(*) FROM task t WHERE {WherePlus}";
    private const string PageFts = $"SELECT {Columns} {FromFts} ORDER BY f.rowid ASC LIMIT 50 OFFSET 0";
    private const string CountFtsCapped = $"SELECT count(*) FROM (SELECT 1 {FromFts} LIMIT 201)";
    private const string CountFtsOnly = "SELECT count(*) FROM task_fts WHERE task_fts MATCH $match";
    private const string CoveringIndex = "CREATE INDEX ix_task_seq_filters ON task (seq, workspace_id, status, priority)";

    private BenchStore _store = null!;
    private SqliteConnection _connection = null!;
    private string[] _matches = [];
    private int _next;

    [Params(1_000, 100_000)]
    public int Tasks { get; set; }

    [GlobalSetup(Targets = [nameof(Current), nameof(UnaryPlus), nameof(FtsJoinCappedCount), nameof(FtsOnlyCount)])]
    public Task SetupAsIsAsync() => SetupAsync();

    [GlobalSetup(Target = nameof(Analyzed))]
    public Task SetupAnalyzedAsync() => SetupAsync("ANALYZE");

    [GlobalSetup(Target = nameof(UnaryPlusCoveringCount))]
    public Task SetupCoveringAsync() => SetupAsync(CoveringIndex);

    [Benchmark(Baseline = true, Description = "as shipped: page + count")]
    public long Current() => Run(Page, Count);

    [Benchmark(Description = "after ANALYZE: page + count")]
    public long Analyzed() => Run(Page, Count);

    [Benchmark(Description = "unary + on other predicates: page + count")]
    public long UnaryPlus() => Run(PagePlus, CountPlus);

    [Benchmark(Description = "unary +, covering index for the count: page + count")]
    public long UnaryPlusCoveringCount() => Run(PagePlus, Count);

    [Benchmark(Description = "joined from FTS in rowid order: page + count capped at 201")]
    public long FtsJoinCappedCount() => Run(PageFts, CountFtsCapped);

    [Benchmark(Description = "reference: FTS match count alone")]
    public long FtsOnlyCount() => Scalar(CountFtsOnly, _matches[_next++ % _matches.Length]);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _connection.Dispose();
        await _store.DisposeAsync();
    }

    private async Task SetupAsync(string? prepare = null)
    {
        _store = await SeededWorkspace.OpenCopyAsync("to-bench-sql", Tasks);
        _connection = new SqliteConnection($"Data Source={SqliteStoreProvider.DatabasePath(_store.Folder.Path)};Pooling=False");
        _connection.Open();
        using (var pragmas = _connection.CreateCommand())
        {
            // The store's per-connection settings that matter for reads.
            pragmas.CommandText = "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8192;" + (prepare is null ? string.Empty : prepare + ";");
            pragmas.ExecuteNonQuery();
        }

        _matches = [.. TaskCorpus.SearchWords.Select(w => $"\"{w}\"*")];
        await EnsureSameAsStoreAsync();
    }

    private async Task EnsureSameAsStoreAsync()
    {
        await using var unit = await _store.Store.BeginReadAsync(CancellationToken.None);
        var page = await unit.Tasks.QueryAsync(
            new TaskQuery { Statuses = [TaskItemStatus.Pending], Priorities = [TaskPriority.High], SearchText = TaskCorpus.SearchWords[0], Limit = 50 },
            CancellationToken.None);
        var expected = page.Items.Select(t => t.Id).ToArray();
        foreach (var sql in new[] { Page, PagePlus, PageFts })
        {
            using var command = Command(sql, _matches[0]);
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            if (!ids.SequenceEqual(expected))
            {
                throw new InvalidOperationException(sql == Page
                    ? "The SQL mirrored here no longer returns what the store returns: update it from SqliteTaskQuery and TaskFilterSql."
                    : $"A candidate query returns a different page than the store: {sql}");
            }
        }
    }

    private long Run(string pageSql, string countSql)
    {
        var match = _matches[_next++ % _matches.Length];
        long rows = 0;
        using (var page = Command(pageSql, match))
        using (var reader = page.ExecuteReader())
        {
            while (reader.Read())
            {
                // Materialize every column, as TaskRows.Read does.
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows++;
            }
        }

        return rows == 50 ? Scalar(countSql, match) : rows;
    }

    private long Scalar(string sql, string match)
    {
        using var command = Command(sql, match);
        return (long)command.ExecuteScalar()!;
    }

    private SqliteCommand Command(string sql, string match)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        if (sql.Contains("$ws", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$ws", _store.Store.Workspace.Id);
            command.Parameters.AddWithValue("$st0", "pending");
            command.Parameters.AddWithValue("$pr0", "high");
        }

        command.Parameters.AddWithValue("$match", match);
        return command;
    }
}
