using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using TaskOrchestrator.Core.Storage.Transfer;

namespace TaskOrchestrator.Storage.Postgres.Transfer;

/// <summary>
/// One workspace read from PostgreSQL inside one <c>REPEATABLE READ READ ONLY</c> transaction: every table
/// is read as of the same snapshot, whatever the servers commit meanwhile.
/// </summary>
internal sealed class PostgresWorkspaceExport : IWorkspaceExport
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _location;

    private PostgresWorkspaceExport(NpgsqlConnection connection, NpgsqlTransaction transaction, string location, TransferWorkspace workspace, IReadOnlyDictionary<string, SequenceRange> sequences)
    {
        _connection = connection;
        _transaction = transaction;
        _location = location;
        Workspace = workspace;
        Sequences = sequences;
    }

    public TransferWorkspace Workspace { get; }

    public IReadOnlyDictionary<string, SequenceRange> Sequences { get; }

    public static async Task<PostgresWorkspaceExport> OpenAsync(NpgsqlConnection connection, string location, string? selector, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        try
        {
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(cancellationToken);
            }

            await PostgresTransfer.RequireCurrentSchemaAsync(connection, transaction, location, cancellationToken);
            var all = new List<TransferWorkspace>();
            await using (var command = new NpgsqlCommand("SELECT id, root_path, created_at FROM workspace ORDER BY root_path COLLATE \"C\"", connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    all.Add(new TransferWorkspace(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }
            }

            var workspace = Select(all, selector, location);
            var sequences = new Dictionary<string, SequenceRange>(StringComparer.Ordinal);
            foreach (var table in TransferSchema.Tables.Where(t => t.SequenceColumn is not null))
            {
                await using var command = new NpgsqlCommand($"SELECT min({table.SequenceColumn}), max({table.SequenceColumn}) FROM {table.Name} WHERE workspace_id = @ws", connection, transaction);
                command.Parameters.AddWithValue("ws", workspace.Id);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                if (!reader.IsDBNull(0))
                {
                    sequences[table.Name] = new SequenceRange(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(1));
                }
            }

            return new PostgresWorkspaceExport(connection, transaction, location, workspace, sequences);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public async IAsyncEnumerable<object?[]> ReadAsync(TransferTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        await foreach (var row in PostgresTableIo.ReadAsync(_connection, _transaction, table, Workspace.Id, cancellationToken))
        {
            yield return row;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    public override string ToString() => $"{Workspace.Id} in {_location}";

    private static TransferWorkspace Select(List<TransferWorkspace> all, string? selector, string location)
    {
        string listing = all.Count == 0
            ? "It holds no workspace."
            : "It holds: " + string.Join("; ", all.Select(w => $"{w.Id} ({w.RootPath})")) + ".";
        if (selector is null)
        {
            return all.Count == 1
                ? all[0]
                : throw new TransferException(
                    TransferFailure.InvalidInput,
                    string.Create(CultureInfo.InvariantCulture, $"The database {location} holds {all.Count} workspaces; name the one to copy. {listing}"),
                    "Pass --pg-workspace with a workspace id (ws_…) or root folder from the list.");
        }

        var trimmed = selector.Length > 1 ? selector.TrimEnd('/') : selector;
        return all.FirstOrDefault(w => w.Id == selector)
            ?? all.FirstOrDefault(w => w.RootPath == selector || w.RootPath == trimmed)
            ?? throw new TransferException(
                TransferFailure.InvalidInput,
                $"The database {location} holds no workspace with id or root folder '{selector}'. {listing}",
                "Pass --pg-workspace with a workspace id (ws_…) or root folder from the list.");
    }
}
