using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>The probes health checks and shutdown readiness run on a SQLite workspace database.</summary>
public sealed class SqliteDiagnosticsProbeTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _workspace = new("to-sqlite-probe");
    private readonly ManualTimeProvider _time = new();
    private SqliteStoreProvider? _provider;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => SqliteStoreProvider.DatabasePath(_workspace.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _workspace.Dispose();
    }

    [Fact]
    public async Task ProbeWriteAsync_ProbedTwiceInTheSameMillisecond_StillWritesANewValue()
    {
        var store = await OpenAsync();
        await store.Diagnostics.ProbeWriteAsync("inst_1", Ct);
        var first = (long)RawDatabase.Scalar(DatabasePath, "SELECT probed_at FROM health_probe")!;

        await store.Diagnostics.ProbeWriteAsync("inst_1", Ct);

        first.ShouldBe(_time.GetUtcNow().ToUnixTimeMilliseconds());
        RawDatabase.Scalar(DatabasePath, "SELECT probed_at FROM health_probe").ShouldBe(first + 1);
    }

    [Fact]
    public async Task IsWriteLockedAsync_NobodyWriting_FalseAndWritesNothing()
    {
        var store = await OpenAsync();
        var walBefore = new FileInfo(DatabasePath + "-wal").Length;

        var locked = await store.Diagnostics.IsWriteLockedAsync(Ct);

        locked.ShouldBeFalse();
        new FileInfo(DatabasePath + "-wal").Length.ShouldBe(walBefore);
        RawDatabase.Scalar(DatabasePath, "SELECT count(*) FROM health_probe").ShouldBe(0L);
    }

    [Fact]
    public async Task IsWriteLockedAsync_AnotherConnectionHoldsTheLock_TrueAtOnce()
    {
        var store = await OpenAsync();
        using var holder = RawDatabase.HoldWriteLock(DatabasePath);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var locked = await store.Diagnostics.IsWriteLockedAsync(Ct);

        locked.ShouldBeTrue();
        System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task IsWriteLockedAsync_AfterTheHolderLetGo_FalseAndWritesStillWork()
    {
        var store = await OpenAsync();
        using (RawDatabase.HoldWriteLock(DatabasePath))
        {
            (await store.Diagnostics.IsWriteLockedAsync(Ct)).ShouldBeTrue();
        }

        (await store.Diagnostics.IsWriteLockedAsync(Ct)).ShouldBeFalse();
        await store.Diagnostics.ProbeWriteAsync("inst_1", Ct);
        RawDatabase.Scalar(DatabasePath, "SELECT instance_id FROM health_probe").ShouldBe("inst_1");
    }

    private async Task<Core.Storage.IOrchestratorStore> OpenAsync()
    {
        _provider = new SqliteStoreProvider(new SqliteStoreOptions(), _time);
        return await _provider.OpenAsync(_workspace.Path, Ct);
    }
}
