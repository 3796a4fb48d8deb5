using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Testing.StoreContract;

namespace TaskOrchestrator.Storage.Postgres.Tests;

/// <summary>
/// The whole store contract against a real PostgreSQL server: one database for the suite, a fresh
/// workspace (its own folder, so its own workspace id) per test, a fresh provider and pool per test.
/// </summary>
public sealed class PostgresStoreContractTests(PostgresCluster cluster) : StoreContractTests
{
    protected override string? NoOwnWriteAheadLog =>
        "PostgreSQL checkpoints its own write-ahead log; the store has no log of its own whose frames a reader could hold back.";

    protected override async Task<IStoreProvider> CreateProviderAsync(TimeProvider time) =>
        new PostgresStoreProvider(new PostgresStoreOptions { ConnectionString = await cluster.DatabaseAsync("contract") }, time);
}
