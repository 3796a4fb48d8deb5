using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>Registers the metrics services and maps <c>GET /metrics</c>.</summary>
internal static class OrchestratorMetricsEndpoints
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>
    /// The collector behind /metrics, the store-backed and SLO gauges with the timer that refreshes the
    /// store figures, and the OTLP exporter, with the <c>Metrics</c> section bound and validated at
    /// start; each is started only when something reads it (see <see cref="MetricsStartup"/>). Needs the orchestrator's services
    /// (<c>AddOrchestratorServices</c>). Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddOrchestratorMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(MetricsCollector)))
        {
            return services;
        }

        services.AddOptions<MetricsOptions>().BindStrictly(MetricsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>());
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton<StoreGauges>();
        services.AddSingleton<SloGauges>();
        services.AddSingleton<OtlpMetricsExporter>();
        services.AddSingleton<MetricsStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsStartup>());
        services.AddHostedService<StoreGaugeRefresher>();
        return services;
    }

    /// <summary>
    /// For a host that serves <c>/metrics</c> (<see cref="MapOrchestratorMetrics"/>): the orchestrator's
    /// metrics (<see cref="AddOrchestratorMetrics"/>) with the collector listening from the start.
    /// </summary>
    public static IServiceCollection AddOrchestratorMetricsScrape(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<MetricsScrape>();
        return services.AddOrchestratorMetrics();
    }

    /// <summary>
    /// Maps <c>GET /metrics</c>: the orchestrator's meter in the Prometheus text format 0.0.4. Whatever
    /// authentication and origin checks the host applies to its endpoints apply here too.
    /// </summary>
    public static IEndpointRouteBuilder MapOrchestratorMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, (MetricsCollector collector) => Results.Text(PrometheusText.Render(collector.Collect()), PrometheusText.ContentType))
            .WithName("OrchestratorMetrics")
            .ExcludeFromDescription();
        return endpoints;
    }
}
