using TaskOrchestrator.Core.Common;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// Brings a database's schema to the newest of a backend's <see cref="MigrationScripts"/>, each applied
/// script recorded in <c>schema_version</c>. The backend runs this inside one transaction of its own while
/// holding its own lock (SQLite's write lock, a PostgreSQL advisory lock), so that processes starting
/// together migrate once and a crash mid-migration leaves the previous version intact; it supplies how a
/// statement runs in that transaction.
/// </summary>
internal abstract class MigrationRunner
{
    private const string AppliedVersionSql = "SELECT coalesce(max(version), 0) FROM schema_version";

    protected MigrationRunner(MigrationScripts scripts)
    {
        Scripts = scripts;
    }

    public MigrationScripts Scripts { get; }

    /// <summary>
    /// The backend's <c>CREATE TABLE IF NOT EXISTS schema_version (version, name, applied_at)</c>, in its own
    /// column types; applied_at holds Unix milliseconds.
    /// </summary>
    protected abstract string CreateVersionTableSql { get; }

    /// <summary>
    /// Applies every script newer than the database's version and returns the version it was at.
    /// Refuses a database newer than this build: its schema may mean things this build does not know.
    /// </summary>
    public async Task<int> RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        await ExecuteAsync(CreateVersionTableSql, "creating the schema_version table", cancellationToken);
        int applied = await ScalarIntAsync(AppliedVersionSql, cancellationToken);
        if (applied > Scripts.Latest)
        {
            throw NewerSchema(applied, Scripts.Latest);
        }

        foreach (var script in Scripts.All)
        {
            if (script.Version > applied)
            {
                await ExecuteAsync(script.Sql, $"applying migration {script.Name}", cancellationToken);
                await RecordAsync(script, StoredValues.Ms(time.Now()), cancellationToken);
            }
        }

        return applied;
    }

    /// <summary>Runs <paramref name="sql"/>, which may hold several statements, in the migration's transaction.</summary>
    protected abstract Task ExecuteAsync(string sql, string doing, CancellationToken cancellationToken);

    /// <summary>Runs a query of one integer in the migration's transaction.</summary>
    protected abstract Task<int> ScalarIntAsync(string sql, CancellationToken cancellationToken);

    /// <summary>Inserts the <c>schema_version</c> row of <paramref name="script"/>, applied at <paramref name="appliedAtMs"/>.</summary>
    protected abstract Task RecordAsync(MigrationScript script, long appliedAtMs, CancellationToken cancellationToken);

    /// <summary>The error for a database at <paramref name="applied"/>, newer than this build's <paramref name="latest"/>, in the backend's words.</summary>
    protected abstract Exception NewerSchema(int applied, int latest);
}
