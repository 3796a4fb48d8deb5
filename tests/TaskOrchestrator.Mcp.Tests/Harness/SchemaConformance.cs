using System.Globalization;
using System.Text.Json;

namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>
/// Checks a JSON value against the JSON Schema subset tools publish as output schemas: type, properties,
/// required, additionalProperties=false, items, local $ref and anyOf. Returns the violations found.
/// </summary>
internal static class SchemaConformance
{
    public static List<string> Violations(JsonElement schema, JsonElement value)
    {
        var problems = new List<string>();
        Check(schema, schema, value, "$", problems);
        return problems;
    }

    private static void Check(JsonElement root, JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        if (schema.ValueKind == JsonValueKind.True || schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Check(root, Resolve(root, reference.GetString()!), value, path, problems);
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            problems.Add($"{path}: {value.ValueKind} does not match type {type.GetRawText()}");
            return;
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var branches = anyOf.EnumerateArray().Select(b =>
            {
                var branch = new List<string>();
                Check(root, b, value, path, branch);
                return branch;
            }).ToList();
            if (branches.All(b => b.Count > 0))
            {
                problems.Add($"{path}: matches no anyOf branch ({string.Join("; ", branches.SelectMany(b => b))})");
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(n => !value.TryGetProperty(n, out _)))
                {
                    problems.Add($"{path}: required '{name}' is missing");
                }
            }

            foreach (var member in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var memberSchema))
                {
                    Check(root, memberSchema, member.Value, $"{path}.{member.Name}", problems);
                }
                else if (schema.TryGetProperty("additionalProperties", out var additional))
                {
                    if (additional.ValueKind == JsonValueKind.False)
                    {
                        problems.Add($"{path}: '{member.Name}' is not in the schema");
                    }
                    else
                    {
                        Check(root, additional, member.Value, $"{path}.{member.Name}", problems);
                    }
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            int index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(root, items, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), problems);
            }
        }
    }

    private static JsonElement Resolve(JsonElement root, string pointer)
    {
        var target = root;
        foreach (var segment in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            target = target.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return target;
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => Matches(t.GetString()!, value))
            : Matches(type.GetString()!, value);

    private static bool Matches(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };
}
