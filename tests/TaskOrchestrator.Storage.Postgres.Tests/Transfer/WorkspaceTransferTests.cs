using System.Text.Json;
using Npgsql;
using Shouldly;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Storage.Postgres.Transfer;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Storage.Sqlite.Transfer;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Postgres.Tests.Transfer;

/// <summary>
/// migrate-store's engine on real SQLite files and the throwaway PostgreSQL cluster: a round trip keeps every row,
/// verification catches a target that rewrites rows, a taken target is refused, sequence numbers stay ordered
/// beside other workspaces, and an export is one snapshot however the source is written meanwhile.
/// </summary>
public sealed class WorkspaceTransferTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly List<TemporaryDirectory> _folders = [];
    private readonly List<IAsyncDisposable> _providers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        cluster.SkipIfUnavailable();
        return ValueTask.CompletedTask;
    }

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
    }

    [Fact]
    public async Task CopyAsync_SqliteToPostgresToSqlite_EveryTableAndStoreReadIdentical()
    {
        var (source, sourceFolder) = await SeededSqliteAsync("rt-");
        var connectionString = await cluster.DatabaseAsync("transfer_round_trip");

        TransferReport there;
        await using (var export = await SqliteTransfer.OpenExportAsync(SqliteStoreProvider.DatabasePath(sourceFolder), Ct))
        {
            there = await WorkspaceTransfer.CopyAsync(export, PostgresTransfer.Target(connectionString, TimeProvider.System), new TransferOptions(), Ct);
        }

        there.Committed.ShouldBeTrue();
        there.Tables.Select(t => (t.Table, t.SourceRows)).ShouldBe(
            [("workspace", 1), ("session", 1), ("task", 5), ("dependency", 2), ("artifact", 2), ("event", 5), ("idempotency", 2), ("agent", 1), ("server_instance", 1), ("restart", 1)]);
        there.Tables.ShouldAllBe(t => t.Matches && t.SequenceOffset == 0);

        var backFolder = NewFolder();
        var backFile = SqliteStoreProvider.DatabasePath(backFolder);
        TransferReport back;
        await using (var export = await PostgresTransfer.OpenExportAsync(connectionString, source.Workspace.Id, Ct))
        {
            back = await WorkspaceTransfer.CopyAsync(export, SqliteTransfer.Target(backFile), new TransferOptions(), Ct);
        }

        back.Committed.ShouldBeTrue();
        back.Tables.Select(t => t.SourceHash).ShouldBe(there.Tables.Select(t => t.SourceHash));

        var original = await DumpSqliteAsync(SqliteStoreProvider.DatabasePath(sourceFolder));
        var inPostgres = await DumpPostgresAsync(connectionString, source.Workspace.Id);
        var returned = await DumpSqliteAsync(backFile);
        foreach (var table in TransferSchema.Tables)
        {
            inPostgres[table.Name].ShouldBe(original[table.Name], $"table {table.Name} in PostgreSQL");
            returned[table.Name].ShouldBe(original[table.Name], $"table {table.Name} back in SQLite");
        }

        var postgresStore = await OpenPostgresAsync(connectionString, sourceFolder);
        var returnedStore = await OpenSqliteAsync(backFolder);
        postgresStore.Workspace.Id.ShouldBe(source.Workspace.Id);
        returnedStore.Workspace.Id.ShouldBe(source.Workspace.Id);
        var expected = await ReadThroughStoreAsync(source);
        (await ReadThroughStoreAsync(postgresStore)).ShouldBe(expected);
        (await ReadThroughStoreAsync(returnedStore)).ShouldBe(expected);
    }

    [Fact]
    public async Task CopyAsync_TargetTriggerRewritesArtifactContent_VerificationNamesArtifactAndNothingIsCommitted()
    {
        var (source, sourceFolder) = await SeededSqliteAsync("tamper-");
        var connectionString = await cluster.DatabaseAsync("transfer_tampered");
        await OpenPostgresAsync(connectionString, NewFolder());
        await ExecAsync(connectionString, """
            CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.content := NEW.content || ' '; RETURN NEW; END $$;
            CREATE TRIGGER tamper BEFORE INSERT ON artifact FOR EACH ROW EXECUTE FUNCTION tamper();
            """);

        TransferReport report;
        await using (var export = await SqliteTransfer.OpenExportAsync(SqliteStoreProvider.DatabasePath(sourceFolder), Ct))
        {
            report = await WorkspaceTransfer.CopyAsync(export, PostgresTransfer.Target(connectionString, TimeProvider.System), new TransferOptions(), Ct);
        }

        report.Committed.ShouldBeFalse();
        report.Mismatches.Select(m => m.Table).ShouldBe(["artifact"]);
        var artifact = report.Tables.Single(t => t.Table == "artifact");
        artifact.TargetRows.ShouldBe(2);
        artifact.TargetHash.ShouldNotBe(artifact.SourceHash);
        (await CountAsync(connectionString, "SELECT count(*) FROM workspace WHERE id = @ws", source.Workspace.Id)).ShouldBe(0);
        (await CountAsync(connectionString, "SELECT count(*) FROM task WHERE workspace_id = @ws", source.Workspace.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task CopyAsync_SqliteTargetTriggerRewritesEvents_VerificationNamesEventAndTheReplacedWorkspaceStays()
    {
        var (source, sourceFolder) = await SeededSqliteAsync("sqlite-tamper-");
        var connectionString = await cluster.DatabaseAsync("transfer_sqlite_tampered");
        await CopyToPostgresAsync(SqliteStoreProvider.DatabasePath(sourceFolder), connectionString, new TransferOptions());
        var targetFolder = NewFolder();
        var existing = await OpenSqliteAsync(targetFolder);
        var targetFile = SqliteStoreProvider.DatabasePath(targetFolder);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={targetFile};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER tamper AFTER INSERT ON event BEGIN UPDATE event SET kind = kind || '!' WHERE seq = new.seq; END;";
            await command.ExecuteNonQueryAsync(Ct);
        }

        TransferReport report;
        await using (var export = await PostgresTransfer.OpenExportAsync(connectionString, source.Workspace.Id, Ct))
        {
            report = await WorkspaceTransfer.CopyAsync(export, SqliteTransfer.Target(targetFile), new TransferOptions(Replace: true), Ct);
        }

        report.Committed.ShouldBeFalse();
        report.Mismatches.Select(m => m.Table).ShouldBe(["event"]);
        report.Tables.Single(t => t.Table == "event").TargetRows.ShouldBe(5);
        await using var still = await SqliteTransfer.OpenExportAsync(targetFile, Ct);
        still.Workspace.Id.ShouldBe(existing.Workspace.Id);
        (await CountRowsAsync(still, TransferSchema.Task)).ShouldBe(0);
    }

    [Fact]
    public async Task CopyAsync_TargetAlreadyHoldsTheWorkspace_RefusedUnchangedUnlessReplace()
    {
        var (source, sourceFolder) = await SeededSqliteAsync("again-");
        var connectionString = await cluster.DatabaseAsync("transfer_refusal");
        var sourceFile = SqliteStoreProvider.DatabasePath(sourceFolder);
        await CopyToPostgresAsync(sourceFile, connectionString, new TransferOptions());
        var before = await DumpPostgresAsync(connectionString, source.Workspace.Id);

        var refused = await Should.ThrowAsync<TransferException>(() => CopyToPostgresAsync(sourceFile, connectionString, new TransferOptions()));

        refused.Failure.ShouldBe(TransferFailure.Refused);
        refused.Message.ShouldContain($"already holds workspace {source.Workspace.Id} ({sourceFolder}): 1 session rows, 5 task rows");
        refused.Hint.ShouldContain("--replace");
        ShouldBeSame(await DumpPostgresAsync(connectionString, source.Workspace.Id), before);

        // A SQLite target file holds one workspace: a file with any workspace is refused the same way.
        var otherFolder = NewFolder();
        await OpenSqliteAsync(otherFolder);
        await using (var export = await PostgresTransfer.OpenExportAsync(connectionString, sourceFolder, Ct))
        {
            var sqliteRefused = await Should.ThrowAsync<TransferException>(() => WorkspaceTransfer.CopyAsync(export, SqliteTransfer.Target(SqliteStoreProvider.DatabasePath(otherFolder)), new TransferOptions(), Ct));
            sqliteRefused.Failure.ShouldBe(TransferFailure.Refused);
            sqliteRefused.Message.ShouldContain("already holds another workspace");
        }

        var replaced = await CopyToPostgresAsync(sourceFile, connectionString, new TransferOptions(Replace: true));
        replaced.Committed.ShouldBeTrue();
        replaced.Replaced.ShouldStartWith($"workspace {source.Workspace.Id} ({sourceFolder}): 1 session rows, 5 task rows, 2 dependency rows, 2 artifact rows, 5 event rows");
        ShouldBeSame(await DumpPostgresAsync(connectionString, source.Workspace.Id), before);
    }

    [Fact]
    public async Task CopyAsync_DatabaseHoldsAnotherWorkspace_SequencesShiftedOrderKeptNewEventsNumberedAfter()
    {
        var connectionString = await cluster.DatabaseAsync("transfer_shared");
        var (first, firstFolder) = await SeededSqliteAsync("one-");
        await CopyToPostgresAsync(SqliteStoreProvider.DatabasePath(firstFolder), connectionString, new TransferOptions());
        var (second, secondFolder) = await SeededSqliteAsync("two-");
        var sourceEvents = await ReadAsync(second, unit => unit.Events.GetAfterAsync(0, 100, Ct));

        var report = await CopyToPostgresAsync(SqliteStoreProvider.DatabasePath(secondFolder), connectionString, new TransferOptions());

        report.Committed.ShouldBeTrue();
        var eventOffset = report.Tables.Single(t => t.Table == "event").SequenceOffset;
        eventOffset.ShouldBe(5);
        report.Tables.Single(t => t.Table == "task").SequenceOffset.ShouldBe(5);
        var store = await OpenPostgresAsync(connectionString, secondFolder);
        var copied = await ReadAsync(store, unit => unit.Events.GetAfterAsync(0, 100, Ct));
        copied.Select(e => e.Sequence).ShouldBe(sourceEvents.Select(e => e.Sequence + eventOffset));
        copied.Select(e => e with { Sequence = 0, WorkspaceId = "" }).ShouldBe(sourceEvents.Select(e => e with { Sequence = 0, WorkspaceId = "" }));

        await using (var unit = await store.BeginWriteAsync(Ct))
        {
            await unit.Events.AppendAsync(new EventRecord { WorkspaceId = store.Workspace.Id, Kind = "task_updated", At = TransferSeed.At.AddHours(1) }, Ct);
            await unit.CommitAsync(Ct);
        }

        // The next event is numbered after every copied one.
        (await ReadAsync(store, unit => unit.Events.GetAfterAsync(copied[^1].Sequence, 100, Ct))).Select(e => e.Kind).ShouldBe(["task_updated"]);
        (await DumpPostgresAsync(connectionString, first.Workspace.Id))["event"].Count.ShouldBe(5);
    }

    [Fact]
    public async Task OpenExportAsync_SourceWrittenWhileReading_EveryTableReadAsOfOneSnapshot()
    {
        var (source, sourceFolder) = await SeededSqliteAsync("snap-");
        var connectionString = await cluster.DatabaseAsync("transfer_snapshot");
        await CopyToPostgresAsync(SqliteStoreProvider.DatabasePath(sourceFolder), connectionString, new TransferOptions());
        var postgresStore = await OpenPostgresAsync(connectionString, sourceFolder);

        await using var sqliteExport = await SqliteTransfer.OpenExportAsync(SqliteStoreProvider.DatabasePath(sourceFolder), Ct);
        await using var postgresExport = await PostgresTransfer.OpenExportAsync(connectionString, source.Workspace.Id, Ct);
        var sqliteTasks = await CountRowsAsync(sqliteExport, TransferSchema.Task);
        var postgresTasks = await CountRowsAsync(postgresExport, TransferSchema.Task);
        foreach (var store in new[] { source, postgresStore })
        {
            await using var unit = await store.BeginWriteAsync(Ct);
            await unit.Tasks.InsertAsync(new TaskRecord { Id = "written-meanwhile", WorkspaceId = store.Workspace.Id, Title = "late", CreatedAt = TransferSeed.At, UpdatedAt = TransferSeed.At }, Ct);
            await unit.Events.AppendAsync(new EventRecord { WorkspaceId = store.Workspace.Id, Kind = "task_created", TaskId = "written-meanwhile", At = TransferSeed.At }, Ct);
            await unit.CommitAsync(Ct);
        }

        (sqliteTasks, postgresTasks).ShouldBe((5, 5));
        (await CountRowsAsync(sqliteExport, TransferSchema.Task)).ShouldBe(5);
        (await CountRowsAsync(sqliteExport, TransferSchema.Event)).ShouldBe(5);
        (await CountRowsAsync(postgresExport, TransferSchema.Task)).ShouldBe(5);
        (await CountRowsAsync(postgresExport, TransferSchema.Event)).ShouldBe(5);
        (await ReadAsync(source, unit => unit.Tasks.GetAsync("written-meanwhile", Ct))).ShouldNotBeNull();
    }

    private static async Task<TransferReport> CopyToPostgresAsync(string sqliteFile, string connectionString, TransferOptions options)
    {
        await using var export = await SqliteTransfer.OpenExportAsync(sqliteFile, Ct);
        return await WorkspaceTransfer.CopyAsync(export, PostgresTransfer.Target(connectionString, TimeProvider.System), options, Ct);
    }

    private async Task<(IOrchestratorStore Store, string Folder)> SeededSqliteAsync(string prefix)
    {
        var folder = NewFolder();
        var store = await OpenSqliteAsync(folder);
        await TransferSeed.SeedAsync(store, prefix, Ct);
        return (store, folder);
    }

    private string NewFolder()
    {
        var folder = new TemporaryDirectory("to-transfer");
        _folders.Add(folder);
        return folder.Path;
    }

    private async Task<IOrchestratorStore> OpenSqliteAsync(string folder)
    {
        var provider = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System);
        _providers.Add(provider);
        return await provider.OpenAsync(folder, Ct);
    }

    private async Task<IOrchestratorStore> OpenPostgresAsync(string connectionString, string folder)
    {
        var provider = new PostgresStoreProvider(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        _providers.Add(provider);
        return await provider.OpenAsync(folder, Ct);
    }

    private static async Task<T> ReadAsync<T>(IOrchestratorStore store, Func<IStoreUnit, Task<T>> read)
    {
        await using var unit = await store.BeginReadAsync(Ct);
        return await read(unit);
    }

    /// <summary>Tasks, dependencies, artifacts (with content) and events as the store API returns them, as JSON without the workspace id and sequence numbers.</summary>
    private static async Task<string> ReadThroughStoreAsync(IOrchestratorStore store) => await ReadAsync(store, async unit =>
    {
        var nodes = await unit.Tasks.GetAllNodesAsync(Ct);
        var ids = nodes.Select(n => n.Id).Order(StringComparer.Ordinal).ToArray();
        var tasks = (await unit.Tasks.GetManyAsync(ids, Ct)).OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => t with { WorkspaceId = "" });
        var dependencies = (await unit.Dependencies.GetAllAsync(Ct)).OrderBy(d => d.TaskId, StringComparer.Ordinal).ThenBy(d => d.DependsOnId, StringComparer.Ordinal);
        var artifacts = (await unit.Artifacts.GetForTasksAsync(ids, includeContent: true, Ct)).OrderBy(a => a.Id, StringComparer.Ordinal).Select(a => a with { WorkspaceId = "" });
        var events = (await unit.Events.GetAfterAsync(0, 1000, Ct)).Select(e => e with { WorkspaceId = "" });
        return JsonSerializer.Serialize(new { tasks, dependencies, artifacts, events });
    });

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DumpSqliteAsync(string file)
    {
        await using var export = await SqliteTransfer.OpenExportAsync(file, Ct);
        return await WorkspaceTransfer.DumpAsync(export, Ct);
    }

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DumpPostgresAsync(string connectionString, string workspace)
    {
        await using var export = await PostgresTransfer.OpenExportAsync(connectionString, workspace, Ct);
        return await WorkspaceTransfer.DumpAsync(export, Ct);
    }

    private static void ShouldBeSame(IReadOnlyDictionary<string, IReadOnlyList<string>> actual, IReadOnlyDictionary<string, IReadOnlyList<string>> expected)
    {
        actual.Keys.ShouldBe(expected.Keys);
        foreach (var table in expected.Keys)
        {
            actual[table].ShouldBe(expected[table], $"table {table}");
        }
    }

    private static async Task<long> CountRowsAsync(IWorkspaceExport export, TransferTable table)
    {
        long count = 0;
        await foreach (var _ in export.ReadAsync(table, Ct))
        {
            count++;
        }

        return count;
    }

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<long> CountAsync(string connectionString, string sql, string workspaceId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ws", workspaceId);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
