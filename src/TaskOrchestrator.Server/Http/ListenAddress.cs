using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace TaskOrchestrator.Server.Http;

/// <summary>One address from <c>Http:Urls</c>: <c>http://HOST:PORT</c> with an IP address, <c>localhost</c> or <c>*</c>.</summary>
internal sealed partial record ListenAddress(string Url, IPAddress? Address, bool Localhost, int Port)
{
    /// <summary>Every address listens on loopback only, so no other machine can reach it.</summary>
    public bool IsLoopback => Localhost || (Address is { } a && IPAddress.IsLoopback(a));

    /// <summary>Listens on every interface.</summary>
    public bool IsWildcard => Address is { } a && (a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any));

    /// <summary>Parses <paramref name="urls"/> (';'-separated); on failure <paramref name="error"/> says what is wrong with which value.</summary>
    public static IReadOnlyList<ListenAddress>? TryParseAll(string? urls, out string? error)
    {
        var parts = (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            error = "Http:Urls is empty; give at least one address such as http://127.0.0.1:" + HttpOptions.DefaultPort.ToString(CultureInfo.InvariantCulture) + ".";
            return null;
        }

        var addresses = new List<ListenAddress>();
        foreach (var part in parts)
        {
            if (TryParse(part, out var address, out error))
            {
                addresses.Add(address);
            }
            else
            {
                return null;
            }
        }

        error = null;
        return addresses;
    }

    private static bool TryParse(string url, out ListenAddress address, out string? error)
    {
        address = null!;
        var match = UrlPattern().Match(url);
        if (!match.Success || !int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65_535)
        {
            error = $"Http:Urls entry '{url}' is not usable: write http://HOST:PORT with HOST an IP address, localhost or * and PORT 0 to 65535, e.g. http://127.0.0.1:{HttpOptions.DefaultPort.ToString(CultureInfo.InvariantCulture)} (https is not served: put a TLS-terminating proxy in front).";
            return false;
        }

        var host = match.Groups["host"].Value;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress(url, null, Localhost: true, port);
        }
        else if (host is "*" or "+")
        {
            address = new ListenAddress(url, IPAddress.IPv6Any, Localhost: false, port);
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            address = new ListenAddress(url, ip, Localhost: false, port);
        }
        else
        {
            error = $"Http:Urls entry '{url}' names the host '{host}': listen on an IP address, localhost or * instead (names clients use are allowed through Http:AllowedHosts).";
            return false;
        }

        if (address.Localhost && address.Port == 0)
        {
            error = $"Http:Urls entry '{url}' asks for a free port on localhost, which means two sockets; use http://127.0.0.1:0 instead.";
            return false;
        }

        error = null;
        return true;
    }

    [GeneratedRegex(@"^http://(?<host>\[[0-9A-Fa-f:.]+\]|[^:/\[\]]+):(?<port>[0-9]{1,5})/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
