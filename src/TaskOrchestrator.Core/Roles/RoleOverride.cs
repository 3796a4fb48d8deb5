using System.Text.Json;

namespace TaskOrchestrator.Core.Roles;

/// <summary>One entry of a roles file: the fields it sets, each optional except the name.</summary>
internal sealed record RoleOverride(
    string Name,
    string? Title,
    string? Description,
    string? Prompt,
    IReadOnlyList<string>? Expertise,
    IReadOnlyList<string>? Deliverables,
    IReadOnlyList<string>? QualityChecks)
{
    private static readonly string[] KnownFields = ["name", "title", "description", "prompt", "expertise", "deliverables", "quality_checks"];

    public static RoleOverride Parse(JsonElement element, int index, string sourcePath)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw RoleCatalog.Invalid(sourcePath, $"role #{index + 1} is not an object");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(KnownFields, property.Name) < 0)
            {
                throw RoleCatalog.Invalid(sourcePath, $"role #{index + 1} has an unknown field \"{property.Name}\" (known: {string.Join(", ", KnownFields)})");
            }
        }

        string name = ReadString(element, "name", index, sourcePath)
            ?? throw RoleCatalog.Invalid(sourcePath, $"role #{index + 1} has no \"name\"");
        if (!RoleCatalog.RoleNamePattern().IsMatch(name))
        {
            throw RoleCatalog.Invalid(sourcePath, $"role name \"{name}\" must be lowercase letters, digits and underscores, starting with a letter, at most 40 characters");
        }

        return new RoleOverride(
            name,
            ReadString(element, "title", index, sourcePath),
            ReadString(element, "description", index, sourcePath),
            ReadString(element, "prompt", index, sourcePath),
            ReadList(element, "expertise", index, sourcePath),
            ReadList(element, "deliverables", index, sourcePath),
            ReadList(element, "quality_checks", index, sourcePath));
    }

    public SpecialistRole ApplyTo(SpecialistRole builtIn) => builtIn with
    {
        Title = Title ?? builtIn.Title,
        Description = Description ?? builtIn.Description,
        Prompt = Prompt ?? builtIn.Prompt,
        Expertise = Expertise ?? builtIn.Expertise,
        Deliverables = Deliverables ?? builtIn.Deliverables,
        QualityChecks = QualityChecks ?? builtIn.QualityChecks,
        Source = "builtin+workspace",
    };

    public SpecialistRole ToNewRole(string sourcePath)
    {
        if (Description is null || Prompt is null)
        {
            throw RoleCatalog.Invalid(sourcePath, $"new role \"{Name}\" needs both \"description\" and \"prompt\"");
        }

        return new SpecialistRole
        {
            Name = Name,
            Title = Title ?? Name,
            Description = Description,
            Prompt = Prompt,
            Expertise = Expertise ?? [],
            Deliverables = Deliverables ?? [],
            QualityChecks = QualityChecks ?? [],
            Source = "workspace",
        };
    }

    private static string? ReadString(JsonElement element, string field, int index, string sourcePath)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw RoleCatalog.Invalid(sourcePath, $"role #{index + 1} field \"{field}\" must be a non-empty string");
        }

        return value.GetString()!.Trim();
    }

    private static List<string>? ReadList(JsonElement element, string field, int index, string sourcePath)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw RoleCatalog.Invalid(sourcePath, $"role #{index + 1} field \"{field}\" must be an array of strings");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }
}
