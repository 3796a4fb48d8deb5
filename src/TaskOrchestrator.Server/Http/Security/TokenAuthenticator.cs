using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Security;

/// <summary>
/// Checks the bearer token of a request against the configured SHA-256 hashes. The presented token
/// is hashed and compared with every configured hash in constant time, so neither the comparison nor
/// the number of hashes tried tells an attacker how close a guess was.
/// </summary>
internal sealed class TokenAuthenticator
{
    private const int StackTokenBytes = 256;
    private readonly byte[][] _hashes;
    private readonly string[] _ids;

    public TokenAuthenticator(IOptions<HttpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hashes = [.. options.Value.TokenHashes.Where(TokenHash.IsWellFormed).Select(TokenHash.Bytes)];
        _ids = [.. _hashes.Select(h => Convert.ToHexStringLower(h)[..12])];
    }

    /// <summary>Whether requests must carry a token.</summary>
    public bool Enabled => _hashes.Length > 0;

    /// <summary>
    /// The outcome for <paramref name="request"/>; for an accepted token, <paramref name="tokenId"/> is
    /// the first 12 hex digits of its hash: what logs and rate limits name the client by.
    /// </summary>
    public AuthenticationOutcome Authenticate(HttpRequest request, out string? tokenId)
    {
        ArgumentNullException.ThrowIfNull(request);
        tokenId = null;
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (header.Length == 0)
        {
            return AuthenticationOutcome.Missing;
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return AuthenticationOutcome.Invalid;
        }

        // Hashed from a stack buffer: this runs on every request.
        var token = header.AsSpan(Scheme.Length).Trim();
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(token.Length);
        Span<byte> utf8 = length <= StackTokenBytes ? stackalloc byte[StackTokenBytes] : new byte[length];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(token, utf8)], presented);
        int match = -1;
        for (int i = 0; i < _hashes.Length; i++)
        {
            // Every hash is compared, a match or not, so the time taken does not depend on which one matched.
            if (CryptographicOperations.FixedTimeEquals(presented, _hashes[i]))
            {
                match = i;
            }
        }

        if (match < 0)
        {
            return AuthenticationOutcome.Invalid;
        }

        tokenId = _ids[match];
        return AuthenticationOutcome.Accepted;
    }
}
