using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Security;

/// <summary>
/// A token bucket per client (its token when authentication is on, else its IP address):
/// <c>Http:RateLimitRequests</c> requests, refilled evenly over <c>Http:RateLimitWindow</c>. A client
/// over the limit gets 429 with the seconds until its next request is accepted; the others are not
/// affected. Buckets idle for long are dropped by the limiter's own replenishment.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly TimeSpan _refillEvery;

    public ClientRateLimiter(IOptions<HttpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var http = options.Value;
        if (http.RateLimitRequests <= 0)
        {
            return;
        }

        // Refilled in ten steps per window: smooth enough, and the Retry-After stays meaningful.
        const int Steps = 10;
        _refillEvery = http.RateLimitWindow / Steps;
        var perStep = Math.Max(1, http.RateLimitRequests / Steps);
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = http.RateLimitRequests,
            TokensPerPeriod = perStep,
            ReplenishmentPeriod = _refillEvery,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one request from <paramref name="client"/>'s bucket; false, with when to retry, when it is empty.</summary>
    public bool TryAcquire(string client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(client);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _refillEvery;
        return false;
    }

    public void Dispose() => _limiter?.Dispose();
}
