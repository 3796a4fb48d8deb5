namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>Why a transfer, backup or restore stopped; the value is the command's exit code.</summary>
public enum TransferFailure
{
    /// <summary>A bad argument: wrong scheme, missing file, not a database, unknown workspace.</summary>
    InvalidInput = 2,

    /// <summary>Refused to protect data: the target already holds the workspace, or a live server holds it.</summary>
    Refused = 3,

    /// <summary>The copy read back from the target differs from the source; nothing was committed.</summary>
    VerificationFailed = 4,

    /// <summary>A store could not be reached or read or written (server down, I/O error).</summary>
    Unavailable = 5,
}
