using TaskOrchestrator.Storage.Sqlite.Connections;

namespace TaskOrchestrator.Storage.Sqlite.Search;

/// <summary>
/// Brings the full-text index up to the tasks (migration 0005). A commit that creates tasks leaves
/// them past the mark <c>search_index.indexed_through</c>; they are indexed in one write unit, in the
/// background shortly after that commit, and before any search reads the index. The index is derived
/// data: the mark commits together with the entries it covers, so after a crash the tasks past it are
/// simply indexed again, and a search never sees a committed task missing.
/// </summary>
internal sealed class SqliteSearchIndex
{
    /// <summary>
    /// How long after a commit that created tasks the background batch runs: long enough that a burst of
    /// plans shares one batch and that the batch stays out of the way of the call that follows; short
    /// enough that a search seldom has to index anything itself.
    /// </summary>
    internal static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(100);

    private const string BehindSql = "SELECT (SELECT coalesce(max(seq), 0) FROM task) > indexed_through FROM search_index";

    /// <summary>
    /// Tasks indexed per write unit. A workspace imported whole, or a long crash backlog, is indexed in
    /// several short commits, so writers waiting for the lock wait for one chunk, not for the backlog.
    /// </summary>
    internal const int ChunkSize = 1_000;

    // The chunk is the tasks just past the mark, in order, so every task up to the new mark is indexed.
    private const string IndexSql =
        "INSERT INTO task_fts (rowid, title, description) SELECT seq, title, coalesce(description, '') FROM task"
        + " WHERE seq > (SELECT indexed_through FROM search_index) ORDER BY seq LIMIT $chunk";

    // Never lowered: a number at or below it that SQLite hands out again is indexed by the insert trigger.
    private const string MarkSql =
        "UPDATE search_index SET indexed_through = max(indexed_through, coalesce((SELECT max(seq) FROM"
        + " (SELECT seq FROM task WHERE seq > (SELECT indexed_through FROM search_index) ORDER BY seq LIMIT $chunk)), 0))";

    private readonly SqliteOrchestratorStore _store;
    private int _batchScheduled;

    public SqliteSearchIndex(SqliteOrchestratorStore store)
    {
        _store = store;
    }

    /// <summary>
    /// Indexes every task committed so far that the index does not hold yet, <see cref="ChunkSize"/> per
    /// write unit; returns the number of write units committed.
    /// </summary>
    public async ValueTask<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        int commits = 0;
        while (IsBehind())
        {
            await using var unit = (SqliteStoreUnit)await _store.BeginWriteAsync(cancellationToken);
            unit.Write(IndexSql).With("$chunk", ChunkSize).ExecuteNonQuery();
            unit.Write(MarkSql).With("$chunk", ChunkSize).ExecuteNonQuery();
            await unit.CommitAsync(cancellationToken);
            commits++;
        }

        return commits;
    }

    /// <summary>Schedules a background batch (after a commit that created tasks, or at open when tasks are past the mark), unless one is scheduled.</summary>
    public void ScheduleBatch()
    {
        if (Interlocked.Exchange(ref _batchScheduled, 1) == 0)
        {
            _ = RunBatchLaterAsync();
        }
    }

    /// <summary>Whether tasks were committed past the mark (read outside any unit: the latest commit).</summary>
    public bool IsBehind()
    {
        var connection = _store.RentConnection();
        try
        {
            // The connection's cached statement: every search asks, so it is compiled once per connection.
            return Convert.ToInt64(connection.Command(BehindSql).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
        }
        finally
        {
            _store.Release(connection, write: false);
        }
    }

    private async Task RunBatchLaterAsync()
    {
        try
        {
            await Task.Delay(BatchDelay).ConfigureAwait(false);

            // Cleared before the batch runs: tasks committed while it runs schedule the next one.
            Volatile.Write(ref _batchScheduled, 0);
            await CatchUpAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Nothing is lost: the tasks stay past the mark, and the next search indexes them itself,
            // reporting any failure to its caller. A store closed meanwhile ends up here too.
            Volatile.Write(ref _batchScheduled, 0);
        }
    }
}
