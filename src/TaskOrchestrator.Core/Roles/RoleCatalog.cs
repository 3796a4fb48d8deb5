using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Core.Roles;

/// <summary>
/// The specialist roles of a workspace: the built-in roster, with any roles a workspace's
/// <c>.task-orchestrator/roles.json</c> overrides or adds. Immutable once built.
/// </summary>
public sealed partial class RoleCatalog
{
    /// <summary>The role used when a task names none.</summary>
    public const string DefaultRole = "generic";

    private static readonly Lazy<IReadOnlyList<SpecialistRole>> BuiltInRoles = new(LoadBuiltIn);
    private readonly FrozenDictionary<string, SpecialistRole> _byName;

    private RoleCatalog(IReadOnlyList<SpecialistRole> roles)
    {
        Roles = roles;
        _byName = roles.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>The built-in roster alone.</summary>
    public static RoleCatalog BuiltIn { get; } = new(BuiltInRoles.Value);

    /// <summary>All roles, built-in ones first in their fixed order, then workspace additions.</summary>
    public IReadOnlyList<SpecialistRole> Roles { get; }

    /// <summary>The role names, in <see cref="Roles"/> order.</summary>
    public IReadOnlyList<string> Names => [.. Roles.Select(r => r.Name)];

    /// <summary>The role with <paramref name="name"/>, or null.</summary>
    public SpecialistRole? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The role with <paramref name="name"/>, or an invalid-argument error listing the roster.</summary>
    public SpecialistRole Require(string name, string field) =>
        Find(name) ?? throw Fail.Invalid(
            field,
            $"'{name}' is not a specialist role of this workspace.",
            "Use one of the listed roles, or define a new one in .task-orchestrator/roles.json.",
            Names);

    /// <summary>
    /// Builds the catalog of a workspace from the text of its roles.json. A role with a built-in name
    /// overrides the fields it sets; a role with a new name is added and must set title (or defaults to
    /// its name), description and prompt. Throws <c>invalid_configuration</c> naming the file and the
    /// problem when the text is malformed.
    /// </summary>
    public static RoleCatalog WithOverrides(string json, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(json);
        List<RoleOverride> overrides;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var rolesElement = document.RootElement.ValueKind switch
            {
                JsonValueKind.Object when document.RootElement.TryGetProperty("roles", out var r) => r,
                JsonValueKind.Array => document.RootElement,
                _ => throw Invalid(sourcePath, "the file must be an object with a \"roles\" array, or an array of roles"),
            };
            if (rolesElement.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(sourcePath, "\"roles\" must be an array");
            }

            overrides = [.. rolesElement.EnumerateArray().Select((e, i) => RoleOverride.Parse(e, i, sourcePath))];
        }
        catch (JsonException ex)
        {
            throw Invalid(sourcePath, $"it is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}): {ex.Message}");
        }

        var roles = BuiltInRoles.Value.ToList();
        foreach (var role in overrides)
        {
            int index = roles.FindIndex(r => r.Name == role.Name);
            if (index >= 0)
            {
                roles[index] = role.ApplyTo(roles[index]);
            }
            else
            {
                roles.Add(role.ToNewRole(sourcePath));
            }
        }

        return new RoleCatalog(roles);
    }

    internal static OrchestratorException Invalid(string sourcePath, string problem) =>
        Fail.With(
            ErrorCodes.InvalidConfiguration,
            $"The roles file '{sourcePath}' is invalid: {problem}.",
            "roles.json",
            null,
            "Fix the file (see docs/reference.md, 'Specialist roles') or remove it to use the built-in roster.");

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    internal static partial Regex RoleNamePattern();

    private static IReadOnlyList<SpecialistRole> LoadBuiltIn()
    {
        using var stream = typeof(RoleCatalog).Assembly.GetManifestResourceStream("TaskOrchestrator.Core.Roles.builtin-roles.json")
            ?? throw new InvalidOperationException("The built-in roles resource is missing from the build.");
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.EnumerateArray().Select((e, i) => RoleOverride.Parse(e, i, "builtin-roles.json").ToNewRole("builtin-roles.json") with { Source = "builtin" })];
    }
}
