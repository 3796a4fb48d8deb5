using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Mcp.Operations.Instances;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// <c>GET /api</c> (what this server offers), <c>GET /api/workspaces</c>, and the 404 of any other
/// <c>/api</c> path. The endpoint list is read from the routing table, so it includes routes other
/// parts of the host add under <c>/api</c>.
/// </summary>
internal static class ApiIndex
{
    public static void Map(IEndpointRouteBuilder endpoints, RouteGroupBuilder api)
    {
        api.MapGet(string.Empty, Index);
        api.MapGet("/workspaces", Workspaces);
        endpoints.MapFallback("/api/{**path}", (HttpRequest request, EndpointDataSource routes) => ApiErrors.Result(new OrchestratorError(
            ErrorCodes.NotFound,
            $"There is no API endpoint {request.Method} {request.Path.Value}.",
            "path",
            Endpoints(routes),
            "GET /api lists the endpoints; docs/reference.md describes them.")));
    }

    private static IResult Index(HttpRequest request, EndpointDataSource routes, EventStreams streams, ApiWorkspaces workspaces, InstanceIdentity identity)
    {
        ApiQuery.Of(request);
        return TypedResults.Json(new ApiIndexResult(identity.Version, identity.InstanceId, workspaces.Default.Root, Endpoints(routes), streams.Open), ApiJson.Options);
    }

    private static IResult Workspaces(HttpRequest request, ApiWorkspaces workspaces)
    {
        ApiQuery.Of(request);
        return TypedResults.Json(new WorkspaceListResult(workspaces.Default.Root, workspaces.Default.Source, workspaces.Known), ApiJson.Options);
    }

    private static IReadOnlyList<string> Endpoints(EndpointDataSource routes) =>
        [.. routes.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods && methods.HttpMethods.Contains("GET"))
            .Select(e => "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'))
            .Where(p => p == "/api" || p.StartsWith("/api/", StringComparison.Ordinal))
            .Where(p => !p.Contains("{**", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
}

/// <summary><c>GET /api</c>: the server and its API endpoints.</summary>
internal sealed record ApiIndexResult(string Version, string InstanceId, string Workspace, IReadOnlyList<string> Endpoints, int OpenEventStreams);

/// <summary><c>GET /api/workspaces</c>: the workspace read by default and every one a request may name.</summary>
internal sealed record WorkspaceListResult(string Default, string DefaultResolvedFrom, IReadOnlyList<string> Workspaces);
