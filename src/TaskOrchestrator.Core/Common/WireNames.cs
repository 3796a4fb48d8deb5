using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Core.Common;

/// <summary>
/// The snake_case names enums have on the wire and in the store, read from their
/// <see cref="JsonStringEnumMemberNameAttribute"/>s so that JSON, SQL and error messages agree.
/// </summary>
public static class WireNames
{
    /// <summary>Every wire name of <typeparamref name="TEnum"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum => Cache<TEnum>.All;

    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Cache<TEnum>.NameByValue[value];

    /// <summary>Parses a wire name; exact and case-sensitive, as the schema's enum is.</summary>
    public static bool TryParse<TEnum>(string? name, out TEnum value)
        where TEnum : struct, Enum
    {
        if (name is not null && Cache<TEnum>.ValueByName.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Parses a wire name or throws an invalid-argument error listing the allowed names.</summary>
    public static TEnum Parse<TEnum>(string? name, string field)
        where TEnum : struct, Enum
    {
        if (TryParse<TEnum>(name, out var value))
        {
            return value;
        }

        throw Fail.Invalid(
            field,
            $"'{name}' is not a valid value for '{field}'.",
            $"Use one of: {string.Join(", ", Cache<TEnum>.All)}.",
            Cache<TEnum>.All);
    }

    /// <summary>Parses a name read back from the store, where an unknown name means corruption.</summary>
    public static TEnum FromStore<TEnum>(string name)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(name, out var value)
            ? value
            : throw new InvalidOperationException($"The store holds '{name}', which is not a {typeof(TEnum).Name}.");

    private static class Cache<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> NameByValue = BuildNames();
        public static readonly FrozenDictionary<string, TEnum> ValueByName =
            NameByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<TEnum>().Select(v => NameByValue[v])];

        private static FrozenDictionary<TEnum, string> BuildNames()
        {
            var names = new Dictionary<TEnum, string>();
            foreach (var field in typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var attribute = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()
                    ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{field.Name} has no wire name.");
                names[(TEnum)field.GetValue(null)!] = attribute.Name;
            }

            return names.ToFrozenDictionary();
        }
    }
}
