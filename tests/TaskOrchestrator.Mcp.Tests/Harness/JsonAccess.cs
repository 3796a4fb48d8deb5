using System.Globalization;
using System.Text.Json;

namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>Short reads of structured content: property paths separated by '.', array items by index.</summary>
internal static class JsonAccess
{
    /// <summary>The element at a path such as <c>task.dependencies.0.task_id</c>.</summary>
    public static JsonElement At(this JsonElement element, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            if (element.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                Assert.True(index < element.GetArrayLength(), $"Index {index} is past the end of an array of {element.GetArrayLength()} in '{path}'.");
                element = element[index];
                continue;
            }

            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out var next))
            {
                Assert.Fail($"'{segment}' of '{path}' is missing in {Clip(element.GetRawText())}");
                return default;
            }

            element = next;
        }

        return element;
    }

    public static string? Str(this JsonElement element, string path)
    {
        var value = element.At(path);
        return value.ValueKind == JsonValueKind.Null ? null : value.GetString();
    }

    public static long Int(this JsonElement element, string path) => element.At(path).GetInt64();

    public static double Num(this JsonElement element, string path) => element.At(path).GetDouble();

    public static bool Bool(this JsonElement element, string path) => element.At(path).GetBoolean();

    public static bool IsNull(this JsonElement element, string path) => element.At(path).ValueKind == JsonValueKind.Null;

    public static DateTimeOffset Time(this JsonElement element, string path) =>
        DateTimeOffset.Parse(element.At(path).GetString()!, CultureInfo.InvariantCulture);

    public static JsonElement[] Items(this JsonElement element, string path) => [.. element.At(path).EnumerateArray()];

    /// <summary>The strings of an array.</summary>
    public static string[] Strs(this JsonElement element, string path) => [.. element.At(path).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>One string at a path of every item of an array.</summary>
    public static string[] Pluck(this JsonElement element, string path, string property) =>
        [.. element.At(path).EnumerateArray().Select(e => e.At(property).GetString()!)];

    private static string Clip(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
