using System.CommandLine;
using Microsoft.Extensions.Configuration;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Server.Transfer;
using TaskOrchestrator.Storage.Postgres.Transfer;
using TaskOrchestrator.Storage.Sqlite.Transfer;

namespace TaskOrchestrator.Server.Cli;

/// <summary>
/// <c>task-orchestrator restore --input FILE --to sqlite:PATH|postgres:CONNECTION [--force]</c>: verifies the backup
/// first, refuses while a live server instance holds the workspace (unless --force), keeps what it replaces aside
/// (SQLite: the database renamed <c>orchestrator.db.replaced-&lt;time&gt;</c>; PostgreSQL: the workspace exported
/// into a SQLite file beside the backup), then puts the backup in place. Exit codes as migrate-store's.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(Option<string?> config)
    {
        var input = new Option<string>("--input", "-i")
        {
            Description = "The backup file, as written by task-orchestrator backup.",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "Where to restore: sqlite:PATH (a workspace folder or its database file) or postgres:CONNECTION (postgres: alone takes TASK_ORCHESTRATOR_CONNECTION_STRING).",
            Required = true,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Restore even though a server instance of the workspace heartbeat within Health:InstanceTtl (30 s by default; read from --config and TASK_ORCHESTRATOR__Health__InstanceTtl); that server keeps writing to the replaced data until it restarts.",
        };
        var command = new Command(
            "restore",
            "Restore a workspace from a backup file, verified first; the replaced data is kept aside, never deleted. Refuses while a server instance holds the workspace. Exit codes: 0 done; 2 bad input; 3 refused; 4 verification failed; 5 store failed.")
        {
            input,
            to,
            force,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            TimeSpan ttl;
            try
            {
                ttl = InstanceTtl(parse.GetValue(config));
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"task-orchestrator restore: the configuration cannot be read: {ex.Message}");
                return Task.FromResult((int)TransferFailure.InvalidInput);
            }

            return RunAsync(parse.GetValue(input), parse.GetValue(to), parse.GetValue(force), ttl, TimeProvider.System, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Health:InstanceTtl as the servers see it (the --config file, then TASK_ORCHESTRATOR__ variables), so "live" means what the sweeper means.</summary>
    public static TimeSpan InstanceTtl(string? configFile)
    {
        var health = new HealthOptions();
        SuperviseCommand.LoadConfiguration(configFile).GetSection(HealthOptions.Section).Bind(health);
        return health.InstanceTtl;
    }

    public static async Task<int> RunAsync(string? inputPath, string? toText, bool force, TimeSpan instanceTtl, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(inputPath))
            {
                throw new TransferException(TransferFailure.InvalidInput, "--input is required.", "Pass --input with a file made by task-orchestrator backup.");
            }

            var target = StoreEndpoint.Parse("--to", toText);
            var facts = await SqliteBackup.VerifyAsync(Path.GetFullPath(inputPath), cancellationToken);
            output.WriteLine("Backup verified:");
            TransferConsole.WriteFacts(output, facts);
            return target.IsSqlite
                ? await RestoreSqliteAsync(facts, target, force, instanceTtl, time, output, cancellationToken)
                : await RestorePostgresAsync(facts, target, force, instanceTtl, time, output, cancellationToken);
        }
        catch (Exception ex) when (TransferConsole.Handles(ex))
        {
            return TransferConsole.Fail("restore", ex, error);
        }
    }

    private static async Task<int> RestoreSqliteAsync(BackupFacts facts, StoreEndpoint target, bool force, TimeSpan ttl, TimeProvider time, TextWriter output, CancellationToken cancellationToken)
    {
        var database = SqliteTransfer.ResolveDatabasePath(target.Value, mustExist: false);
        if (string.Equals(database, facts.Path, StringComparison.Ordinal))
        {
            throw new TransferException(TransferFailure.InvalidInput, $"The backup '{facts.Path}' is the target database itself.", "Restore into the workspace the backup was taken from, not onto the backup file.");
        }

        if (File.Exists(database))
        {
            IReadOnlyList<LiveInstance> live;
            try
            {
                live = await SqliteBackup.LiveInstancesAsync(database, time.GetUtcNow(), ttl, cancellationToken);
            }
            catch (TransferException unreadable) when (unreadable.Failure == TransferFailure.InvalidInput)
            {
                // A damaged database is the usual reason to restore: it cannot name live servers, and it is kept aside below.
                output.WriteLine($"The current database cannot be read ({unreadable.Message}); it is kept aside.");
                live = [];
            }

            LiveTargetGuard.Refuse(live, database, force, "restoring", output);
        }

        var aside = await SqliteBackup.RestoreAsync(facts.Path, database, time.GetUtcNow(), cancellationToken);
        output.WriteLine(aside is null ? $"Restored into {database} (there was no database before)." : $"Restored into {database}; the replaced database is kept at {aside}.");
        output.WriteLine("Start the server as usual; it opens the restored workspace.");
        return 0;
    }

    private static async Task<int> RestorePostgresAsync(BackupFacts facts, StoreEndpoint target, bool force, TimeSpan ttl, TimeProvider time, TextWriter output, CancellationToken cancellationToken)
    {
        var existing = await PostgresTransfer.FindAsync(target.Value, facts.Workspace.Id, facts.Workspace.RootPath, time.GetUtcNow(), ttl, cancellationToken);
        LiveTargetGuard.Refuse([.. existing.SelectMany(e => e.Live)], target.Display, force, "restoring", output);
        foreach (var (workspace, _) in existing)
        {
            // Kept aside as a backup file of its own, verified, before anything is replaced.
            var aside = Path.Combine(Path.GetDirectoryName(facts.Path)!, $"{workspace.Id}.replaced-{time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.db");
            output.WriteLine($"Keeping the current workspace {workspace.Id} ({workspace.RootPath}) aside in {aside}");
            TransferConsole.WriteFacts(output, await BackupCommand.BackupAsync(target, workspace.Id, aside, overwrite: false, output, cancellationToken));
        }

        await using var export = await SqliteTransfer.OpenExportAsync(facts.Path, cancellationToken);
        var report = await WorkspaceTransfer.CopyAsync(export, target.Target(time), new TransferOptions(Replace: existing.Count > 0), cancellationToken);
        TransferConsole.WriteReport(output, report);
        if (!report.Committed)
        {
            throw new TransferException(
                TransferFailure.VerificationFailed,
                $"Verification failed for table(s) {string.Join(", ", report.Mismatches.Select(m => m.Table))}; the restore was rolled back and the database is unchanged.",
                "Something in the target rewrites rows (a trigger, a rule); inspect those tables.");
        }

        output.WriteLine($"Restored workspace {report.Workspace.Id} ({report.Workspace.RootPath}) into {target.Display}.");
        return 0;
    }
}
