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
    private readonly byte[][] _hashes;

    public TokenAuthenticator(IOptions<HttpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hashes = [.. options.Value.TokenHashes.Where(TokenHash.IsWellFormed).Select(TokenHash.Bytes)];
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

        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), presented);
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

        tokenId = Convert.ToHexStringLower(_hashes[match])[..12];
        return AuthenticationOutcome.Accepted;
    }
}
