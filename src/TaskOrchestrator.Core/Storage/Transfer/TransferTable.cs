namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>
/// One table of a workspace's data as the transfer sees it: the columns both backends share (without the
/// workspace id, which the target supplies, and without columns a backend derives, such as PostgreSQL's
/// search vector), the order rows are read in, and the column that holds a store-assigned sequence number.
/// </summary>
/// <param name="Name">The table name, the same in both backends.</param>
/// <param name="Columns">The columns carried, in a fixed order.</param>
/// <param name="OrderBy">The columns that order the rows uniquely; text compares by code point in both backends.</param>
/// <param name="SequenceColumn">
/// The column numbered by the store (task, artifact and event <c>seq</c>), or null. The target may shift its
/// numbers by one constant to stay clear of other workspaces' numbers; order and gaps are kept.
/// </param>
public sealed record TransferTable(string Name, IReadOnlyList<TransferColumn> Columns, IReadOnlyList<string> OrderBy, string? SequenceColumn)
{
    /// <summary>The position of <see cref="SequenceColumn"/> in <see cref="Columns"/>, or -1.</summary>
    public int SequenceOrdinal => SequenceColumn is null ? -1 : Columns.ToList().FindIndex(c => c.Name == SequenceColumn);

    /// <summary>The comma-separated column list for SQL text.</summary>
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));
}
