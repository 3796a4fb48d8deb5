using System.Globalization;
using System.Text.Json;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Mcp.Validation;

/// <summary>
/// Checks a tool call's arguments against the tool's own input schema before the tool runs, so that a
/// misspelt name, a wrong type, a value outside an enum or a range gets an error naming the field and
/// what is allowed, rather than a generic deserialization failure. Supports the schema subset the SDK
/// generates: type, enum, properties, required, items, $ref, minimum, maximum, minLength, maxLength, maxItems.
/// </summary>
public static class ArgumentValidator
{
    /// <summary>The first problem with <paramref name="arguments"/>, or null when they conform.</summary>
    public static OrchestratorError? Validate(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        try
        {
            var root = new SchemaWalker(inputSchema);
            root.ValidateObject(inputSchema, arguments?.Select(a => (a.Key, a.Value)) ?? [], string.Empty);
            return null;
        }
        catch (OrchestratorException ex)
        {
            return ex.Error;
        }
    }

    private sealed class SchemaWalker(JsonElement root)
    {
        public void ValidateObject(JsonElement schema, IEnumerable<(string Name, JsonElement Value)> members, string path)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
            var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (name, value) in members)
            {
                var field = Join(path, name);
                if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var propertySchema))
                {
                    var known = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(x => x.Name).ToArray() : [];
                    throw Fail.With(
                        ErrorCodes.UnknownArgument,
                        $"'{field}' is not an argument {(path.Length == 0 ? "of this tool" : $"of '{path}'")}.",
                        field,
                        known,
                        $"Check the spelling; accepted names are listed in 'allowed'.");
                }

                given[name] = value;
                if (value.ValueKind == JsonValueKind.Null)
                {
                    // An optional parameter sent as null is treated as absent; a required one is missing,
                    // which the loop below reports.
                    continue;
                }

                ValidateValue(propertySchema, value, field);
            }

            foreach (var name in required)
            {
                if (!given.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    var field = Join(path, name);
                    var description = properties.TryGetProperty(name, out var s) && s.TryGetProperty("description", out var d) ? d.GetString() : null;
                    throw Fail.Missing(field, description is null ? $"Pass '{field}'." : $"Pass '{field}': {description}");
                }
            }
        }

        private void ValidateValue(JsonElement schema, JsonElement value, string path)
        {
            schema = Resolve(schema);
            var types = Types(schema);
            if (types.Count > 0 && !types.Any(t => Matches(t, value)))
            {
                throw Fail.Invalid(path, $"'{path}' must be {Describe(types)}, not {KindName(value)}.", $"Pass {Describe(types)}.");
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    CheckString(schema, value.GetString()!, path);
                    break;
                case JsonValueKind.Number:
                    CheckNumber(schema, value, path);
                    break;
                case JsonValueKind.Array:
                    CheckArray(schema, value, path);
                    break;
                case JsonValueKind.Object when schema.TryGetProperty("properties", out _):
                    ValidateObject(schema, value.EnumerateObject().Select(m => (m.Name, m.Value)), path);
                    break;
            }
        }

        private static void CheckString(JsonElement schema, string text, string path)
        {
            if (schema.TryGetProperty("enum", out var allowed))
            {
                var names = allowed.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToArray();
                if (!names.Contains(text, StringComparer.Ordinal))
                {
                    throw Fail.Invalid(path, $"'{Clip(text)}' is not a valid value for '{path}'.", $"Use one of: {string.Join(", ", names)}.", names);
                }
            }

            if (schema.TryGetProperty("maxLength", out var max) && text.Length > max.GetInt32())
            {
                throw Fail.TooLarge(path, $"'{path}' is {text.Length} characters long.", string.Create(CultureInfo.InvariantCulture, $"{max.GetInt32()} characters"));
            }

            if (schema.TryGetProperty("minLength", out var min) && text.Length < min.GetInt32())
            {
                throw Fail.Invalid(path, $"'{path}' is {text.Length} characters long; it needs at least {min.GetInt32()}.", $"Pass a longer '{path}'.");
            }
        }

        private static void CheckNumber(JsonElement schema, JsonElement value, string path)
        {
            var number = value.GetDouble();
            bool hasMin = schema.TryGetProperty("minimum", out var min);
            bool hasMax = schema.TryGetProperty("maximum", out var max);
            if ((hasMin && number < min.GetDouble()) || (hasMax && number > max.GetDouble()))
            {
                var range = string.Create(CultureInfo.InvariantCulture, $"{(hasMin ? min.GetRawText() : "-inf")}..{(hasMax ? max.GetRawText() : "+inf")}");
                throw Fail.Invalid(path, string.Create(CultureInfo.InvariantCulture, $"'{path}' is {value.GetRawText()}, outside the allowed range {range}."), $"Pass a value in {range}.", [range]);
            }
        }

        private void CheckArray(JsonElement schema, JsonElement value, string path)
        {
            if (schema.TryGetProperty("maxItems", out var maxItems) && value.GetArrayLength() > maxItems.GetInt32())
            {
                throw Fail.TooLarge(path, $"'{path}' has {value.GetArrayLength()} items.", string.Create(CultureInfo.InvariantCulture, $"{maxItems.GetInt32()} items"));
            }

            if (!schema.TryGetProperty("items", out var items))
            {
                return;
            }

            int index = 0;
            foreach (var item in value.EnumerateArray())
            {
                ValidateValue(items, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"));
            }
        }

        private JsonElement Resolve(JsonElement schema)
        {
            for (int hops = 0; hops < 32 && schema.TryGetProperty("$ref", out var reference); hops++)
            {
                var pointer = reference.GetString()!;
                if (!pointer.StartsWith('#'))
                {
                    throw new InvalidOperationException($"Unsupported schema reference '{pointer}'.");
                }

                var target = root;
                foreach (var segment in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                    target = target.ValueKind == JsonValueKind.Array ? target[int.Parse(key, CultureInfo.InvariantCulture)] : target.GetProperty(key);
                }

                schema = target;
            }

            return schema;
        }

        private static List<string> Types(JsonElement schema)
        {
            if (!schema.TryGetProperty("type", out var type))
            {
                return [];
            }

            return type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];
        }

        private static bool Matches(string type, JsonElement value) => type switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" => value.ValueKind == JsonValueKind.Object,
            "null" => value.ValueKind == JsonValueKind.Null,
            _ => true,
        };

        private static string Describe(List<string> types)
        {
            var named = types.Where(t => t != "null").Select(t => t switch
            {
                "integer" => "a whole number",
                "number" => "a number",
                "boolean" => "true or false",
                "array" => "an array",
                "object" => "an object",
                _ => "a string",
            }).ToArray();
            return named.Length == 0 ? "null" : string.Join(" or ", named);
        }

        private static string KindName(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{Clip(value.GetString()!)}\"",
            JsonValueKind.Number => $"the number {value.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "null",
        };

        private static string Clip(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "…");

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
    }
}
