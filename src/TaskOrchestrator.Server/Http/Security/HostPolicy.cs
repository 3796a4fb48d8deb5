using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Security;

/// <summary>
/// Which Host header values the server answers (DNS rebinding: a hostile name that resolves to
/// 127.0.0.1 must not reach a loopback server through a browser). Always allowed: localhost and
/// loopback addresses. Also: the addresses it listens on, this machine's name and interface addresses
/// when it listens on every interface, and <c>Http:AllowedHosts</c> (<c>*</c> allows any).
/// </summary>
internal sealed class HostPolicy
{
    private readonly HashSet<string> _allowed = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _any;

    public HostPolicy(IOptions<HttpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var http = options.Value;
        _any = http.AllowedHosts.Contains("*");
        foreach (var host in http.AllowedHosts)
        {
            _allowed.Add(host.Trim().Trim('[', ']'));
        }

        var addresses = ListenAddress.TryParseAll(http.Urls, out _) ?? [];
        foreach (var address in addresses.Where(a => a.Address is not null && !a.IsWildcard))
        {
            _allowed.Add(address.Address!.ToString());
        }

        if (addresses.Any(a => a.IsWildcard))
        {
            _allowed.Add(Dns.GetHostName());
            _allowed.Add(Environment.MachineName);
            foreach (var unicast in NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses))
            {
                _allowed.Add(unicast.Address.ToString());
            }
        }
    }

    public bool IsAllowed(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.Host;
        if (!host.HasValue)
        {
            return false;
        }

        var name = host.Host.Trim('[', ']');
        return _any || IsLoopbackName(name) || _allowed.Contains(name);
    }

    /// <summary><c>localhost</c> or a loopback address (brackets around IPv6 allowed).</summary>
    public static bool IsLoopbackName(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.Trim('[', ']');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip));
    }
}
