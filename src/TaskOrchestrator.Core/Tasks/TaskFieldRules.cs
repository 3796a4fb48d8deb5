using System.Text.Json;
using System.Text.RegularExpressions;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>The rules every task field obeys, whether set by a plan or an update.</summary>
public static partial class TaskFieldRules
{
    /// <summary>Checks a spec's own fields (not its subtasks), naming fields relative to <paramref name="path"/>.</summary>
    public static void ValidateSpec(TaskSpec spec, string path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string Field(string name) => path.Length == 0 ? name : $"{path}.{name}";

        Title(spec.Title, Field("title"));
        Description(spec.Description, Field("description"));
        Effort(spec.EstimatedEffort, Field("estimated_effort"));
        ContextJson(spec.ContextJson, Field("context"));
        if (spec.Key is not null)
        {
            LocalKey(spec.Key, Field("key"));
        }

        if (spec.Dependencies.Count > Limits.DependenciesPerTask)
        {
            throw Fail.TooLarge(Field("dependencies"), $"'{Field("dependencies")}' lists {spec.Dependencies.Count} dependencies.", $"{Limits.DependenciesPerTask} dependencies");
        }

        for (int i = 0; i < spec.Dependencies.Count; i++)
        {
            Reference(spec.Dependencies[i], Field($"dependencies[{i}]"));
        }
    }

    /// <summary>A title: non-blank, at most <see cref="Limits.TitleLength"/> characters.</summary>
    public static string Title(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Fail.Missing(field, "Give the task a short title that says what will be done.");
        }

        if (value.Length > Limits.TitleLength)
        {
            throw Fail.TooLarge(field, $"'{field}' is {value.Length} characters long.", $"{Limits.TitleLength} characters");
        }

        return value.Trim();
    }

    /// <summary>A description: at most <see cref="Limits.DescriptionLength"/> characters.</summary>
    public static void Description(string? value, string field)
    {
        if (value is not null && value.Length > Limits.DescriptionLength)
        {
            throw Fail.TooLarge(field, $"'{field}' is {value.Length} characters long.", $"{Limits.DescriptionLength} characters");
        }
    }

    /// <summary>An effort estimate: at most <see cref="Limits.EffortLength"/> characters.</summary>
    public static void Effort(string? value, string field)
    {
        if (value is not null && value.Length > Limits.EffortLength)
        {
            throw Fail.TooLarge(field, $"'{field}' is {value.Length} characters long.", $"{Limits.EffortLength} characters");
        }
    }

    /// <summary>Context: the text of a JSON object, at most <see cref="Limits.ContextJsonLength"/> characters.</summary>
    public static void ContextJson(string? value, string field)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > Limits.ContextJsonLength)
        {
            throw Fail.TooLarge(field, $"'{field}' is {value.Length} characters of JSON.", $"{Limits.ContextJsonLength} characters");
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Fail.Invalid(field, $"'{field}' must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.", "Pass an object such as {\"goal\": \"...\"}.");
            }
        }
        catch (JsonException ex)
        {
            throw Fail.Invalid(field, $"'{field}' is not valid JSON: {ex.Message}", "Pass a JSON object.");
        }
    }

    /// <summary>A local key: letters, digits, '.', '_' and '-', at most <see cref="Limits.LocalKeyLength"/>.</summary>
    public static void LocalKey(string value, string field)
    {
        if (!LocalKeyPattern().IsMatch(value))
        {
            throw Fail.Invalid(field, $"The key '{Truncate(value)}' is not valid.", $"Use 1 to {Limits.LocalKeyLength} letters, digits, '.', '_' or '-'.");
        }
    }

    /// <summary>A task id or local key used as a reference.</summary>
    public static void Reference(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Fail.Missing(field, "Name a task id or the key of a subtask in this plan.");
        }

        if (value.Length > Limits.IdentifierLength)
        {
            throw Fail.TooLarge(field, $"'{field}' is {value.Length} characters long.", $"{Limits.IdentifierLength} characters");
        }
    }

    /// <summary>A reason or summary: at most <see cref="Limits.SummaryLength"/> characters.</summary>
    public static void Summary(string? value, string field)
    {
        if (value is not null && value.Length > Limits.SummaryLength)
        {
            throw Fail.TooLarge(field, $"'{field}' is {value.Length} characters long.", $"{Limits.SummaryLength} characters");
        }
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex LocalKeyPattern();
}
