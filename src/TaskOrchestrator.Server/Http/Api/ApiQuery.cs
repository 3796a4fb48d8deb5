using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// The query string of an API request read with the tools' rules: parameter names are the tools'
/// snake_case argument names, an unknown name is refused (a misspelt filter must not silently widen
/// the result), enums take their wire names, and every refusal names the parameter, the value and what
/// is allowed. List parameters take repeated values (<c>status=a&amp;status=b</c>) or commas (<c>status=a,b</c>).
/// </summary>
internal sealed class ApiQuery
{
    /// <summary>Names every API route accepts besides its own.</summary>
    public const string Workspace = "workspace";

    private static readonly string[] Booleans = ["true", "false"];
    private readonly IQueryCollection _query;

    private ApiQuery(IQueryCollection query)
    {
        _query = query;
    }

    /// <summary>The query of <paramref name="request"/>, refusing any name outside <paramref name="allowed"/> and <c>workspace</c>.</summary>
    public static ApiQuery Of(HttpRequest request, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var known = allowed.Append(Workspace).ToArray();
        foreach (var name in request.Query.Keys)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw Fail.With(
                    ErrorCodes.UnknownArgument,
                    $"'{Clip(name)}' is not a parameter of {request.Path.Value}.",
                    name,
                    known,
                    "Check the spelling; accepted names are listed in 'allowed'.");
            }
        }

        return new ApiQuery(request.Query);
    }

    /// <summary>The workspace folder the request names, if any.</summary>
    public string? WorkspaceFolder => Text(Workspace);

    /// <summary>A single-valued text parameter, or null when absent.</summary>
    public string? Text(string name)
    {
        var values = Values(name);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw Fail.Invalid(name, $"'{name}' is given {values.Count} times.", $"Give '{name}' once."),
        };
    }

    /// <summary>A list parameter: every value, comma-separated values split, blanks refused.</summary>
    public IReadOnlyList<string> List(string name)
    {
        var items = new List<string>();
        foreach (var value in Values(name))
        {
            foreach (var part in (value ?? string.Empty).Split(','))
            {
                var item = part.Trim();
                if (item.Length == 0)
                {
                    throw Fail.Invalid(name, $"'{name}' holds an empty value ('{Clip(value ?? string.Empty)}').", $"Give each value of '{name}' once, as '{name}=a&{name}=b' or '{name}=a,b'.");
                }

                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>A list of enum wire names.</summary>
    public IReadOnlyList<TEnum> Enums<TEnum>(string name)
        where TEnum : struct, Enum =>
        [.. List(name).Select((value, i) => WireNames.Parse<TEnum>(value, string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]")))];

    /// <summary>An enum wire name, or <paramref name="fallback"/> when absent.</summary>
    public TEnum Enum<TEnum>(string name, TEnum fallback)
        where TEnum : struct, Enum =>
        Text(name) is { } value ? WireNames.Parse<TEnum>(value, name) : fallback;

    /// <summary>A boolean (<c>true</c> or <c>false</c>), or <paramref name="fallback"/> when absent.</summary>
    public bool Flag(string name, bool fallback = false) => Text(name) switch
    {
        null => fallback,
        "true" => true,
        "false" => false,
        var other => throw Fail.Invalid(name, $"'{Clip(other)}' is not a valid value for '{name}'.", "Use true or false.", Booleans),
    };

    /// <summary>A whole number, or <paramref name="fallback"/> when absent; the range is the caller's to check.</summary>
    public int Int(string name, int fallback) =>
        Text(name) is { } value ? (int)Whole(name, value, int.MinValue, int.MaxValue) : fallback;

    /// <summary>A whole number of at least 0, or null when absent.</summary>
    public long? Sequence(string name) =>
        Text(name) is { } value ? Whole(name, value, 0, long.MaxValue) : null;

    /// <summary>Parses a whole number in a range, naming the parameter when it is not one.</summary>
    public static long Whole(string name, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw Fail.Invalid(name, $"'{name}' must be a whole number, not '{Clip(value)}'.", "Pass a whole number such as 50.");
        }

        if (number < min || number > max)
        {
            var range = string.Create(CultureInfo.InvariantCulture, $"{min}..{(max == long.MaxValue ? "+inf" : max.ToString(CultureInfo.InvariantCulture))}");
            throw Fail.Invalid(name, string.Create(CultureInfo.InvariantCulture, $"'{name}' is {number}, outside the allowed range {range}."), $"Pass a value in {range}.", [range]);
        }

        return number;
    }

    private StringValues Values(string name) => _query.TryGetValue(name, out var values) ? values : StringValues.Empty;

    private static string Clip(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "…");
}
