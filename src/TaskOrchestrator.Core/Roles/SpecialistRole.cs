using System.Text;

namespace TaskOrchestrator.Core.Roles;

/// <summary>A specialist role: who the agent should be while working on a task of this type.</summary>
public sealed record SpecialistRole
{
    /// <summary>The role's name, as used in <c>specialist_type</c>.</summary>
    public required string Name { get; init; }

    /// <summary>A human title.</summary>
    public required string Title { get; init; }

    /// <summary>What the role is for.</summary>
    public required string Description { get; init; }

    /// <summary>What the role is good at.</summary>
    public IReadOnlyList<string> Expertise { get; init; } = [];

    /// <summary>How the role works: the instructions handed to the agent.</summary>
    public required string Prompt { get; init; }

    /// <summary>What the role is expected to produce.</summary>
    public IReadOnlyList<string> Deliverables { get; init; } = [];

    /// <summary>What the role checks before reporting done.</summary>
    public IReadOnlyList<string> QualityChecks { get; init; } = [];

    /// <summary>"builtin", "workspace" (defined in roles.json) or "builtin+workspace" (overridden).</summary>
    public string Source { get; init; } = "builtin";

    /// <summary>The full role prompt handed to an agent that executes a task of this role.</summary>
    public string RenderPrompt()
    {
        var text = new StringBuilder();
        text.Append("# Role: ").AppendLine(Title).AppendLine();
        text.AppendLine(Prompt);
        AppendList(text, "Expertise", Expertise);
        AppendList(text, "Expected deliverables", Deliverables);
        AppendList(text, "Check before reporting done", QualityChecks);
        return text.ToString().TrimEnd();
    }

    private static void AppendList(StringBuilder text, string heading, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.AppendLine().Append("## ").AppendLine(heading);
        foreach (var item in items)
        {
            text.Append("- ").AppendLine(item);
        }
    }
}
