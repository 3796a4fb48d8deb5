using System.Globalization;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>Refuses web API settings that cannot work, naming each one, its value and what is allowed.</summary>
internal sealed class WebApiOptionsValidator : IValidateOptions<WebApiOptions>
{
    public ValidateOptionsResult Validate(string? name, WebApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.EventPollInterval < TimeSpan.FromMilliseconds(10) || options.EventPollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{WebApiOptions.Section}:EventPollInterval is {options.EventPollInterval}; it must lie between 00:00:00.010 and 00:01:00, such as 00:00:00.100."));
        }

        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1) || options.HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{WebApiOptions.Section}:HeartbeatInterval is {options.HeartbeatInterval}; it must lie between 00:00:01 and 00:05:00, such as 00:00:15."));
        }

        if (options.EventBatchSize is < 1 or > 10_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{WebApiOptions.Section}:EventBatchSize is {options.EventBatchSize}; it must lie between 1 and 10000."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
