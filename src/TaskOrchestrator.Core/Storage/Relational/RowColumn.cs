namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// One column a backend writes from a <typeparamref name="T"/>: its name (also its parameter's name), its type
/// and its value; a null <paramref name="Value"/> marks the column that takes the unit's workspace id.
/// </summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The type it is bound as.</param>
/// <param name="Value">The stored value of a record (null for NULL), or null for the unit's workspace id.</param>
/// <param name="Key">True for the columns that identify the row, which an upsert matches instead of updating.</param>
internal sealed record RowColumn<T>(string Name, StoredType Type, Func<T, object?>? Value, bool Key = false);
