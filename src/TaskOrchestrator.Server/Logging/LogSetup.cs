using Serilog;
using Serilog.Events;

namespace TaskOrchestrator.Server.Logging;

/// <summary>
/// Logging for a server whose stdout belongs to the protocol: every event goes to stderr, and to a
/// daily file under the workspace's <c>.task-orchestrator/logs</c> folder, shared by every process of
/// the workspace.
/// </summary>
internal static class LogSetup
{
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] [{ProcessId}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>The logger; <paramref name="logFolder"/> null logs to stderr only.</summary>
    public static Serilog.Core.Logger Create(LogEventLevel level, string? logFolder)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("ModelContextProtocol", level > LogEventLevel.Warning ? level : LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", level > LogEventLevel.Warning ? level : LogEventLevel.Warning)
            .Enrich.WithProperty("ProcessId", Environment.ProcessId)
            .WriteTo.Console(outputTemplate: Template, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (logFolder is not null)
        {
            configuration = configuration.WriteTo.File(
                Path.Combine(logFolder, "task-orchestrator-.log"),
                outputTemplate: Template,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                fileSizeLimitBytes: 50 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                shared: true,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        return configuration.CreateLogger();
    }

    /// <summary>The log folder of a workspace, created if missing; null when it cannot be written.</summary>
    public static string? FolderFor(string workspaceRoot)
    {
        var folder = Path.Combine(workspaceRoot, ".task-orchestrator", "logs");
        try
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
