using System.Runtime.CompilerServices;

namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>
/// Copies one workspace from an export into a target and verifies the copy before committing it: every
/// table is hashed as it streams out of the source's snapshot, then read back from the target inside the
/// target's transaction and hashed again; the target commits only when every table's count and hash agree.
/// A mismatch rolls the target back and reports which tables differ, so a failed copy changes nothing.
/// </summary>
public static class WorkspaceTransfer
{
    /// <summary>Copies and verifies; the report says per table what was compared and whether it committed.</summary>
    public static async Task<TransferReport> CopyAsync(IWorkspaceExport source, IWorkspaceTransferTarget target, TransferOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var workspace = options.RootPath is null ? source.Workspace : source.Workspace with { RootPath = options.RootPath };
        await using var import = await target.BeginImportAsync(workspace, source.Sequences, options.Replace, cancellationToken);
        var sourceDigests = new List<(TransferTable Table, long Rows, string Hash)>();
        using (var header = new TableDigest(TransferSchema.Workspace))
        {
            header.Add([workspace.Id, workspace.RootPath, workspace.CreatedAtMs]);
            sourceDigests.Add((TransferSchema.Workspace, header.Rows, header.Hex));
        }

        foreach (var table in TransferSchema.Tables)
        {
            using var digest = new TableDigest(table);
            long written = await import.WriteAsync(table, Tee(source.ReadAsync(table, cancellationToken), digest, cancellationToken), cancellationToken);
            if (written != digest.Rows)
            {
                throw new InvalidOperationException($"The target wrote {written} '{table.Name}' rows of the {digest.Rows} it was given.");
            }

            sourceDigests.Add((table, digest.Rows, digest.Hex));
        }

        var verifications = new List<TableVerification>();
        foreach (var (table, rows, hash) in sourceDigests)
        {
            long offset = import.SequenceOffsets.GetValueOrDefault(table.Name);
            using var digest = new TableDigest(table, offset);
            await foreach (var row in import.ReadBackAsync(table, cancellationToken))
            {
                digest.Add(row);
            }

            verifications.Add(new TableVerification(table.Name, rows, digest.Rows, hash, digest.Hex, offset));
        }

        bool matches = verifications.All(v => v.Matches);
        if (matches)
        {
            await import.CommitAsync(cancellationToken);
        }

        return new TransferReport(workspace, verifications, matches, import.Replaced);
    }

    /// <summary>The canonical lines of every table of an export, for comparing two stores' contents line by line.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DumpAsync(IWorkspaceExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var dump = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var table in TransferSchema.Tables)
        {
            var lines = new List<string>();
            await foreach (var row in export.ReadAsync(table, cancellationToken))
            {
                lines.Add(CanonicalRows.Format(table, row));
            }

            dump[table.Name] = lines;
        }

        return dump;
    }

    private static async IAsyncEnumerable<object?[]> Tee(IAsyncEnumerable<object?[]> rows, TableDigest digest, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            digest.Add(row);
            yield return row;
        }
    }
}
