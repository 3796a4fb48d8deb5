namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>The neutral type of a transferred column: what every backend reads it as and writes it from.</summary>
public enum TransferColumnType
{
    /// <summary>A string (<see cref="string"/>), or null.</summary>
    Text,

    /// <summary>A 64-bit integer number (<see cref="long"/>), or null; times are Unix milliseconds.</summary>
    Number,

    /// <summary>A flag (<see cref="bool"/>): an integer 0/1 in SQLite, a boolean in PostgreSQL.</summary>
    Boolean,
}
