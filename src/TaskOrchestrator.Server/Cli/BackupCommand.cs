using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Server.Transfer;
using TaskOrchestrator.Storage.Sqlite.Transfer;

namespace TaskOrchestrator.Server.Cli;

/// <summary>
/// <c>task-orchestrator backup --from sqlite:PATH|postgres:CONNECTION [--pg-workspace ID|ROOT] --output FILE [--overwrite]</c>:
/// a standalone SQLite file holding one workspace. SQLite: the online backup API, safe while servers write.
/// PostgreSQL: the workspace exported from one snapshot through the transfer code and verified. Either way the copy
/// passes an integrity check before it takes the output's name. Exit codes as migrate-store's.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from")
        {
            Description = "The store to back up: sqlite:PATH (a workspace folder or its database file) or postgres:CONNECTION (postgres: alone takes TASK_ORCHESTRATOR_CONNECTION_STRING).",
            Required = true,
        };
        var pgWorkspace = new Option<string?>("--pg-workspace")
        {
            Description = "With --from postgres: the workspace to back up, by id (ws_…) or root folder; optional when the database holds one.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "The backup file to write (a SQLite database, restorable with task-orchestrator restore).",
            Required = true,
        };
        var overwrite = new Option<bool>("--overwrite")
        {
            Description = "Replace an existing file at --output (by default it is refused).",
        };
        var command = new Command(
            "backup",
            "Back up one workspace into a standalone SQLite file while servers keep running, checked with integrity_check. Exit codes: 0 done; 2 bad input; 3 refused (output exists); 4 verification failed; 5 store failed.")
        {
            from,
            pgWorkspace,
            output,
            overwrite,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(from), parse.GetValue(pgWorkspace), parse.GetValue(output), parse.GetValue(overwrite), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? fromText, string? pgWorkspace, string? outputPath, bool overwrite, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var watch = Stopwatch.StartNew();
            var facts = await BackupAsync(StoreEndpoint.Parse("--from", fromText), pgWorkspace, outputPath, overwrite, output, cancellationToken);
            TransferConsole.WriteFacts(output, facts);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Backup written in {watch.Elapsed.TotalSeconds:0.00} s. Restore with: task-orchestrator restore --input {facts.Path} --to sqlite:WORKSPACE (or postgres:…)"));
            return 0;
        }
        catch (Exception ex) when (TransferConsole.Handles(ex))
        {
            return TransferConsole.Fail("backup", ex, error);
        }
    }

    /// <summary>Writes the backup and returns what it holds; throws <see cref="TransferException"/> on bad input or failure.</summary>
    public static async Task<BackupFacts> BackupAsync(StoreEndpoint source, string? pgWorkspace, string? outputPath, bool overwrite, TextWriter output, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(outputPath))
        {
            throw new TransferException(TransferFailure.InvalidInput, "--output is required.", "Pass --output /backups/workspace-YYYYMMDD.db.");
        }

        var file = Path.GetFullPath(outputPath);
        if (Directory.Exists(file))
        {
            throw new TransferException(TransferFailure.InvalidInput, $"--output '{outputPath}' is a folder.", "Name the backup file, e.g. --output " + Path.Combine(outputPath, "orchestrator-backup.db") + ".");
        }

        if (File.Exists(file) && !overwrite)
        {
            throw new TransferException(TransferFailure.Refused, $"'{file}' already exists; nothing was changed.", "Choose a new file name, or pass --overwrite to replace it.");
        }

        if (!source.IsSqlite)
        {
            return await BackupPostgresAsync(source, pgWorkspace, file, output, cancellationToken);
        }

        if (pgWorkspace is not null)
        {
            throw new TransferException(TransferFailure.InvalidInput, "--pg-workspace applies to a PostgreSQL source only.", "Leave out --pg-workspace.");
        }

        var database = SqliteTransfer.ResolveDatabasePath(source.Value, mustExist: true);
        if (string.Equals(database, file, StringComparison.Ordinal))
        {
            throw new TransferException(TransferFailure.InvalidInput, $"--output '{outputPath}' is the database being backed up.", "Write the backup to another file, ideally on another disk.");
        }

        output.WriteLine($"Backing up {database} with SQLite's online backup API");
        return await SqliteBackup.BackupAsync(database, file, cancellationToken);
    }

    /// <summary>Exports the workspace into a new SQLite file beside the output, verified, then renames it into place.</summary>
    private static async Task<BackupFacts> BackupPostgresAsync(StoreEndpoint source, string? pgWorkspace, string file, TextWriter output, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var staged = file + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            TransferReport report;
            await using (var export = await source.OpenExportAsync(pgWorkspace, cancellationToken))
            {
                output.WriteLine($"Backing up workspace {export.Workspace.Id} ({export.Workspace.RootPath}) from {source.Display}");
                report = await WorkspaceTransfer.CopyAsync(export, SqliteTransfer.Target(staged), new TransferOptions(), cancellationToken);
            }

            TransferConsole.WriteReport(output, report);
            if (!report.Committed)
            {
                throw new TransferException(
                    TransferFailure.VerificationFailed,
                    $"Verification failed for table(s) {string.Join(", ", report.Mismatches.Select(m => m.Table))}; no backup was written.",
                    "Retry; if it persists, report it with the table above.");
            }

            await SqliteBackup.MakeStandaloneAsync(staged, cancellationToken);
            File.Move(staged, file, overwrite: true);
            return await SqliteBackup.VerifyAsync(file, cancellationToken);
        }
        finally
        {
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
            {
                File.Delete(staged + suffix);
            }
        }
    }
}
