using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Security;

/// <summary>
/// Which browser origins may call the server. A request without an Origin header does not come from
/// a browser page and is let through (authentication still applies). With one, it is allowed when it
/// is this server's own loopback origin (http, a loopback host, the port the request came in on) or
/// one of <c>Http:AllowedOrigins</c>; every other page, including the opaque origin "null", is
/// foreign: a web page the user happens to visit must not drive the server.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;

    public OriginPolicy(IOptions<HttpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = new HashSet<string>(options.Value.AllowedOrigins.Select(Normalize).OfType<string>(), StringComparer.Ordinal);
    }

    public bool IsAllowed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        if (Normalize(origin) is not { } normalized || !Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return _allowed.Contains(normalized)
            || (uri.Scheme == Uri.UriSchemeHttp && HostPolicy.IsLoopbackName(uri.Host) && uri.Port == context.Connection.LocalPort);
    }

    /// <summary><c>scheme://host:port</c> in lower case with the port always written, or null when <paramref name="origin"/> is not an origin.</summary>
    public static string? Normalize(string? origin)
    {
        if (string.IsNullOrWhiteSpace(origin)
            || !Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath.Length > 1
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            return null;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{IPAddress.Parse(uri.DnsSafeHost)}]" : uri.Host;
        return FormattableString.Invariant($"{uri.Scheme}://{host.ToLowerInvariant()}:{uri.Port}");
    }
}
