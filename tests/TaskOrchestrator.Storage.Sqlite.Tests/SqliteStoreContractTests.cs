using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Testing.StoreContract;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>The whole store contract against real SQLite files, one fresh database per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override Task<IStoreProvider> CreateProviderAsync(TimeProvider time) =>
        Task.FromResult<IStoreProvider>(new SqliteStoreProvider(new SqliteStoreOptions(), time));
}
