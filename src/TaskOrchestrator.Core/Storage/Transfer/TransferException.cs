namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>A transfer, backup or restore that stopped without changing the target, with what to do next.</summary>
public sealed class TransferException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransferException(TransferFailure failure, string message, string hint, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Hint = hint;
    }

    /// <summary>Creates the exception without a hint.</summary>
    public TransferException()
        : this(TransferFailure.Unavailable, "The transfer failed.", string.Empty)
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public TransferException(string message)
        : this(TransferFailure.Unavailable, message, string.Empty)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TransferException(string message, Exception innerException)
        : this(TransferFailure.Unavailable, message, string.Empty, innerException)
    {
    }

    /// <summary>The kind of failure, which is also the exit code.</summary>
    public TransferFailure Failure { get; }

    /// <summary>What the user can do about it.</summary>
    public string Hint { get; }
}
