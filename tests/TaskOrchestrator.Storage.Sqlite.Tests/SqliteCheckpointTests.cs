using System.Buffers.Binary;
using Shouldly;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Storage.Sqlite.Connections;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>
/// Write-ahead-log checkpoints run beside the commits (<see cref="WalCheckpointer"/>), past
/// <see cref="WalCheckpointer.BackgroundPages"/>, and inside a commit only when the log reaches
/// <see cref="WalCheckpointer.InlinePages"/>. The log's state is read from its wal-index (the
/// <c>-shm</c> file): the header's <c>mxFrame</c> (frames in the log) at byte 16 and the checkpoint
/// info's <c>nBackfill</c> (frames copied) at byte 96, both in the machine's byte order; what the
/// checkpoints copied in the end, from the database file's growth.
/// </summary>
public sealed class SqliteCheckpointTests : IAsyncLifetime
{
    // A description of 64 KiB fills 16 pages of 4 KiB: one insert adds a little more to the log.
    private const int DescriptionBytes = 64 * 1024;
    private static readonly TimeSpan BackgroundBound = TimeSpan.FromSeconds(15);

    private readonly TemporaryDirectory _workspace = new("to-sqlite-checkpoint");
    private readonly ManualTimeProvider _time = new();
    private SqliteStoreProvider _provider = null!;
    private SqliteOrchestratorStore _store = null!;
    private int _inserted;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _provider = new SqliteStoreProvider(new SqliteStoreOptions(), _time);
        _store = (SqliteOrchestratorStore)await _provider.OpenAsync(_workspace.Path, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Commits_BelowTheBackgroundThreshold_LeaveTheirFramesInTheLog()
    {
        await InsertUntilTheLogHoldsAsync(500);

        var (frames, copied) = WalIndex();
        frames.ShouldBeInRange(500u, (uint)WalCheckpointer.BackgroundPages - 1);
        copied.ShouldBe(0u);
        (_store.Checkpointer.BackgroundCheckpoints, _store.Checkpointer.InlineCheckpoints).ShouldBe((0L, 0L));
    }

    [Fact]
    public async Task Commit_TakingTheLogPastTheBackgroundThreshold_IsCopiedIntoTheDatabaseByABackgroundCheckpoint()
    {
        long databaseBefore = DatabaseBytes();
        await InsertUntilTheLogHoldsAsync(WalCheckpointer.BackgroundPages);

        await WaitForAsync(() => _store.Checkpointer.BackgroundCheckpoints >= 1);
        (DatabaseBytes() - databaseBefore).ShouldBeGreaterThanOrEqualTo((long)_inserted * DescriptionBytes);
        _store.Checkpointer.InlineCheckpoints.ShouldBe(0L);
    }

    [Fact]
    public async Task Commits_WhileNoBackgroundCheckpointCanRun_CheckpointThemselvesOnceTheLogReachesTheInlineThreshold()
    {
        // An explicit checkpoint that does not finish holds the checkpointer's gate: background
        // checkpoints find it taken and leave their work to it, so only the commits' own rule is left.
        var release = new TaskCompletionSource<CheckpointResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = _store.Checkpointer.ExclusiveAsync(() => release.Task, Ct);
        try
        {
            long databaseBefore = DatabaseBytes();
            await InsertUntilTheLogHoldsAsync(WalCheckpointer.BackgroundPages);
            var (framesBeforeInline, copiedBeforeInline) = WalIndex();
            framesBeforeInline.ShouldBeLessThan((uint)WalCheckpointer.InlinePages);
            copiedBeforeInline.ShouldBe(0u);

            while (_store.Checkpointer.InlineCheckpoints == 0 && _inserted < 1_000)
            {
                await InsertAsync();
            }

            _store.Checkpointer.InlineCheckpoints.ShouldBe(1L);
            _store.Checkpointer.BackgroundCheckpoints.ShouldBe(0L);
            (DatabaseBytes() - databaseBefore).ShouldBeGreaterThanOrEqualTo((long)_inserted * DescriptionBytes);
        }
        finally
        {
            release.SetResult(new CheckpointResult(false, 0, 0));
            await holding;
        }
    }

    [Fact]
    public async Task TruncateCheckpoint_AfterBackgroundCheckpoints_EmptiesTheLog()
    {
        await InsertUntilTheLogHoldsAsync(WalCheckpointer.BackgroundPages);
        await WaitForAsync(() => _store.Checkpointer.BackgroundCheckpoints >= 1);

        var result = await _store.Diagnostics.CheckpointAsync(truncate: true, Ct);

        result.Busy.ShouldBeFalse();
        new FileInfo(_store.DatabasePath + "-wal").Length.ShouldBe(0L);
        await using var unit = await _store.BeginReadAsync(Ct);
        (await unit.Tasks.GetAsync("task_1", Ct)).ShouldNotBeNull().Description!.Length.ShouldBe(DescriptionBytes);
    }

    private async Task InsertUntilTheLogHoldsAsync(int frames)
    {
        while (WalIndex().Frames < frames)
        {
            await InsertAsync();
        }
    }

    private async Task InsertAsync()
    {
        var id = "task_" + ++_inserted;
        await using var unit = await _store.BeginWriteAsync(Ct);
        await unit.Tasks.InsertAsync(new TaskRecord { Id = id, WorkspaceId = _store.Workspace.Id, Title = "Task " + id, Description = new string('d', DescriptionBytes), CreatedAt = _time.GetUtcNow(), UpdatedAt = _time.GetUtcNow() }, Ct);
        await unit.CommitAsync(Ct);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            waited.Elapsed.ShouldBeLessThan(BackgroundBound, "the background checkpoint never ran");
            await Task.Delay(10, Ct);
        }
    }

    // Only a checkpoint writes the database file in WAL mode, so its growth is what checkpoints copied. The
    // wal-index counters cannot tell afterwards: once a checkpoint has copied the whole log, the next commit
    // (here, often the search index's background batch) starts the log over and both go back to zero.
    private long DatabaseBytes() => new FileInfo(_store.DatabasePath).Length;

    private (uint Frames, uint Copied) WalIndex()
    {
        if (!File.Exists(_store.DatabasePath + "-shm"))
        {
            return (0, 0);
        }

        using var shm = new FileStream(_store.DatabasePath + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[136];
        shm.ReadExactly(header);
        return BitConverter.IsLittleEndian
            ? (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(96)))
            : (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(96)));
    }
}
