using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Storage.Postgres.Transfer;
using TaskOrchestrator.Storage.Sqlite.Transfer;

namespace TaskOrchestrator.Server.Transfer;

/// <summary>
/// Keeps restore and migrate-store --replace from replacing a workspace under a running server, which would
/// go on writing into data that no longer exists (SQLite: a renamed file; PostgreSQL: deleted rows).
/// </summary>
internal static class LiveTargetGuard
{
    /// <summary>
    /// The server instances that heartbeat within <paramref name="ttl"/> on what a copy of workspace
    /// <paramref name="workspaceId"/> (root <paramref name="rootPath"/>) into <paramref name="target"/> would replace:
    /// the SQLite file's instances, or in PostgreSQL those of the workspace with that id or root folder.
    /// </summary>
    public static async Task<IReadOnlyList<LiveInstance>> FindAsync(StoreEndpoint target, string workspaceId, string rootPath, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (!target.IsSqlite)
        {
            return [.. (await PostgresTransfer.FindAsync(target.Value, workspaceId, rootPath, now, ttl, cancellationToken)).SelectMany(e => e.Live)];
        }

        var database = SqliteTransfer.ResolveDatabasePath(target.Value, mustExist: false);
        return File.Exists(database) ? await SqliteBackup.LiveInstancesAsync(database, now, ttl, cancellationToken) : [];
    }

    /// <summary>
    /// Throws <see cref="TransferFailure.Refused"/> naming the live instances, unless there are none or
    /// <paramref name="force"/> (then says so on <paramref name="output"/>); <paramref name="verb"/> is what the command does ("restoring").
    /// </summary>
    public static void Refuse(IReadOnlyList<LiveInstance> live, string where, bool force, string verb, TextWriter output)
    {
        if (live.Count == 0)
        {
            return;
        }

        var names = string.Join("; ", live);
        if (!force)
        {
            throw new TransferException(
                TransferFailure.Refused,
                $"A server is running on {where}: {names}. Nothing was changed.",
                $"Stop that server (or wait until its heartbeat is older than Health:InstanceTtl), then retry; --force goes on {verb} anyway.");
        }

        output.WriteLine($"--force: {verb} although a server is running ({names}); restart it afterwards.");
    }
}
