using System.Security.Cryptography;
using System.Text;

namespace TaskOrchestrator.Core.Common;

/// <summary>Content hashes as stored beside artifacts and idempotency records: lowercase hex SHA-256.</summary>
public static class ContentHash
{
    /// <summary>The SHA-256 of the UTF-8 bytes of <paramref name="text"/>, as <c>sha256:hex</c>.</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return "sha256:" + Convert.ToHexStringLower(hash);
    }
}
