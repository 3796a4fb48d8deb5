using System.Globalization;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage.Transfer;

namespace TaskOrchestrator.Server.Transfer;

/// <summary>What the transfer commands print: reports on stdout, errors with their hint on stderr.</summary>
internal static class TransferConsole
{
    public static void WriteReport(TextWriter output, TransferReport report)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"table",-16} {"source rows",12} {"target rows",12}  {"sha-256 (source)",-16}  {"sha-256 (target)",-16}  result"));
        foreach (var table in report.Tables)
        {
            string result = table.Matches ? "ok" : "MISMATCH";
            if (table.SequenceOffset != 0)
            {
                result += string.Create(CultureInfo.InvariantCulture, $" (seq +{table.SequenceOffset})");
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{table.Table,-16} {table.SourceRows,12} {table.TargetRows,12}  {table.SourceHash[..16],-16}  {table.TargetHash[..16],-16}  {result}"));
        }
    }

    public static void WriteFacts(TextWriter output, BackupFacts facts)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file:       {facts.Path} ({facts.Bytes:N0} bytes, schema version {facts.SchemaVersion}, integrity ok)"));
        output.WriteLine($"workspace:  {facts.Workspace.Id} ({facts.Workspace.RootPath})");
        output.WriteLine("rows:       " + string.Join(", ", facts.Rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}"))));
    }

    /// <summary>Prints the error and returns the exit code for it.</summary>
    public static int Fail(string command, Exception exception, TextWriter error)
    {
        switch (exception)
        {
            case TransferException transfer:
                error.WriteLine($"task-orchestrator {command}: {transfer.Message}");
                if (transfer.Hint.Length > 0)
                {
                    error.WriteLine($"  hint: {transfer.Hint}");
                }

                return (int)transfer.Failure;
            case OrchestratorException orchestrator:
                error.WriteLine($"task-orchestrator {command}: {orchestrator.Error.Message}");
                if (orchestrator.Error.Hint is { Length: > 0 } hint)
                {
                    error.WriteLine($"  hint: {hint}");
                }

                return orchestrator.Error.Code is ErrorCodes.InvalidArgument or ErrorCodes.MissingArgument ? (int)TransferFailure.InvalidInput : (int)TransferFailure.Unavailable;
            case IOException or UnauthorizedAccessException:
                error.WriteLine($"task-orchestrator {command}: {exception.Message}; nothing was changed.");
                error.WriteLine("  hint: check that the paths exist and this user may read and write them.");
                return (int)TransferFailure.Unavailable;
            default:
                throw new InvalidOperationException($"task-orchestrator {command} failed unexpectedly.", exception);
        }
    }

    /// <summary>True for the failures <see cref="Fail"/> reports as a message; others keep their stack trace.</summary>
    public static bool Handles(Exception exception) => exception is TransferException or OrchestratorException or IOException or UnauthorizedAccessException;
}
