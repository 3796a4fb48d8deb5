using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>
/// Binds an options section and refuses what the server would otherwise ignore: a key it does not
/// know (a misspelt <c>Agents:LeaseSecond</c> silently left the default in force) or a value that does
/// not convert. Both become an <see cref="OptionsValidationException"/> naming the section, the keys and
/// the known settings, so the server refuses to start with "Invalid configuration" as for any other
/// invalid value, and <c>doctor</c> reports it.
/// </summary>
internal static class StrictBinding
{
    /// <summary>
    /// Binds <paramref name="section"/> of the host's configuration into <typeparamref name="T"/>, strictly;
    /// <paramref name="boundElsewhere"/> names subsections that other options bind (<c>Storage:Sqlite</c>).
    /// </summary>
    public static OptionsBuilder<T> BindStrictly<T>(this OptionsBuilder<T> builder, string section, params string[] boundElsewhere)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<IConfiguration>((options, configuration) => Bind(configuration.GetSection(section), options, boundElsewhere));
        return builder;
    }

    /// <summary>Binds <paramref name="section"/> into <paramref name="options"/>, or throws naming what is wrong.</summary>
    public static void Bind<T>(IConfigurationSection section, T options, params string[] boundElsewhere)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(boundElsewhere);
        var known = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Concat(boundElsewhere).ToArray();
        var unknown = section.GetChildren().Select(c => c.Key).Where(key => !known.Contains(key, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (unknown.Length > 0)
        {
            throw Refusal<T>(string.Create(
                CultureInfo.InvariantCulture,
                $"{section.Path} has {(unknown.Length == 1 ? "a setting" : "settings")} this server does not know: {string.Join(", ", unknown.Select(k => $"'{k}'"))}. The known ones are {string.Join(", ", known.Order(StringComparer.Ordinal))}; fix the spelling or remove it (docs/reference.md lists every setting)."));
        }

        try
        {
            // The binder's own check sees the subsections bound elsewhere as unknown: only without them.
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = boundElsewhere.Length == 0);
        }
        catch (InvalidOperationException ex)
        {
            // A value that does not convert ("Failed to convert configuration value at 'Agents:X' to type
            // 'System.Int32'"), or an unknown key inside a nested object.
            throw Refusal<T>($"{section.Path}: {ex.Message}");
        }
    }

    private static OptionsValidationException Refusal<T>(string failure) => new(Options.DefaultName, typeof(T), [failure]);
}
