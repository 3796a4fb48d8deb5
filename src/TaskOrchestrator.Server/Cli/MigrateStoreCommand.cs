using System.CommandLine;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Server.Transfer;

namespace TaskOrchestrator.Server.Cli;

/// <summary>
/// <c>task-orchestrator migrate-store --from sqlite:PATH|postgres:CONNECTION --to sqlite:PATH|postgres:CONNECTION
/// [--pg-workspace ID|ROOT] [--root PATH] [--replace [--force]]</c>: copies one workspace's whole history between stores,
/// from one snapshot of the source, into one transaction of the target, verified table by table before it commits.
/// Not the MCP server, so it prints to stdout. Exit codes: 0 copied and verified; 2 bad input; 3 refused (the target
/// holds the workspace, or a live server does what --replace would replace); 4 verification failed (nothing
/// committed); 5 a store failed or is unreachable.
/// </summary>
internal static class MigrateStoreCommand
{
    public static Command Create(Option<string?> config)
    {
        var from = new Option<string>("--from")
        {
            Description = "The store to copy from: sqlite:PATH (a workspace folder or its .task-orchestrator/orchestrator.db) or postgres:CONNECTION (an Npgsql connection string; postgres: alone takes it from --connection-string or TASK_ORCHESTRATOR_CONNECTION_STRING).",
            Required = true,
        };
        var to = new Option<string>("--to")
        {
            Description = "The store to copy into, in the same form; a SQLite target file is created when missing, a PostgreSQL target's schema is created or migrated.",
            Required = true,
        };
        var pgWorkspace = new Option<string?>("--pg-workspace")
        {
            Description = "With --from postgres: which workspace to copy, by id (ws_…) or root folder. Optional when the database holds one workspace; the error lists them otherwise.",
        };
        var root = new Option<string?>("--root")
        {
            Description = "The workspace folder to record in the target instead of the source's, for a workspace that lives at another path where the target is served. PostgreSQL identifies workspaces by this folder.",
        };
        var replace = new Option<bool>("--replace")
        {
            Description = "When the target already holds the workspace (same id, or in PostgreSQL the same root folder; a SQLite file holds one workspace), delete that data and copy over it, in the same transaction. Without it such a target is refused and nothing changes. Refused too while a server instance of what would be replaced heartbeat within Health:InstanceTtl.",
        };
        var force = new Option<bool>("--force")
        {
            Description = "With --replace: replace even though a server instance of that workspace is live; that server keeps writing to data that is gone until it restarts.",
        };
        var command = new Command(
            "migrate-store",
            "Copy one workspace's whole history (tasks, dependencies, artifacts, events, sessions, agents, idempotency records, instances, restarts) between SQLite and PostgreSQL and verify per-table counts and hashes before committing. Exit codes: 0 done; 2 bad input; 3 refused; 4 verification failed; 5 store failed.")
        {
            from,
            to,
            pgWorkspace,
            root,
            replace,
            force,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            TimeSpan ttl;
            try
            {
                ttl = RestoreCommand.InstanceTtl(parse.GetValue(config));
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"task-orchestrator migrate-store: the configuration cannot be read: {ex.Message}");
                return Task.FromResult((int)TransferFailure.InvalidInput);
            }

            var request = new Request(parse.GetValue(from), parse.GetValue(to), parse.GetValue(pgWorkspace), parse.GetValue(root), parse.GetValue(replace), parse.GetValue(force));
            return RunAsync(request, ttl, TimeProvider.System, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(Request request, TimeSpan instanceTtl, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (fromText, toText, pgWorkspace, root, replace, force) = request;
        try
        {
            var source = StoreEndpoint.Parse("--from", fromText);
            var target = StoreEndpoint.Parse("--to", toText);
            if (pgWorkspace is not null && source.IsSqlite)
            {
                throw new TransferException(TransferFailure.InvalidInput, "--pg-workspace picks a workspace of a PostgreSQL source; the source here is SQLite, which holds one workspace.", "Leave out --pg-workspace.");
            }

            if (source.IsSqlite && target.IsSqlite)
            {
                throw new TransferException(TransferFailure.InvalidInput, "Both --from and --to are SQLite; migrate-store moves a workspace between SQLite and PostgreSQL.", "To copy a SQLite workspace, use task-orchestrator backup and restore.");
            }

            if (force && !replace)
            {
                throw new TransferException(TransferFailure.InvalidInput, "--force only overrides --replace's check for live servers; without --replace nothing is replaced.", "Add --replace, or leave out --force.");
            }

            if (root is not null && !Path.IsPathFullyQualified(root))
            {
                throw new TransferException(TransferFailure.InvalidInput, $"--root '{root}' is not an absolute path.", "Pass the workspace folder as the servers of the target will see it, e.g. --root /srv/projects/app.");
            }

            await using var export = await source.OpenExportAsync(pgWorkspace, cancellationToken);
            if (replace)
            {
                var live = await LiveTargetGuard.FindAsync(target, export.Workspace.Id, root ?? export.Workspace.RootPath, time.GetUtcNow(), instanceTtl, cancellationToken);
                LiveTargetGuard.Refuse(live, target.Display, force, "replacing", output);
            }

            var targetStore = target.Target(time);
            output.WriteLine($"Copying workspace {export.Workspace.Id} ({export.Workspace.RootPath})");
            output.WriteLine($"  from {source.Display}");
            output.WriteLine($"  to   {(target.IsSqlite ? "sqlite:" + targetStore.Location : target.Display)}");
            var report = await WorkspaceTransfer.CopyAsync(export, targetStore, new TransferOptions(replace, root), cancellationToken);
            if (report.Replaced is not null)
            {
                output.WriteLine($"Replaced in the target: {report.Replaced}");
            }

            TransferConsole.WriteReport(output, report);
            if (!report.Committed)
            {
                var tables = string.Join(", ", report.Mismatches.Select(m => m.Table));
                throw new TransferException(
                    TransferFailure.VerificationFailed,
                    $"Verification failed for table(s) {tables}: the rows read back from the target differ from the source. The target was rolled back; nothing was changed.",
                    "Something in the target rewrites rows (a trigger, a rule, a column type); inspect those tables in the target, then retry.");
            }

            var events = report.Tables.First(t => t.Table == TransferSchema.Event.Name);
            output.WriteLine(events.SequenceOffset == 0
                ? "Verified and committed. Event numbers are unchanged, so clients resuming with Last-Event-ID continue where they were."
                : $"Verified and committed. Event numbers were shifted by +{events.SequenceOffset} to stay clear of the other workspaces' numbers (order kept): numbers only grow, so a client resuming with an older Last-Event-ID misses nothing but may receive some events twice.");
            return 0;
        }
        catch (Exception ex) when (TransferConsole.Handles(ex))
        {
            return TransferConsole.Fail("migrate-store", ex, error);
        }
    }

    /// <summary>The command's options.</summary>
    public sealed record Request(string? From, string? To, string? PgWorkspace = null, string? Root = null, bool Replace = false, bool Force = false);
}
