using System.Globalization;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Server.Http.Security;

namespace TaskOrchestrator.Server.Http;

/// <summary>
/// Refuses HTTP settings that cannot work or are unsafe, naming each one, its value and what is
/// allowed; among them a listening address other machines can reach while no token is configured.
/// </summary>
internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string S = HttpOptions.Section;
        var addresses = ListenAddress.TryParseAll(options.Urls, out var urlError);
        if (addresses is null)
        {
            failures.Add(urlError!);
        }
        else if (!options.AuthenticationEnabled && addresses.FirstOrDefault(a => !a.IsLoopback) is { } exposed)
        {
            failures.Add($"{S}:Urls includes '{exposed.Url}', which other machines can reach, but no token is configured: refusing to serve without authentication. Create a token with 'task-orchestrator token', put its hash in {S}:TokenHashes (e.g. TASK_ORCHESTRATOR__Http__TokenHashes__0=<hash>), or listen on 127.0.0.1 only.");
        }

        for (int i = 0; i < options.TokenHashes.Count; i++)
        {
            if (!TokenHash.IsWellFormed(options.TokenHashes[i]))
            {
                // The value is not echoed: someone may have pasted the token itself here.
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:TokenHashes:{i} is not a SHA-256 hash: give the 64 hexadecimal digits 'task-orchestrator token' prints (never the token itself)."));
            }
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (OriginPolicy.Normalize(origin) is null)
            {
                failures.Add($"{S}:AllowedOrigins entry '{origin}' is not an origin: write scheme://host[:port] without a path, e.g. https://dashboard.example.com.");
            }
        }

        foreach (var host in options.AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(host) || host.Contains('/', StringComparison.Ordinal) || host.Contains(' ', StringComparison.Ordinal))
            {
                failures.Add($"{S}:AllowedHosts entry '{host}' is not a host name: write a name or address without scheme or port, e.g. orchestrator.internal.");
            }
        }

        if (options.MaxRequestBodyBytes is < 1_024 or > 1_073_741_824)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; allowed: 1024 to 1073741824 bytes."));
        }

        if (options.RateLimitRequests < 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:RateLimitRequests is {options.RateLimitRequests}; allowed: 0 (no limit) or a positive number of requests per {S}:RateLimitWindow."));
        }

        if (options.RateLimitWindow < TimeSpan.FromMilliseconds(100) || options.RateLimitWindow > TimeSpan.FromHours(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:RateLimitWindow is {options.RateLimitWindow}; allowed: 00:00:00.1 to 01:00:00."));
        }

        if (options.SessionIdleTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:SessionIdleTimeout is {options.SessionIdleTimeout}; it must be at least 00:00:01, such as 01:00:00."));
        }

        if (options.MaxSessions is < 1 or > 1_000_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:MaxSessions is {options.MaxSessions}; allowed: 1 to 1000000."));
        }

        if (options.SessionSweepInterval < TimeSpan.FromMilliseconds(100) || options.SessionSweepInterval > TimeSpan.FromHours(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:SessionSweepInterval is {options.SessionSweepInterval}; allowed: 00:00:00.1 to 01:00:00."));
        }

        if (options.ResumableEventsPerSession is < 0 or > 100_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:ResumableEventsPerSession is {options.ResumableEventsPerSession}; allowed: 0 (streams cannot be resumed) to 100000."));
        }

        if (options.StreamRetryInterval < TimeSpan.FromMilliseconds(10) || options.StreamRetryInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:StreamRetryInterval is {options.StreamRetryInterval}; allowed: 00:00:00.01 to 00:10:00."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
