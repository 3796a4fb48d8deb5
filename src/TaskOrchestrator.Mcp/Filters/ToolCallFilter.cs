using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Metrics;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;

namespace TaskOrchestrator.Mcp.Filters;

/// <summary>
/// Wraps every tool call: refuses it while the server shuts down, tracks it as in flight (so that
/// shutdown can drain it), validates the arguments against the tool's input schema, turns domain errors
/// into structured tool errors, hides unexpected failures behind an error that leaks no internals,
/// and records the call's outcome and latency.
/// </summary>
public static partial class ToolCallFilter
{
    /// <summary>The filter, for <c>AddCallToolFilter</c>.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var started = Stopwatch.GetTimestamp();
            var name = context.Params?.Name ?? string.Empty;
            var services = context.Services!;
            var tool = context.MatchedPrimitive as McpServerTool;

            // Only tools this server has are measured under their name: a client's made-up names must
            // not grow the metrics without bound.
            var measuredName = tool is null ? UnknownTool : name;
            var readOnly = tool?.ProtocolTool.Annotations?.ReadOnlyHint ?? false;
            if (services.GetService<WorkerLifecycle>() is { IsShuttingDown: true })
            {
                services.GetRequiredService<ToolCallMetrics>().Record(measuredName, readOnly, Stopwatch.GetElapsedTime(started), ToolOutcome.ServerError);
                return ToolResults.Error(ShuttingDown(name));
            }

            using var inFlight = Track(context, name);
            CallToolResult result;
            ToolOutcome outcome;
            try
            {
                var error = tool is not null
                    ? ArgumentValidator.Validate(tool.ProtocolTool.InputSchema, context.Params?.Arguments)
                    : null;
                DropNullArguments(context.Params?.Arguments);
                result = error is null ? await next(context, cancellationToken) : ToolResults.Error(error);
                outcome = result.IsError == true ? ToolOutcomes.OfError(ErrorCode(result)) : ToolOutcome.Success;
            }
            catch (OrchestratorException ex)
            {
                result = ToolResults.Error(ex.Error);
                outcome = ToolOutcomes.OfError(ex.Error.Code);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not McpProtocolException)
            {
                LogUnexpected(services.GetRequiredService<ILogger<ToolCallMetrics>>(), name, ex);
                result = ToolResults.Error(new OrchestratorError(
                    ErrorCodes.InternalError,
                    $"The server failed unexpectedly while running '{name}' ({ex.GetType().Name}). A change is kept only if it was committed before the failure.",
                    null,
                    null,
                    "Retry the call; if it changes state, pass the same idempotency_key so a committed change is not repeated. The server log has the details."));
                outcome = ToolOutcome.ServerError;
            }

            services.GetRequiredService<ToolCallMetrics>().Record(measuredName, readOnly, Stopwatch.GetElapsedTime(started), outcome);
            return result;
        };

    /// <summary>The name calls of tools this server does not have are measured under.</summary>
    public const string UnknownTool = "(unknown)";

    /// <summary>The <c>error.code</c> of a tool error's structured content, or null when it has none.</summary>
    private static string? ErrorCode(CallToolResult result) =>
        result.StructuredContent is { ValueKind: System.Text.Json.JsonValueKind.Object } content
        && content.TryGetProperty("error", out var error)
        && error.ValueKind == System.Text.Json.JsonValueKind.Object
        && error.TryGetProperty("code", out var code)
        && code.ValueKind == System.Text.Json.JsonValueKind.String
            ? code.GetString()
            : null;

    private static IDisposable? Track(RequestContext<CallToolRequestParams> context, string name)
    {
        var services = context.Services!;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var now = time.GetUtcNow();
        if (services.GetService<ConnectionRegistry>() is { } connections)
        {
            connections.For(context.Server).LastActivityAt = now;
        }

        services.GetService<LiveServers>()?.Track(context.Server);
        return services.GetService<InFlightCalls>()?.Begin(context.JsonRpcRequest.Id.ToString(), name, context.Server.SessionId, now);
    }

    private static OrchestratorError ShuttingDown(string tool) => new(
        ErrorCodes.ServerShuttingDown,
        $"The server is shutting down and takes no new calls; '{tool}' was not run and nothing was changed.",
        null,
        null,
        "Retry the call once the server is back (a supervised server restarts by itself and keeps your session; otherwise restart it from your MCP client).");

    /// <summary>Null top-level arguments mean "not given": the tool then sees its parameter's default.</summary>
    private static void DropNullArguments(IDictionary<string, System.Text.Json.JsonElement>? arguments)
    {
        if (arguments is null || arguments.IsReadOnly)
        {
            return;
        }

        foreach (var name in arguments.Where(a => a.Value.ValueKind == System.Text.Json.JsonValueKind.Null).Select(a => a.Key).ToArray())
        {
            arguments.Remove(name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} failed unexpectedly.")]
    private static partial void LogUnexpected(ILogger logger, string tool, Exception exception);
}
