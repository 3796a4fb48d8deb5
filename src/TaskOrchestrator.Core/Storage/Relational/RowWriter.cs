using System.Data.Common;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// The columns of one table as one backend writes them: the column and parameter lists for statement text,
/// built once, and the binding of a record's values. Both backends write a record through the same column
/// list, so a row has the same stored form whichever backend wrote it.
/// </summary>
internal sealed class RowWriter<T>
{
    private readonly SqlDialect _dialect;
    private readonly RowColumn<T>[] _columns;
    private readonly string[] _bound;

    public RowWriter(SqlDialect dialect, IReadOnlyList<RowColumn<T>> columns)
    {
        _dialect = dialect;
        _columns = [.. columns];
        _bound = [.. _columns.Select(c => dialect.BoundName(c.Name))];
        Names = string.Join(", ", _columns.Select(c => c.Name));
        Parameters = string.Join(", ", _columns.Select(c => dialect.Parameter(c.Name)));
        KeyMatch = string.Join(" AND ", _columns.Where(c => c.Key).Select(c => $"{c.Name} = {dialect.Parameter(c.Name)}"));
    }

    /// <summary>The column list, for <c>INSERT INTO table (…)</c>.</summary>
    public string Names { get; }

    /// <summary>The parameter list in the same order, for <c>VALUES (…)</c>.</summary>
    public string Parameters { get; }

    /// <summary>The key columns equal to their parameters, for a <c>WHERE</c>.</summary>
    public string KeyMatch { get; }

    /// <summary>Every column but the key set from its parameter (<c>a = $a</c>), for an <c>UPDATE</c>.</summary>
    public string SetFromParameters => string.Join(", ", _columns.Where(c => !c.Key).Select(c => $"{c.Name} = {_dialect.Parameter(c.Name)}"));

    /// <summary>Every column but the key set from the row an insert would have written, for <c>ON CONFLICT … DO UPDATE SET</c>.</summary>
    public string SetFromExcluded => string.Join(", ", _columns.Where(c => !c.Key).Select(c => $"{c.Name} = excluded.{c.Name}"));

    /// <summary>Binds every column of <paramref name="record"/>; the workspace column takes <paramref name="workspaceId"/>.</summary>
    public void Bind(DbCommand command, T record, string workspaceId)
    {
        for (int i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            _dialect.Bind(command, _bound[i], column.Value is null ? workspaceId : column.Value(record), column.Type);
        }
    }
}
