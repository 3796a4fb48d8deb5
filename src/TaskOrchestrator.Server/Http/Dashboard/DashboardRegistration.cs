using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TaskOrchestrator.Server.Http.Dashboard;

/// <summary>
/// The live web dashboard: <c>/</c> serves its page and <c>/dashboard/...</c> its scripts, styles and
/// icon. The page holds no data; everything it shows comes from <c>/api</c> with the bearer token the
/// user gives it, so serving the page itself needs no token.
/// </summary>
internal static class DashboardRegistration
{
    /// <summary>The URL prefix of the dashboard's files.</summary>
    public const string AssetPrefix = "/dashboard/";

    // The page loads nothing from elsewhere and runs no inline script or style: a strict policy turns
    // any injected markup into inert text, and the page cannot be framed by another site.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Maps <c>/</c> and <c>/dashboard/{file}</c>.</summary>
    public static IEndpointRouteBuilder MapOrchestratorDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var assets = new DashboardAssets();
        endpoints.MapGet("/", (HttpContext http) => Serve(http, assets.Find("index.html")));
        endpoints.MapGet(AssetPrefix + "{**path}", (HttpContext http, string path) => Serve(http, path == "index.html" ? null : assets.Find(path)));
        return endpoints;
    }

    private static IResult Serve(HttpContext http, DashboardAsset? asset)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (asset is null)
        {
            return TypedResults.NotFound();
        }

        // Revalidated on every load, so a new server version is never shown with stale scripts.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
