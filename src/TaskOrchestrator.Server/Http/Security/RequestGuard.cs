using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Security;

/// <summary>
/// The security middleware every request of the HTTP host passes, in this order: Host header
/// (DNS rebinding, 403), Origin (403; an allowed one gets CORS headers, and its preflight is
/// answered), bearer token (401 with <c>WWW-Authenticate</c>), body size
/// (413), per-client rate limit (429 with <c>Retry-After</c>). It also turns an unexpected failure
/// into a 500 that carries no exception detail (the log has it).
/// </summary>
internal sealed partial class RequestGuard : IMiddleware
{
    /// <summary>Where the accepted token's id is kept for the rest of the pipeline (session ownership).</summary>
    public const string ClientItem = "task-orchestrator.client";

    private const string Challenge = "Bearer realm=\"task-orchestrator\"";
    private readonly HostPolicy _hosts;
    private readonly OriginPolicy _origins;
    private readonly TokenAuthenticator _tokens;
    private readonly ClientRateLimiter _limiter;
    private readonly AnonymousPaths _anonymous;
    private readonly HttpOptions _options;
    private readonly ILogger<RequestGuard> _logger;

    public RequestGuard(HostPolicy hosts, OriginPolicy origins, TokenAuthenticator tokens, ClientRateLimiter limiter, IOptions<AnonymousPaths> anonymous, IOptions<HttpOptions> options, ILogger<RequestGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(anonymous);
        _anonymous = anonymous.Value;
        _hosts = hosts;
        _origins = origins;
        _tokens = tokens;
        _limiter = limiter;
        _options = options.Value;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            if (await AdmitAsync(context))
            {
                await next(context);
            }
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel's own refusals while the body is read: too large (413), malformed, cut short.
            var tooLarge = ex.StatusCode == StatusCodes.Status413PayloadTooLarge;
            await HttpErrors.WriteAsync(
                context,
                ex.StatusCode,
                tooLarge ? "request_too_large" : "bad_request",
                tooLarge ? TooLargeMessage() : "The request could not be read.",
                tooLarge ? "Send less per request." : "Send a well-formed HTTP request.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogFailed(_logger, context.Request.Method, context.Request.Path.Value ?? "/", ex);
            context.Response.Clear();
            await HttpErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal_error", "The server failed to handle the request; the failure is in its log.", "Try again; if it persists, see the server log.");
        }
    }

    private async Task<bool> AdmitAsync(HttpContext context)
    {
        var request = context.Request;
        if (!_hosts.IsAllowed(request))
        {
            LogHostRefused(_logger, request.Host.Value ?? "(none)", request.Path.Value ?? "/");
            await HttpErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "host_not_allowed", $"The Host header '{request.Host.Value}' is not one this server answers to.", "Connect through localhost or 127.0.0.1, or add the name to Http:AllowedHosts.");
            return false;
        }

        if (!_origins.IsAllowed(context))
        {
            var origin = request.Headers.Origin.ToString();
            LogOriginRefused(_logger, origin, request.Path.Value ?? "/");
            await HttpErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "origin_not_allowed", $"Requests from the origin '{origin}' are not allowed.", "Only this server's own loopback origin and Http:AllowedOrigins may call it from a browser.");
            return false;
        }

        if (request.Headers.Origin.ToString() is { Length: > 0 } allowedOrigin)
        {
            // An allowed page may read the answers (CORS); its preflight carries no credentials, so it
            // is answered here, before authentication.
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = allowedOrigin;
            headers.Vary = "Origin";
            headers.AccessControlExposeHeaders = "Mcp-Session-Id, WWW-Authenticate, Retry-After";
            if (HttpMethods.IsOptions(request.Method) && request.Headers.AccessControlRequestMethod.Count > 0)
            {
                headers.AccessControlAllowMethods = "GET, POST, DELETE";
                headers.AccessControlAllowHeaders = "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID";
                headers.AccessControlMaxAge = "600";
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return false;
            }
        }

        string client;
        if (_tokens.Enabled && !_anonymous.Allows(request))
        {
            var outcome = _tokens.Authenticate(request, out var tokenId);
            if (outcome != AuthenticationOutcome.Accepted)
            {
                LogUnauthenticated(_logger, outcome, Remote(context), request.Path.Value ?? "/");
                context.Response.Headers.WWWAuthenticate = outcome == AuthenticationOutcome.Missing ? Challenge : Challenge + ", error=\"invalid_token\"";
                await HttpErrors.WriteAsync(
                    context,
                    StatusCodes.Status401Unauthorized,
                    outcome == AuthenticationOutcome.Missing ? "unauthenticated" : "invalid_token",
                    outcome == AuthenticationOutcome.Missing ? "This server requires a bearer token." : "The bearer token is not valid.",
                    "Send 'Authorization: Bearer <token>' with a token whose SHA-256 hash is in Http:TokenHashes (create one with 'task-orchestrator token').");
                return false;
            }

            client = "token:" + tokenId;
            context.Items[ClientItem] = client;
        }
        else
        {
            client = "ip:" + Remote(context);
        }

        if (request.ContentLength is { } length && length > _options.MaxRequestBodyBytes)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request_too_large", TooLargeMessage(length), "Send less per request.");
            return false;
        }

        // Bodies without a length (chunked) are cut off by Kestrel at the same limit while read.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = _options.MaxRequestBodyBytes;
        }

        if (!_limiter.TryAcquire(client, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            LogRateLimited(_logger, client, seconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await HttpErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, "rate_limited", string.Create(CultureInfo.InvariantCulture, $"Too many requests from this client: the limit is {_options.RateLimitRequests} per {_options.RateLimitWindow}."), string.Create(CultureInfo.InvariantCulture, $"Retry after {seconds} s."));
            return false;
        }

        return true;
    }

    private string TooLargeMessage(long? length = null) => length is { } l
        ? string.Create(CultureInfo.InvariantCulture, $"The request body of {l} bytes is larger than the {_options.MaxRequestBodyBytes} bytes allowed (Http:MaxRequestBodyBytes).")
        : string.Create(CultureInfo.InvariantCulture, $"The request body is larger than the {_options.MaxRequestBodyBytes} bytes allowed (Http:MaxRequestBodyBytes).");

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request for {Path} with Host header {Host}: not a host this server answers to")]
    private static partial void LogHostRefused(ILogger logger, string host, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request for {Path} from the foreign origin {Origin}")]
    private static partial void LogOriginRefused(ILogger logger, string origin, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request for {Path} from {Remote}: bearer token {Outcome}")]
    private static partial void LogUnauthenticated(ILogger logger, AuthenticationOutcome outcome, string remote, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limit reached for {Client}; told to retry after {Seconds} s")]
    private static partial void LogRateLimited(ILogger logger, string client, int seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, string method, string path, Exception exception);
}
