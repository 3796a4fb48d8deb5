using Serilog.Events;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>How <c>serve</c> was asked to run.</summary>
/// <param name="Workspace">The --workspace option, if given.</param>
/// <param name="ConfigFile">An optional JSON configuration file.</param>
/// <param name="LogLevel">The minimum level logged.</param>
/// <param name="LogFile">Write logs to a file in the workspace as well as to stderr.</param>
/// <param name="Tools">The --tools profile, if given; it overrides Orchestrator:Tools.</param>
internal sealed record ServeSettings(string? Workspace, string? ConfigFile, LogEventLevel LogLevel, bool LogFile = true, string? Tools = null);
