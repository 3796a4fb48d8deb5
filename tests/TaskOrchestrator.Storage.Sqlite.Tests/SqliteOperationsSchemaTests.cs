using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>
/// Migrations 0002 to 0006 (operations, claims, agents, the search mark, the claim indexes) on disk:
/// what they add, that a database left at version 1 by an older build upgrades with its data, and the
/// health-probe row the write probe keeps.
/// </summary>
public sealed class SqliteOperationsSchemaTests : IAsyncLifetime
{
    private const string WorkspaceId = "ws_01older";

    private readonly TemporaryDirectory _workspace = new("to-sqlite-ops");
    private readonly ManualTimeProvider _time = new();
    private readonly List<SqliteStoreProvider> _providers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => SqliteStoreProvider.DatabasePath(_workspace.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _workspace.Dispose();
    }

    [Fact]
    public async Task Migrations0002To0006_AppliedToAVersion1Database_AddExactlyTheOperationsClaimsAgentsAndSearchMarkTablesColumnsAndIndexes()
    {
        CreateVersion1Database();
        var tablesBefore = Names("table");
        var indexesBefore = Names("index");
        var taskColumnsBefore = Columns("task");

        await NewProvider().OpenAsync(_workspace.Path, Ct);

        Names("table").Except(tablesBefore).ShouldBe(["agent", "health_probe", "restart", "search_index", "server_instance"]);
        tablesBefore.Except(Names("table")).ShouldBeEmpty();
        Names("index").Except(indexesBefore).ShouldBe(["ix_restart_started", "ix_server_instance_state", "ix_task_lease"]);
        indexesBefore.Except(Names("index")).ShouldBeEmpty();
        IndexColumns("ix_task_specialist").ShouldBe(["workspace_id", "specialist_type", "status", "priority_rank", "complexity_rank", "seq"]);
        Columns("task").ShouldBe([.. taskColumnsBefore, "holder_instance_id", "lease_expires_at", "lease_token", "lease_fence", "lease_seconds"]);
        Columns("server_instance").ShouldBe(
        [
            "id", "workspace_id", "role", "parent_id", "host", "process_id", "process_started_at", "executable", "version",
            "state", "started_at", "heartbeat_at", "stopped_at", "detail",
        ]);
        Columns("agent").ShouldBe(
        [
            "workspace_id", "id", "name", "kind", "specialist_types_json", "client_info", "registered_at", "updated_at", "last_seen_at", "last_heartbeat_at",
            "claims", "heartbeats", "completed", "needs_revision", "blocked", "failed", "released", "lease_expired", "duration_count", "duration_total_ms",
            "circuit_state", "circuit_opened_at", "circuit_retry_at", "circuit_probe_task_id", "circuit_opens",
        ]);
        Columns("restart").ShouldBe(
        [
            "id", "workspace_id", "instance_id", "kind", "reason", "graceful", "requested_by", "started_at", "finished_at",
            "outcome", "from_version", "to_version", "phases_json", "error",
        ]);
        Columns("health_probe").ShouldBe(["workspace_id", "instance_id", "probed_at"]);
        Columns("search_index").ShouldBe(["id", "indexed_through"]);
        Names("trigger").ShouldBe(["task_fts_delete", "task_fts_insert", "task_fts_update"]);
    }

    [Fact]
    public async Task OpenAsync_DatabaseLeftAtVersion1_UpgradesToTheLatestVersionKeepingTheWorkspaceAndItsTasks()
    {
        CreateVersion1Database();
        RawDatabase.Execute(DatabasePath, """
            INSERT INTO task (id, workspace_id, title, task_type, specialist_type, complexity, complexity_rank, priority, priority_rank, status, version, created_at, updated_at, started_at, assigned_agent)
            VALUES ('task_old', 'ws_01older', 'Written by version 1', 'standard', 'generic', 'moderate', 1, 'medium', 1, 'in_progress', 3, 1000, 2000, 2000, 'agent-1')
            """);
        _time.Advance(TimeSpan.FromDays(1));

        var store = await NewProvider().OpenAsync(_workspace.Path, Ct);

        var versions = RawDatabase.Rows(DatabasePath, "SELECT version, name, applied_at FROM schema_version ORDER BY version");
        versions.Count.ShouldBe(6);
        versions[0].ShouldBe([1L, "initial", 0L]);
        versions[1].ShouldBe([2L, "operations", _time.GetUtcNow().ToUnixTimeMilliseconds()]);
        versions[2].ShouldBe([3L, "claims", _time.GetUtcNow().ToUnixTimeMilliseconds()]);
        versions[3].ShouldBe([4L, "agents", _time.GetUtcNow().ToUnixTimeMilliseconds()]);
        versions[4].ShouldBe([5L, "search_catch_up", _time.GetUtcNow().ToUnixTimeMilliseconds()]);
        versions[5].ShouldBe([6L, "claim_indexes", _time.GetUtcNow().ToUnixTimeMilliseconds()]);
        (await store.Diagnostics.GetSchemaVersionAsync(Ct)).ShouldBe((6, 6));

        // The task was indexed by version 1's trigger: the upgrade marks it indexed, and search finds it.
        RawDatabase.Scalar(DatabasePath, "SELECT indexed_through FROM search_index").ShouldBe(RawDatabase.Scalar(DatabasePath, "SELECT seq FROM task WHERE id = 'task_old'"));
        await store.PrepareSearchAsync(Ct);
        await using (var search = await store.BeginReadAsync(Ct))
        {
            (await search.Tasks.QueryAsync(new TaskQuery { SearchText = "written version", IncludeArchived = true }, Ct)).Items.Select(t => t.Id).ShouldBe(["task_old"]);
        }

        store.Workspace.Id.ShouldBe(WorkspaceId);
        await using var unit = await store.BeginReadAsync(Ct);
        var task = await unit.Tasks.GetAsync("task_old", Ct);
        task.ShouldNotBeNull();
        task.Status.ShouldBe(TaskItemStatus.InProgress);
        task.Version.ShouldBe(3);
        task.HolderInstanceId.ShouldBeNull();
        task.LeaseExpiresAt.ShouldBeNull();
        (task.LeaseToken, task.LeaseFence, task.LeaseSeconds).ShouldBe((null, 0L, null));
        (await unit.Tasks.GetHeldByAsync(["inst_any"], 10, Ct)).ShouldBeEmpty();
        (await unit.Tasks.GetExpiredLeasesAsync(_time.GetUtcNow(), 10, Ct)).ShouldBeEmpty();
        (await unit.Instances.ListAsync(includeEnded: true, 10, Ct)).ShouldBeEmpty();
        (await unit.Restarts.ListAsync(10, Ct)).TotalCount.ShouldBe(0);
        (await unit.Agents.ListAsync(10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task OpenAsync_FreshDatabase_RecordsEveryVersion()
    {
        var store = await NewProvider().OpenAsync(_workspace.Path, Ct);

        RawDatabase.Rows(DatabasePath, "SELECT version, name FROM schema_version ORDER BY version").ShouldBe([[1L, "initial"], [2L, "operations"], [3L, "claims"], [4L, "agents"], [5L, "search_catch_up"], [6L, "claim_indexes"]]);
        (await store.Diagnostics.GetSchemaVersionAsync(Ct)).ShouldBe((6, 6));
    }

    [Fact]
    public async Task ProbeWriteAsync_ProbedTwice_KeepsOneRowForTheWorkspaceWithTheLastInstanceAndTime()
    {
        var store = await NewProvider().OpenAsync(_workspace.Path, Ct);
        await store.Diagnostics.ProbeWriteAsync("inst_first", Ct);
        _time.Advance(TimeSpan.FromSeconds(15));

        await store.Diagnostics.ProbeWriteAsync("inst_second", Ct);

        RawDatabase.Rows(DatabasePath, "SELECT workspace_id, instance_id, probed_at FROM health_probe")
            .ShouldBe([[store.Workspace.Id, "inst_second", _time.GetUtcNow().ToUnixTimeMilliseconds()]]);
    }

    [Fact]
    public async Task ProbeWriteAsync_AnotherProcessHoldsTheWriteLock_ThrowsStoreBusyWithinTheBusyTimeout()
    {
        var store = await NewProvider(new SqliteStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) }).OpenAsync(_workspace.Path, Ct);
        using var holder = RawDatabase.HoldWriteLock(DatabasePath);

        var ex = await Should.ThrowAsync<OrchestratorException>(async () => await store.Diagnostics.ProbeWriteAsync("inst_1", Ct));

        ex.Error.Code.ShouldBe(ErrorCodes.StoreBusy);
        store.Diagnostics.OpenWriteUnits.ShouldBe(0);
    }

    [Fact]
    public async Task CheckpointAsync_TruncateAfterWrites_ReportsAnEmptyLogAndTruncatesTheFile()
    {
        var store = await NewProvider().OpenAsync(_workspace.Path, Ct);
        await store.Diagnostics.ProbeWriteAsync("inst_1", Ct);
        new FileInfo(DatabasePath + "-wal").Length.ShouldBeGreaterThan(0);

        var result = await store.Diagnostics.CheckpointAsync(truncate: true, Ct);

        // SQLite reports the log as it is after truncation: no frames at all.
        result.ShouldBe(new CheckpointResult(false, 0, 0));
        new FileInfo(DatabasePath + "-wal").Length.ShouldBe(0);
    }

    /// <summary>What a build that knew only migration 0001 left on disk: its schema, version 1 and a workspace row.</summary>
    private void CreateVersion1Database()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        RawDatabase.Create(DatabasePath);
        RawDatabase.Execute(DatabasePath, "PRAGMA journal_mode = WAL");
        RawDatabase.Execute(DatabasePath, EmbeddedMigration("0001_initial.sql"));
        RawDatabase.Execute(DatabasePath, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        RawDatabase.Execute(DatabasePath, "INSERT INTO schema_version (version, name, applied_at) VALUES (1, 'initial', 0)");
        RawDatabase.Execute(DatabasePath, $"INSERT INTO workspace (id, root_path, created_at) VALUES ('{WorkspaceId}', '{_workspace.Path.Replace("'", "''", StringComparison.Ordinal)}', 0)");
    }

    private static string EmbeddedMigration(string fileName)
    {
        var assembly = typeof(SqliteStoreProvider).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Migrations." + fileName, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

    private string[] Names(string type) =>
        [.. RawDatabase.Rows(DatabasePath, $"SELECT name FROM sqlite_master WHERE type = '{type}' AND name NOT LIKE 'sqlite_%' ORDER BY name").Select(r => (string)r[0])];

    private string[] Columns(string table) =>
        [.. RawDatabase.Rows(DatabasePath, $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid").Select(r => (string)r[0])];

    private string[] IndexColumns(string index) =>
        [.. RawDatabase.Rows(DatabasePath, $"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno").Select(r => (string)r[0])];

    private SqliteStoreProvider NewProvider(SqliteStoreOptions? options = null)
    {
        var provider = new SqliteStoreProvider(options ?? new SqliteStoreOptions(), _time);
        _providers.Add(provider);
        return provider;
    }
}
