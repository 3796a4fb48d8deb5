using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Server.Operations;

/// <summary>The outcome of the health monitor's latest pass: what readiness (<c>/ready</c>) reports.</summary>
/// <param name="Worst">The worst status of any check in the pass.</param>
/// <param name="At">When the pass ended.</param>
/// <param name="Problems">The checks that were not healthy, as "name in scope: message".</param>
internal sealed record HealthPass(HealthStatus Worst, DateTimeOffset At, IReadOnlyList<string> Problems);
