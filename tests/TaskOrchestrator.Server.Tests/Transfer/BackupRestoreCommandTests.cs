using System.Security.Cryptography;
using Shouldly;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Server.Cli;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Storage.Sqlite.Transfer;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Transfer;

/// <summary>
/// backup and restore on real SQLite files: a backup taken while a writer commits is one consistent snapshot
/// and restores; restore refuses a file that is not a database and a workspace a live server holds, and then
/// changes nothing; what it replaces is kept aside.
/// </summary>
public sealed class BackupRestoreCommandTests : IAsyncDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly List<TemporaryDirectory> _folders = [];
    private readonly List<SqliteStoreProvider> _providers = [];
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            folder.Dispose();
        }

        await _output.DisposeAsync();
        await _error.DisposeAsync();
    }

    [Fact]
    public async Task Backup_WhileAWriterCommits_EachCopyIsOneCommittedStateAndRestores()
    {
        var source = NewFolder();
        var store = await OpenAsync(source);
        var backups = NewFolder();
        using var firstCommits = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();

        // Each transaction adds one task and its event: any consistent copy holds as many tasks as events.
        var writer = Task.Run(async () =>
        {
            int written = 0;
            while (!stop.IsCancellationRequested)
            {
                await using var unit = await store.BeginWriteAsync(Ct);
                var id = $"t{written}";
                await unit.Tasks.InsertAsync(new TaskRecord { Id = id, WorkspaceId = store.Workspace.Id, Title = "Task " + id, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch }, Ct);
                await unit.Events.AppendAsync(new EventRecord { WorkspaceId = store.Workspace.Id, Kind = "task_created", TaskId = id, At = DateTimeOffset.UnixEpoch }, Ct);
                await unit.CommitAsync(Ct);
                if (++written == 20)
                {
                    firstCommits.Release();
                }
            }

            return written;
        }, Ct);

        await firstCommits.WaitAsync(Ct);
        var files = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            var file = Path.Combine(backups, $"backup-{i}.db");
            (await BackupCommand.RunAsync("sqlite:" + source, null, file, overwrite: false, _output, _error, Ct)).ShouldBe(0, _error.ToString());
            files.Add(file);
        }

        await stop.CancelAsync();
        int total = await writer;

        var counts = new List<long>();
        foreach (var file in files)
        {
            var facts = await SqliteBackup.VerifyAsync(file, Ct);
            var tasks = facts.Rows.Single(r => r.Key == "task").Value;
            facts.Rows.Single(r => r.Key == "event").Value.ShouldBe(tasks, file);
            File.Exists(file + "-wal").ShouldBeFalse();
            counts.Add(tasks);
        }

        counts[0].ShouldBeGreaterThanOrEqualTo(20);
        counts.ShouldBeInOrder();
        counts[^1].ShouldBeLessThanOrEqualTo(total);
        _output.ToString().ShouldContain("integrity ok");

        var restored = NewFolder();
        (await RestoreCommand.RunAsync(files[^1], "sqlite:" + restored, force: false, Ttl, TimeProvider.System, _output, _error, Ct)).ShouldBe(0, _error.ToString());
        _output.ToString().ShouldContain($"Restored into {SqliteStoreProvider.DatabasePath(restored)} (there was no database before).");
        var reopened = await OpenAsync(restored);
        reopened.Workspace.Id.ShouldBe(store.Workspace.Id);
        await using var read = await reopened.BeginReadAsync(Ct);
        (await read.Tasks.GetAllNodesAsync(Ct)).Count.ShouldBe((int)counts[^1]);
        (await read.Events.GetAfterAsync(0, 100_000, Ct)).Count.ShouldBe((int)counts[^1]);
    }

    [Fact]
    public async Task Restore_InputIsNotADatabase_Exit2AndTargetUntouched()
    {
        var target = NewFolder();
        await SeedAsync(target, heartbeat: null);
        var before = Fingerprint(target);
        var garbage = Path.Combine(NewFolder(), "notes.db");
        await File.WriteAllTextAsync(garbage, "these are notes, not a database; they are long enough to fill a header page of SQLite............", Ct);

        int exit = await RestoreCommand.RunAsync(garbage, "sqlite:" + target, force: false, Ttl, TimeProvider.System, _output, _error, Ct);

        exit.ShouldBe(2);
        _error.ToString().ShouldContain($"'{garbage}' is not a SQLite database");
        Fingerprint(target).ShouldBe(before);
        Directory.GetFiles(Path.GetDirectoryName(SqliteStoreProvider.DatabasePath(target))!, "*.replaced-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task Restore_MissingFileOrUnknownScheme_Exit2WithTheValueNamed()
    {
        var target = NewFolder();
        var missing = Path.Combine(target, "nope.db");

        (await RestoreCommand.RunAsync(missing, "sqlite:" + target, force: false, Ttl, TimeProvider.System, _output, _error, Ct)).ShouldBe(2);
        (await RestoreCommand.RunAsync(missing, "mysql:" + target, force: false, Ttl, TimeProvider.System, _output, _error, Ct)).ShouldBe(2);
        (await MigrateStoreCommand.RunAsync(new("sqlite:" + target, "sqlite:" + missing), Ttl, TimeProvider.System, _output, _error, Ct)).ShouldBe(2);

        var errors = _error.ToString();
        errors.ShouldContain($"The backup file '{missing}' does not exist.");
        errors.ShouldContain("names no known store: it must start with sqlite: or postgres:.");
        errors.ShouldContain("Both --from and --to are SQLite");
        File.Exists(SqliteStoreProvider.DatabasePath(target)).ShouldBeFalse();
    }

    [Fact]
    public async Task Restore_WhileALiveInstanceHoldsTheWorkspace_Exit3UnlessForcedThenKeepsTheOldDatabaseAside()
    {
        var target = NewFolder();
        await SeedAsync(target, heartbeat: DateTimeOffset.UtcNow);
        var backup = Path.Combine(NewFolder(), "good.db");
        (await BackupCommand.RunAsync("sqlite:" + target, null, backup, overwrite: false, _output, _error, Ct)).ShouldBe(0, _error.ToString());
        var before = Fingerprint(target);

        int refused = await RestoreCommand.RunAsync(backup, "sqlite:" + target, force: false, Ttl, TimeProvider.System, _output, _error, Ct);

        refused.ShouldBe(3);
        _error.ToString().ShouldContain("A server is running on " + SqliteStoreProvider.DatabasePath(target) + ": standalone inst-live (pid 4242 on build-host");
        Fingerprint(target).ShouldBe(before);

        int forced = await RestoreCommand.RunAsync(backup, "sqlite:" + target, force: true, Ttl, TimeProvider.System, _output, _error, Ct);

        forced.ShouldBe(0, _error.ToString());
        var aside = Directory.GetFiles(Path.GetDirectoryName(SqliteStoreProvider.DatabasePath(target))!, "orchestrator.db.replaced-*").Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).ToArray();
        aside.Length.ShouldBe(1);
        _output.ToString().ShouldContain($"the replaced database is kept at {aside[0]}");
        (await SqliteBackup.VerifyAsync(aside[0], Ct)).Rows.Single(r => r.Key == "task").Value.ShouldBe(1);
        (await SqliteBackup.VerifyAsync(SqliteStoreProvider.DatabasePath(target), Ct)).Workspace.Id.ShouldBe((await SqliteBackup.VerifyAsync(backup, Ct)).Workspace.Id);
    }

    [Fact]
    public async Task Restore_InstanceTtlConfigured_AHeartbeatTwoMinutesOldStillHoldsTheWorkspace()
    {
        var target = NewFolder();
        await SeedAsync(target, heartbeat: DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));
        var backup = Path.Combine(NewFolder(), "good.db");
        (await BackupCommand.RunAsync("sqlite:" + target, null, backup, overwrite: false, _output, _error, Ct)).ShouldBe(0, _error.ToString());
        var config = Path.Combine(NewFolder(), "config.json");
        await File.WriteAllTextAsync(config, """{ "Health": { "InstanceTtl": "00:05:00" } }""", Ct);

        var ttl = RestoreCommand.InstanceTtl(config);
        int exit = await RestoreCommand.RunAsync(backup, "sqlite:" + target, force: false, ttl, TimeProvider.System, _output, _error, Ct);

        ttl.ShouldBe(TimeSpan.FromMinutes(5));
        RestoreCommand.InstanceTtl(null).ShouldBe(TimeSpan.FromSeconds(30));
        exit.ShouldBe(3);
        _error.ToString().ShouldContain("standalone inst-live (pid 4242 on build-host, heartbeat 12");
    }

    [Fact]
    public async Task Backup_OutputExistsOrSourceIsNotADatabase_RefusedWithoutWriting()
    {
        var source = NewFolder();
        await SeedAsync(source, heartbeat: null);
        var existing = Path.Combine(NewFolder(), "taken.db");
        await File.WriteAllTextAsync(existing, "keep me", Ct);
        var notADatabase = Path.Combine(NewFolder(), "plain.db");
        await File.WriteAllTextAsync(notADatabase, new string('z', 4096), Ct);

        (await BackupCommand.RunAsync("sqlite:" + source, null, existing, overwrite: false, _output, _error, Ct)).ShouldBe(3);
        (await BackupCommand.RunAsync("sqlite:" + notADatabase, null, existing + ".new", overwrite: false, _output, _error, Ct)).ShouldBe(2);

        (await File.ReadAllTextAsync(existing, Ct)).ShouldBe("keep me");
        File.Exists(existing + ".new").ShouldBeFalse();
        _error.ToString().ShouldContain($"'{existing}' already exists; nothing was changed.");
        _error.ToString().ShouldContain($"'{notADatabase}' is not a SQLite database");
    }

    private static async Task SeedAsync(string folder, DateTimeOffset? heartbeat)
    {
        var provider = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System);
        await using (provider)
        {
            var store = await provider.OpenAsync(folder, Ct);
            await using var unit = await store.BeginWriteAsync(Ct);
            await unit.Tasks.InsertAsync(new TaskRecord { Id = "only", WorkspaceId = store.Workspace.Id, Title = "Only task", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch }, Ct);
            if (heartbeat is { } at)
            {
                await unit.Instances.UpsertAsync(LiveInstanceRows.At(store.Workspace.Id, at), Ct);
            }

            await unit.CommitAsync(Ct);
        }
    }

    private static string Fingerprint(string folder)
    {
        var database = SqliteStoreProvider.DatabasePath(folder);
        var parts = new[] { database, database + "-wal" }.Where(File.Exists).Select(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
        return string.Join("+", parts);
    }

    private string NewFolder()
    {
        var folder = new TemporaryDirectory("to-backup");
        _folders.Add(folder);
        return folder.Path;
    }

    private async Task<IOrchestratorStore> OpenAsync(string folder)
    {
        var provider = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System);
        _providers.Add(provider);
        return await provider.OpenAsync(folder, Ct);
    }
}
