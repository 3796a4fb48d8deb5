using Shouldly;
using TaskOrchestrator.Storage.Sqlite.Connections;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>
/// The writer queue on a real file: two queues opened on one database stand for two processes (flock
/// locks belong to the open file, not the process), so one waits in the kernel until the other leaves.
/// </summary>
public sealed class WriterQueueTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private readonly TemporaryDirectory _folder = new();

    private string Database => Path.Combine(_folder.Path, "orchestrator.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task EnterAsync_WhileAnotherHoldsTheTurn_WaitsUntilItLeavesAndThenHoldsItInTurn()
    {
        using var first = WriterQueue.Open(Database);
        using var second = WriterQueue.Open(Database);
        first.Enabled.ShouldBeTrue();
        File.Exists(Database + "-writers").ShouldBeTrue();

        (await first.EnterAsync(Long, Ct)).ShouldBeTrue();
        var waiting = second.EnterAsync(Long, Ct).AsTask();
        await Task.Delay(300, Ct);
        waiting.IsCompleted.ShouldBeFalse();

        first.Leave();

        (await waiting.WaitAsync(Long, Ct)).ShouldBeTrue();
        (await first.EnterAsync(TimeSpan.FromMilliseconds(200), Ct)).ShouldBeFalse();
        second.Leave();
        (await first.EnterAsync(Long, Ct)).ShouldBeTrue();
        first.Leave();
    }

    [Fact]
    public async Task EnterAsync_TimedOut_TheTurnThatComesLaterIsGivenBackAtOnce()
    {
        using var holder = WriterQueue.Open(Database);
        using var impatient = WriterQueue.Open(Database);
        using var next = WriterQueue.Open(Database);
        (await holder.EnterAsync(Long, Ct)).ShouldBeTrue();

        (await impatient.EnterAsync(TimeSpan.FromMilliseconds(200), Ct)).ShouldBeFalse();
        holder.Leave();

        // The impatient queue's waiter gets the turn when the holder leaves, and releases it unused.
        (await next.EnterAsync(Long, Ct)).ShouldBeTrue();
        next.Leave();
    }

    [Fact]
    public async Task EnterAsync_Cancelled_ThrowsAndLeavesTheQueueFree()
    {
        using var holder = WriterQueue.Open(Database);
        using var waiter = WriterQueue.Open(Database);
        (await holder.EnterAsync(Long, Ct)).ShouldBeTrue();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(async () => await waiter.EnterAsync(Long, cancel.Token));
        holder.Leave();

        (await holder.EnterAsync(Long, Ct)).ShouldBeTrue();
        holder.Leave();
    }
}
