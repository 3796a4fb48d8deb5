using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>Refuses metrics settings that cannot work, naming the setting, its value and what is allowed.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.StoreRefreshInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{MetricsOptions.Section}:StoreRefreshInterval is {options.StoreRefreshInterval}; it must be at least 00:00:01, for example 00:00:15.");
        }

        var otlp = options.Otlp;
        if (!string.IsNullOrWhiteSpace(otlp.Endpoint)
            && (!Uri.TryCreate(otlp.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{MetricsOptions.Section}:Otlp:Endpoint is '{otlp.Endpoint}'; it must be an absolute http or https URL such as http://127.0.0.1:4318/v1/metrics, or unset to export nothing.");
        }

        if (!OtlpProtocols.All.Contains(otlp.Protocol, StringComparer.Ordinal))
        {
            failures.Add($"{MetricsOptions.Section}:Otlp:Protocol is '{otlp.Protocol}'; allowed: {string.Join(", ", OtlpProtocols.All)}.");
        }

        if (otlp.ExportInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{MetricsOptions.Section}:Otlp:ExportInterval is {otlp.ExportInterval}; it must be at least 00:00:01, for example 00:00:30.");
        }

        if (otlp.Timeout <= TimeSpan.Zero || otlp.Timeout > otlp.ExportInterval)
        {
            failures.Add($"{MetricsOptions.Section}:Otlp:Timeout is {otlp.Timeout}; it must be positive and not longer than Metrics:Otlp:ExportInterval ({otlp.ExportInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
