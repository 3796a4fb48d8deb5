using System.Collections.Concurrent;
using Npgsql;
using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Postgres.Tests;

/// <summary>
/// Several store instances on one database, each with its own data source and pool, as separate server
/// processes have: they migrate once, agree on workspaces and never hand one task out twice.
/// </summary>
public sealed class PostgresSharedDatabaseTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const int Instances = 4;
    private readonly List<PostgresStoreProvider> _providers = [];
    private readonly TemporaryDirectory _workspace = new("to-pg-shared");

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

        _workspace.Dispose();
    }

    [Fact]
    public async Task OpenAsync_InstancesStartingTogetherOnAnEmptyDatabase_MigrateOnceAndServeOneWorkspace()
    {
        var connectionString = await cluster.DatabaseAsync("migrate_together");

        var stores = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => Task.Run(async () => await NewProvider(connectionString).OpenAsync(_workspace.Path, Ct), Ct)));

        stores.Select(s => s.Workspace.Id).Distinct().Count().ShouldBe(1);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var versions = new NpgsqlCommand("SELECT count(*), max(version) FROM schema_version", connection);
        await using var reader = await versions.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        reader.GetInt64(0).ShouldBe(PostgresStoreProvider.LatestSchemaVersion);
        reader.GetInt32(1).ShouldBe(PostgresStoreProvider.LatestSchemaVersion);
        (await stores[0].Diagnostics.GetSchemaVersionAsync(Ct)).ShouldBe((PostgresStoreProvider.LatestSchemaVersion, PostgresStoreProvider.LatestSchemaVersion));
    }

    [Fact]
    public async Task ClaimNextAsync_AgentsOfSeveralInstancesClaimingFromAThousandReadyTasks_EachTaskClaimedExactlyOnce()
    {
        const int Tasks = 1_000;
        const int AgentsPerInstance = 8;
        var connectionString = await cluster.DatabaseAsync("claims");
        var stores = new List<IOrchestratorStore>();
        for (int i = 0; i < Instances; i++)
        {
            stores.Add(await NewProvider(connectionString).OpenAsync(_workspace.Path, Ct));
        }

        var seeded = stores[0];
        await using (var unit = await seeded.BeginWriteAsync(Ct))
        {
            for (int i = 0; i < Tasks; i++)
            {
                var now = TimeProvider.System.Now();
                await unit.Tasks.InsertAsync(new TaskRecord { Id = $"task_{i:D4}", WorkspaceId = seeded.Workspace.Id, Title = $"Ready task {i}", CreatedAt = now, UpdatedAt = now }, Ct);
            }

            await unit.CommitAsync(Ct);
        }

        // Each instance has its own claimer, as each server process does; agents claim until nothing is left.
        var claims = new ConcurrentBag<(string TaskId, string AgentId)>();
        var filter = new ClaimFilter([], [], null);
        var agents = stores.SelectMany((store, instance) =>
        {
            var claimer = new TaskClaimer(TimeProvider.System);
            return Enumerable.Range(0, AgentsPerInstance).Select(a => Task.Run(async () =>
            {
                var agentId = $"agent-{instance}-{a}";
                while (true)
                {
                    var outcome = await claimer.ClaimNextAsync(store, agentId, filter, TimeSpan.FromMinutes(10), RoleCatalog.BuiltIn, new Actor(agentId, null, "test"), Ct);
                    if (outcome.Claimed is null)
                    {
                        return;
                    }

                    claims.Add((outcome.Claimed.Task.Id, agentId));
                }
            }, Ct));
        });
        await Task.WhenAll(agents);

        claims.Count.ShouldBe(Tasks);
        claims.Select(c => c.TaskId).Distinct().Count().ShouldBe(Tasks);
        await using var read = await seeded.BeginReadAsync(Ct);
        (await read.Tasks.CountByStatusAsync(null, Ct)).ShouldBe([KeyValuePair.Create(TaskItemStatus.InProgress, Tasks)]);
        var stored = (await read.Tasks.GetManyAsync([.. claims.Select(c => c.TaskId)], Ct)).ToDictionary(t => t.Id, t => t.AssignedAgent, StringComparer.Ordinal);
        claims.ShouldAllBe(c => stored[c.TaskId] == c.AgentId);
    }

    private PostgresStoreProvider NewProvider(string connectionString)
    {
        var provider = new PostgresStoreProvider(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System);
        _providers.Add(provider);
        return provider;
    }
}
