using Microsoft.AspNetCore.Http;

namespace TaskOrchestrator.Server.Http.Security;

/// <summary>
/// GET and HEAD paths served without a bearer token even when authentication is on: pages that hold
/// no data themselves (such as a dashboard's HTML and scripts, which then call the API with the token
/// the user gives them). Set in code only, never from configuration, so that no setting can open the
/// API: <c>services.Configure&lt;AnonymousPaths&gt;(p =&gt; p.AllowExact("/").AllowPrefix("/dashboard/"))</c>.
/// The Host, Origin and rate-limit checks still apply to them.
/// </summary>
internal sealed class AnonymousPaths
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];

    public AnonymousPaths AllowExact(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _exact.Add(path);
        return this;
    }

    /// <summary>Every path under <paramref name="prefix"/>, which must end with '/'.</summary>
    public AnonymousPaths AllowPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!prefix.EndsWith('/'))
        {
            throw new ArgumentException($"The anonymous prefix '{prefix}' must end with '/', so that it cannot match a longer name.", nameof(prefix));
        }

        _prefixes.Add(prefix);
        return this;
    }

    public bool Allows(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        var path = request.Path.Value ?? "/";
        return _exact.Contains(path) || _prefixes.Exists(p => path.StartsWith(p, StringComparison.Ordinal));
    }
}
