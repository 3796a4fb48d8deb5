using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Http.Api;
using TaskOrchestrator.Server.Http.Dashboard;
using TaskOrchestrator.Server.Http.Health;
using TaskOrchestrator.Server.Http.Mcp;
using TaskOrchestrator.Server.Http.Metrics;
using TaskOrchestrator.Server.Http.Security;

namespace TaskOrchestrator.Server.Http;

/// <summary>
/// The HTTP host of <c>serve --http</c>: the same orchestrator services as the stdio host
/// (<see cref="OrchestratorHost.Register"/>), Kestrel on <c>Http:Urls</c>, the security middleware in
/// front of every route, the MCP endpoint with liveness and readiness, the REST API with its event
/// stream, <c>/metrics</c>, and the dashboard.
/// </summary>
internal static class HttpHost
{
    /// <summary>
    /// Builds the application. <paramref name="urls"/> (the --urls option) overrides <c>Http:Urls</c>;
    /// <paramref name="customize"/> lets tests replace services (a fake clock) before the build.
    /// </summary>
    public static WebApplication Build(ServeSettings settings, Serilog.ILogger logger, string workspace, string? urls = null, Action<WebApplicationBuilder>? customize = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "task-orchestrator", ContentRootPath = AppContext.BaseDirectory });
        OrchestratorHost.Register(builder, settings, logger, _ => { });
        if (urls is not null)
        {
            builder.Configuration.AddInMemoryCollection([new($"{HttpOptions.Section}:{nameof(HttpOptions.Urls)}", urls)]);
        }

        AddHttpServices(builder.Services, workspace);
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<RequestGuard>();
        app.UseRouting();

        // Every route is behind RequestGuard; only the dashboard's static files (no data in them) are
        // served without a token, named through AnonymousPaths below.
        app.Map(McpPaths.Endpoint, context => context.RequestServices.GetRequiredService<McpHttpHandler>().HandleAsync(context));
        app.MapHealthEndpoints();
        app.MapOrchestratorWebApi();
        app.MapOrchestratorMetrics();
        app.MapOrchestratorDashboard();
        return app;
    }

    /// <summary>The addresses Kestrel listens on once started (with the real port when 0 was asked for).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
    }

    // One file per port: two servers on one workspace (several instances, or a test next to a real
    // server) never overwrite each other's sessions, and a server restarted on its port finds its own.
    private static string SessionFilePath(HttpOptions options, string workspace)
    {
        if (options.SessionFile is { Length: > 0 } file)
        {
            return Path.GetFullPath(file, workspace);
        }

        var addresses = ListenAddress.TryParseAll(options.Urls, out _);
        var port = addresses is { Count: > 0 } ? addresses[0].Port : HttpOptions.DefaultPort;
        return Path.Combine(workspace, ".task-orchestrator", FormattableString.Invariant($"http-sessions-{port}.json"));
    }

    private static void AddHttpServices(IServiceCollection services, string workspace)
    {
        services.AddOptions<HttpOptions>().BindStrictly(HttpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>();
        services.AddSingleton<HostPolicy>();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<TokenAuthenticator>();
        services.AddSingleton<ClientRateLimiter>();
        services.AddSingleton<RequestGuard>();
        services.AddOptions<AnonymousPaths>().Configure(paths => paths.AllowExact("/").AllowPrefix(DashboardRegistration.AssetPrefix));
        services.AddOrchestratorWebApi();
        services.AddOrchestratorMetricsScrape();
        services.AddSingleton(sp => new SessionRecordFile(SessionFilePath(sp.GetRequiredService<IOptions<HttpOptions>>().Value, workspace)));
        services.AddSingleton<HttpSessionManager>();
        services.AddSingleton<McpHttpHandler>();
        services.AddHostedService<IdleSessionSweeper>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpOptions>>((kestrel, http) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = http.Value.MaxRequestBodyBytes;
            foreach (var address in ListenAddress.TryParseAll(http.Value.Urls, out _) ?? [])
            {
                if (address.Localhost)
                {
                    kestrel.ListenLocalhost(address.Port);
                }
                else if (address.IsWildcard)
                {
                    kestrel.ListenAnyIP(address.Port);
                }
                else
                {
                    kestrel.Listen(new IPEndPoint(address.Address!, address.Port));
                }
            }
        });
    }
}
