namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>A column copied between backends; the name is the same in both schemas.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">How its values are carried.</param>
public sealed record TransferColumn(string Name, TransferColumnType Type);
