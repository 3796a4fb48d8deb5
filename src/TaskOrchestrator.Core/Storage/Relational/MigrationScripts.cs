using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// A backend's migrations: the resources named <c>….Migrations.NNNN_name.sql</c> embedded in its assembly,
/// in version order. The versions must run 1, 2, 3… without gaps, so that a missing file fails the build's
/// tests rather than a user's database.
/// </summary>
internal sealed partial class MigrationScripts
{
    private MigrationScripts(List<MigrationScript> all)
    {
        All = all;
    }

    public IReadOnlyList<MigrationScript> All { get; }

    /// <summary>The newest version, the one a migrated database is at.</summary>
    public int Latest => All[^1].Version;

    /// <summary>The migrations embedded in <paramref name="assembly"/>.</summary>
    public static MigrationScripts From(Assembly assembly)
    {
        var migrations = new List<MigrationScript>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(name);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new MigrationScript(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration versions must run 1, 2, 3… without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException($"The assembly {assembly.GetName().Name} embeds no Migrations.NNNN_name.sql resource.");
        }

        return new MigrationScripts(migrations);
    }

    [GeneratedRegex(@"\.Migrations\.(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}
