using System.Security.Cryptography;
using System.Text;

namespace TaskOrchestrator.Server.Http.Security;

/// <summary>Bearer tokens and the SHA-256 hashes that are configured in their place.</summary>
internal static class TokenHash
{
    /// <summary>The SHA-256 hash of <paramref name="token"/> as 64 lowercase hex digits.</summary>
    public static string Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A new token: 32 random bytes, base64url, prefixed so that it is recognizable in a secret scanner.</summary>
    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return "to_" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool IsWellFormed(string? hash) => hash is { Length: 64 } && hash.All(Uri.IsHexDigit);

    /// <summary>The raw bytes of a well-formed hash.</summary>
    public static byte[] Bytes(string hash) => Convert.FromHexString(hash);
}
