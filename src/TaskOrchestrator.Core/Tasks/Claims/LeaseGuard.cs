using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>
/// Fencing: a write to a claimed task must present the claim's current lease token. An agent whose
/// claim ended (its lease expired and the task went back, or someone else claims it now) is told so,
/// with who holds the task now, instead of overwriting the new holder's work.
/// </summary>
public static class LeaseGuard
{
    /// <summary>
    /// Throws <c>lease_required</c> when <paramref name="task"/> is claimed and no token is given, and
    /// <c>lease_lost</c> when the token given is not the current claim's (or the task is not claimed).
    /// <paramref name="action"/> names the write for the message ("completing it").
    /// </summary>
    public static void Ensure(TaskRecord task, string? token, string action)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.LeaseToken is null && token is null)
        {
            return;
        }

        if (token is null)
        {
            throw Fail.With(
                ErrorCodes.LeaseRequired,
                $"Task '{task.Id}' is claimed by agent '{task.AssignedAgent}' ({Claim(task)}); {action} needs that claim's lease_token.",
                "lease_token",
                null,
                "Pass the lease_token that orchestrator_claim_next_task or orchestrator_execute_task returned with the claim. If the claim is not yours, pick another task.",
                Holder(task));
        }

        if (task.LeaseToken is not null && Same(token, task.LeaseToken))
        {
            return;
        }

        var yours = LeaseTokens.FenceOf(token) is { } fence ? $"claim #{fence}" : "a token that is not a lease token";
        var now = task.LeaseToken is null
            ? $"nobody holds it now: it is '{WireNames.Of(task.Status)}'{(task.StatusReason is null ? string.Empty : $" ({task.StatusReason})")}"
            : $"it is held now by agent '{task.AssignedAgent}' ({Claim(task)})";
        throw Fail.With(
            ErrorCodes.LeaseLost,
            $"Your lease token for task '{task.Id}' ({yours}) is not its current claim, so {action} was refused and nothing changed: {now}.",
            "lease_token",
            null,
            "Stop working on this task: your claim ended (its lease expired or it was released) and the work may be done by someone else. Claim another task with orchestrator_claim_next_task.",
            Holder(task));
    }

    private static string Claim(TaskRecord task) =>
        string.Create(CultureInfo.InvariantCulture, $"claim #{task.LeaseFence}, lease until {task.LeaseExpiresAt:u}");

    private static JsonObject Holder(TaskRecord task) => new()
    {
        ["status"] = WireNames.Of(task.Status),
        ["held_by"] = task.LeaseToken is null ? null : task.AssignedAgent,
        ["fence"] = task.LeaseFence,
        ["lease_expires_at"] = task.LeaseExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
    };

    // Compared in constant time: the token is a secret.
    private static bool Same(string given, string current) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(current));
}
