using System.Globalization;
using System.Security.Cryptography;

namespace TaskOrchestrator.Core.Tasks.Claims;

/// <summary>
/// Lease tokens: <c>lease_{fence}_{secret}</c>. The fencing number says which claim of the task the
/// token belongs to (it grows with every claim, so a later claim always has a higher one); the secret
/// (96 random bits) makes a token impossible to guess from the number, so that only the agent handed
/// the claim can write under it.
/// </summary>
public static class LeaseTokens
{
    private const string Prefix = "lease_";

    /// <summary>A new token for the claim with fencing number <paramref name="fence"/>.</summary>
    public static string New(long fence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{fence}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}");

    /// <summary>The fencing number a token carries, or null when it is not a lease token.</summary>
    public static long? FenceOf(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = token.IndexOf('_', Prefix.Length);
        return end > Prefix.Length && long.TryParse(token.AsSpan(Prefix.Length, end - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var fence)
            ? fence
            : null;
    }
}
