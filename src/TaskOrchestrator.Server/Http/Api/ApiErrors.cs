using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Results;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// Turns what an API handler throws into the tools' error envelope
/// <c>{"error": {"code", "message", "field", "allowed", "hint", "details"}}</c> with a fitting HTTP status;
/// an unexpected failure is logged and answered without its type's internals or a stack trace.
/// </summary>
internal static partial class ApiErrors
{
    /// <summary>The endpoint filter of every <c>/api</c> route.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OrchestratorException ex)
        {
            return Result(ex.Error);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException)
        {
            return Result(new OrchestratorError(
                ErrorCodes.WorkspaceUnavailable,
                $"The workspace store could not be read: {HealthProbe.Describe(ex)}",
                null,
                null,
                "Retry shortly; GET /api/health shows the store's checks."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors));
            LogUnexpected(logger, context.HttpContext.Request.Path.Value ?? string.Empty, ex);
            return Result(new OrchestratorError(
                ErrorCodes.InternalError,
                $"The server failed unexpectedly while answering {context.HttpContext.Request.Path.Value} ({ex.GetType().Name}).",
                null,
                null,
                "Retry the request; the server log has the details."));
        }
    }

    /// <summary>The envelope of <paramref name="error"/> with its HTTP status.</summary>
    public static IResult Result(OrchestratorError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return TypedResults.Json(Envelope(error), ApiJson.Options, statusCode: StatusCode(error.Code));
    }

    /// <summary>The tools' error envelope for <paramref name="error"/>.</summary>
    public static ErrorEnvelope Envelope(OrchestratorError error) =>
        new(new ErrorBody(error.Code, error.Message, error.Field, error.Allowed, error.Hint, error.Details));

    /// <summary>The envelope as one line of JSON, for an error sent inside an event stream.</summary>
    public static string Json(OrchestratorError error) => JsonSerializer.Serialize(Envelope(error), ApiJson.Options);

    /// <summary>The HTTP status of an error code: the caller's mistake (4xx) or the server's state (5xx).</summary>
    public static int StatusCode(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.MissingArgument or ErrorCodes.UnknownArgument or ErrorCodes.TooLarge => StatusCodes.Status400BadRequest,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.WorkspaceUnavailable or ErrorCodes.StoreBusy or ErrorCodes.ServerShuttingDown => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "The REST API failed unexpectedly answering {Path}")]
    private static partial void LogUnexpected(ILogger logger, string path, Exception exception);
}
