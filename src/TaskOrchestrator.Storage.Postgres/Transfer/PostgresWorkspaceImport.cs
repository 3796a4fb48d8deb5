using Npgsql;
using NpgsqlTypes;
using TaskOrchestrator.Core.Storage.Transfer;

namespace TaskOrchestrator.Storage.Postgres.Transfer;

/// <summary>A workspace being written into PostgreSQL inside one transaction that holds the workspace's write lock.</summary>
internal sealed class PostgresWorkspaceImport : IWorkspaceImport
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _location;
    private readonly TransferWorkspace _workspace;
    private readonly Dictionary<string, long> _offsets;
    private readonly Dictionary<string, Dictionary<string, NpgsqlDbType>> _columnTypes;

    public PostgresWorkspaceImport(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string location,
        TransferWorkspace workspace,
        Dictionary<string, long> offsets,
        Dictionary<string, Dictionary<string, NpgsqlDbType>> columnTypes,
        string? replaced)
    {
        _connection = connection;
        _transaction = transaction;
        _location = location;
        _workspace = workspace;
        _offsets = offsets;
        _columnTypes = columnTypes;
        Replaced = replaced;
    }

    public IReadOnlyDictionary<string, long> SequenceOffsets => _offsets;

    public string? Replaced { get; }

    public async Task<long> WriteAsync(TransferTable table, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            return await PostgresTableIo.WriteAsync(_connection, table, _workspace.Id, _columnTypes[table.Name], _offsets.GetValueOrDefault(table.Name), rows, cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new TransferException(
                TransferFailure.Unavailable,
                $"PostgreSQL at {_location} refused the '{table.Name}' rows: {ex.MessageText}{(ex.Detail is null ? "" : " (" + ex.Detail + ")")}. Nothing was changed.",
                "The source may hold rows the target's constraints reject; see the detail.",
                ex);
        }
    }

    public IAsyncEnumerable<object?[]> ReadBackAsync(TransferTable table, CancellationToken cancellationToken) =>
        PostgresTableIo.ReadAsync(_connection, _transaction, table, _workspace.Id, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new TransferException(TransferFailure.Unavailable, $"PostgreSQL at {_location} refused the commit: {ex.MessageText}. Nothing was changed.", "See the message.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
