using System.Buffers.Binary;
using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Storage.Sqlite.Connections;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>
/// Write-ahead-log checkpoints run beside the commits (<see cref="WalCheckpointer"/>). What SQLite has
/// copied into the database is read from its wal-index (the <c>-shm</c> file): the header's
/// <c>mxFrame</c> (frames in the log) at byte 16 and the checkpoint info's <c>nBackfill</c> (frames
/// copied) at byte 96, both in the machine's byte order.
/// </summary>
public sealed class SqliteCheckpointTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _workspace = new("to-sqlite-checkpoint");
    private readonly ManualTimeProvider _time = new();
    private SqliteStoreProvider _provider = null!;
    private SqliteOrchestratorStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _provider = new SqliteStoreProvider(new SqliteStoreOptions(), _time);
        _store = (SqliteOrchestratorStore)await _provider.OpenAsync(_workspace.Path, Ct);
        await InsertAsync("task_0"); // the first commit starts a checkpoint: the interval counts from it
        await _store.Checkpointer.Idle;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Commit_WithinTheIntervalOfTheLastCheckpoint_LeavesItsFramesInTheLog()
    {
        await InsertAsync("task_1");
        await _store.Checkpointer.Idle;

        var (frames, copied) = WalIndex();
        frames.ShouldBeGreaterThan(copied);
    }

    [Fact]
    public async Task Commit_AnIntervalAfterTheLastCheckpoint_CopiesTheLogIntoTheDatabaseBesideTheCommit()
    {
        await InsertAsync("task_1");
        _time.Advance(WalCheckpointer.Interval);

        await InsertAsync("task_2");
        await _store.Checkpointer.Idle;

        var (frames, copied) = WalIndex();
        frames.ShouldBeGreaterThan(0u);
        copied.ShouldBe(frames);
    }

    private async Task InsertAsync(string id)
    {
        await using var unit = await _store.BeginWriteAsync(Ct);
        await unit.Tasks.InsertAsync(new TaskRecord { Id = id, WorkspaceId = _store.Workspace.Id, Title = "Task " + id, CreatedAt = _time.Now(), UpdatedAt = _time.Now() }, Ct);
        await unit.CommitAsync(Ct);
    }

    private (uint Frames, uint Copied) WalIndex()
    {
        using var shm = new FileStream(_store.DatabasePath + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[136];
        shm.ReadExactly(header);
        return BitConverter.IsLittleEndian
            ? (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(96)))
            : (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(96)));
    }
}
