using System.Globalization;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage.Transfer;

namespace TaskOrchestrator.Storage.Sqlite.Transfer;

/// <summary>
/// A workspace being written into a SQLite file. The file holds this workspace alone, so copied sequence
/// numbers are kept as they are; the event log's AUTOINCREMENT counter is raised to the source's high-water
/// mark so that no number the source ever handed out is handed out again.
/// </summary>
internal sealed class SqliteWorkspaceImport : IWorkspaceImport
{
    private readonly SqliteConnection _connection;
    private readonly string _databasePath;
    private readonly TransferWorkspace _workspace;
    private readonly IReadOnlyDictionary<string, SequenceRange> _sequences;
    private readonly bool _createdFile;
    private readonly bool _createdFolder;
    private bool _committed;

    public SqliteWorkspaceImport(SqliteConnection connection, string databasePath, TransferWorkspace workspace, IReadOnlyDictionary<string, SequenceRange> sequences, string? replaced, bool createdFile, bool createdFolder)
    {
        _connection = connection;
        _databasePath = databasePath;
        _workspace = workspace;
        _sequences = sequences;
        Replaced = replaced;
        _createdFile = createdFile;
        _createdFolder = createdFolder;
    }

    public IReadOnlyDictionary<string, long> SequenceOffsets { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

    public string? Replaced { get; }

    public async Task<long> WriteAsync(TransferTable table, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            long written = await SqliteTableIo.WriteAsync(_connection, table, _workspace.Id, rows, cancellationToken);
            if (table == TransferSchema.Event && _sequences.TryGetValue(table.Name, out var range))
            {
                await SqliteTableIo.ExecAsync(
                    _connection,
                    "UPDATE sqlite_sequence SET seq = max(seq, $hw) WHERE name = 'event'",
                    cancellationToken,
                    ("$hw", range.HighWater));
            }

            return written;
        }
        catch (SqliteException ex)
        {
            throw SqliteTransfer.Describe(ex, _databasePath);
        }
    }

    public IAsyncEnumerable<object?[]> ReadBackAsync(TransferTable table, CancellationToken cancellationToken) =>
        SqliteTableIo.ReadAsync(_connection, table, _workspace.Id, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SqliteTableIo.ExecAsync(_connection, "COMMIT", cancellationToken);
            _committed = true;
            await SqliteTableIo.ExecAsync(_connection, "PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw SqliteTransfer.Describe(ex, _databasePath);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            try
            {
                await SqliteTableIo.ExecAsync(_connection, "ROLLBACK", CancellationToken.None);
            }
            catch (SqliteException)
            {
                // Closing the connection rolls back as well.
            }
        }

        await _connection.DisposeAsync();
        if (!_committed && _createdFile)
        {
            DeleteCreated(_databasePath, _createdFolder);
        }
    }

    /// <summary>Removes a database file (and its WAL companions) that an import created and did not commit.</summary>
    internal static void DeleteCreated(string databasePath, bool folderToo)
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(databasePath + suffix);
        }

        var folder = Path.GetDirectoryName(databasePath)!;
        if (folderToo && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"import of {_workspace.Id} into {_databasePath}");
}
