namespace TaskOrchestrator.Core.Storage;

/// <summary>What a checkpoint did.</summary>
/// <param name="Busy">True when it could not finish because of other readers or writers.</param>
/// <param name="LogFrames">Frames in the write-ahead log.</param>
/// <param name="CheckpointedFrames">Frames moved into the database; the difference is still only in the log.</param>
public sealed record CheckpointResult(bool Busy, int LogFrames, int CheckpointedFrames)
{
    /// <summary>Frames that are still only in the log.</summary>
    public int PendingFrames => Math.Max(0, LogFrames - CheckpointedFrames);
}
