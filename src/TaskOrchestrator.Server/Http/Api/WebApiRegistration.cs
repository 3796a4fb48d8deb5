using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// The REST read API and its event stream. Needs what the stdio host registers: the store provider,
/// <c>AddOrchestratorServices()</c> (workspace resolver and registry, health reporter, instance
/// identity, tool metrics) and options bound to configuration.
/// </summary>
internal static class WebApiRegistration
{
    /// <summary>The API's own services and its <c>WebApi</c> options.</summary>
    public static IServiceCollection AddOrchestratorWebApi(this IServiceCollection services)
    {
        services.AddOptions<WebApiOptions>().BindStrictly(WebApiOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebApiOptions>, WebApiOptionsValidator>());
        services.TryAddSingleton<ApiWorkspaces>();
        services.TryAddSingleton<ApiReports>();
        services.TryAddSingleton<EventStreams>();
        services.AddRouting();
        return services;
    }

    /// <summary>
    /// Maps <c>/api</c>, <c>/api/tasks</c>, <c>/api/tasks/{id}</c>, <c>/api/sessions</c>,
    /// <c>/api/agents</c>, <c>/api/health</c>, <c>/api/restarts</c>, <c>/api/status</c>,
    /// <c>/api/workspaces</c>, <c>/api/events</c> and <c>/api/events/recent</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapOrchestratorWebApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").AddEndpointFilter(ApiErrors.FilterAsync);
        ApiIndex.Map(endpoints, api);
        TaskEndpoints.Map(api);
        ReportEndpoints.Map(api);
        EventEndpoints.Map(api);
        return endpoints;
    }
}
