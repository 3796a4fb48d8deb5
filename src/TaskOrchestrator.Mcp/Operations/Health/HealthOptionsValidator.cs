using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Mcp.Operations.Health;

/// <summary>Refuses health settings that cannot work, naming each one and what is allowed.</summary>
public sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Positive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"Health:{setting} is {value}; it must be a positive duration such as 00:00:10.");
            }
        }

        Positive(options.HeartbeatInterval, nameof(options.HeartbeatInterval));
        Positive(options.InstanceTtl, nameof(options.InstanceTtl));
        Positive(options.StaleProcessGrace, nameof(options.StaleProcessGrace));
        Positive(options.MonitorInterval, nameof(options.MonitorInterval));
        Positive(options.WriteProbeDegradedLatency, nameof(options.WriteProbeDegradedLatency));
        Positive(options.WriteProbeCriticalLatency, nameof(options.WriteProbeCriticalLatency));
        Positive(options.SlowCallThreshold, nameof(options.SlowCallThreshold));
        Positive(options.AlertCommandTimeout, nameof(options.AlertCommandTimeout));
        Positive(options.WebhookTimeout, nameof(options.WebhookTimeout));

        if (options.InstanceTtl <= 2 * options.HeartbeatInterval)
        {
            failures.Add($"Health:InstanceTtl ({options.InstanceTtl}) must be more than twice Health:HeartbeatInterval ({options.HeartbeatInterval}), or one late heartbeat would get a live process declared dead.");
        }

        if (options.WriteProbeCriticalLatency < options.WriteProbeDegradedLatency)
        {
            failures.Add($"Health:WriteProbeCriticalLatency ({options.WriteProbeCriticalLatency}) must not be below Health:WriteProbeDegradedLatency ({options.WriteProbeDegradedLatency}).");
        }

        if (options.WalDegradedBytes <= 0 || options.WalCriticalBytes < options.WalDegradedBytes)
        {
            failures.Add($"Health:WalDegradedBytes ({options.WalDegradedBytes}) must be positive and Health:WalCriticalBytes ({options.WalCriticalBytes}) at least as large.");
        }

        if (options.DiskFreeCriticalBytes < 0 || options.DiskFreeDegradedBytes < options.DiskFreeCriticalBytes)
        {
            failures.Add($"Health:DiskFreeCriticalBytes ({options.DiskFreeCriticalBytes}) must not be negative and Health:DiskFreeDegradedBytes ({options.DiskFreeDegradedBytes}) at least as large.");
        }

        if (options.DiskFreeCriticalPercent is < 0 or > 100 || options.DiskFreeDegradedPercent is < 0 or > 100 || options.DiskFreeDegradedPercent < options.DiskFreeCriticalPercent)
        {
            failures.Add($"Health:DiskFreeDegradedPercent ({options.DiskFreeDegradedPercent}) and Health:DiskFreeCriticalPercent ({options.DiskFreeCriticalPercent}) must lie between 0 and 100, the degraded one at least as large.");
        }

        if (options.MemoryDegradedBytes <= 0 || options.MemoryCriticalBytes < options.MemoryDegradedBytes)
        {
            failures.Add($"Health:MemoryDegradedBytes ({options.MemoryDegradedBytes}) must be positive and Health:MemoryCriticalBytes ({options.MemoryCriticalBytes}) at least as large.");
        }

        if (options.CriticalPassesBeforeRestart < 1)
        {
            failures.Add($"Health:CriticalPassesBeforeRestart is {options.CriticalPassesBeforeRestart}; it must be at least 1.");
        }

        if (options.MonitorIntegrityEvery < 0)
        {
            failures.Add($"Health:MonitorIntegrityEvery is {options.MonitorIntegrityEvery}; use 0 (never) or a positive number of passes.");
        }

        if (!string.IsNullOrWhiteSpace(options.WebhookUrl)
            && (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"Health:WebhookUrl '{options.WebhookUrl}' is not an absolute http or https URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
