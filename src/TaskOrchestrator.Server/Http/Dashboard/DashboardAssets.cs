using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace TaskOrchestrator.Server.Http.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly (no build step, no CDN, nothing fetched at run
/// time), each with its content type and a strong ETag from its content, read once.
/// </summary>
internal sealed class DashboardAssets
{
    /// <summary>The prefix of the dashboard's resource names (see the Server project file).</summary>
    public const string ResourcePrefix = "Dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    public DashboardAssets()
        : this(typeof(DashboardAssets).Assembly)
    {
    }

    public DashboardAssets(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var path = name[ResourcePrefix.Length..];
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            assets[path] = new DashboardAsset(path, type, content, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every file, by its path under the dashboard folder (such as <c>js/board.js</c>).</summary>
    public IReadOnlyCollection<string> Paths => _assets.Keys;

    /// <summary>The file at <paramref name="path"/>, or null.</summary>
    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path);
}

/// <summary>One embedded dashboard file.</summary>
internal sealed record DashboardAsset(string Path, string ContentType, byte[] Content, string ETag);
