using System.Text.Json;
using Shouldly;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Completion;

namespace TaskOrchestrator.Core.Tests.Common;

public sealed class WireNamesTests
{
    [Fact]
    public void All_EveryWireEnum_ListsItsSnakeCaseNamesInDeclarationOrder()
    {
        WireNames.All<TaskItemStatus>().ShouldBe(["pending", "in_progress", "blocked", "completed", "failed", "cancelled", "archived"]);
        WireNames.All<TaskType>().ShouldBe(["standard", "breakdown", "milestone", "review", "approval", "research", "implementation", "testing", "documentation", "deployment", "custom"]);
        WireNames.All<TaskComplexity>().ShouldBe(["trivial", "simple", "moderate", "complex", "very_complex"]);
        WireNames.All<TaskPriority>().ShouldBe(["low", "medium", "high", "critical"]);
        WireNames.All<TaskSort>().ShouldBe(["created_asc", "created_desc", "updated_desc", "priority", "due_date", "title"]);
        WireNames.All<DependencyKind>().ShouldBe(["hard", "soft"]);
        WireNames.All<ArtifactType>().ShouldBe(["general", "code", "documentation", "analysis", "design", "test", "configuration", "review", "report"]);
        WireNames.All<SessionStatus>().ShouldBe(["active", "archived"]);
        WireNames.All<SessionCleanupType>().ShouldBe(["inactive", "completed", "empty", "all"]);
        WireNames.All<NextAction>().ShouldBe(["continue", "needs_revision", "blocked", "complete"]);
        WireNames.All<MaintenanceScope>().ShouldBe(["workspace", "session", "subtree"]);
        WireNames.All<ValidationLevel>().ShouldBe(["basic", "standard", "thorough"]);
    }

    [Fact]
    public void Of_EveryValueOfEveryWireEnum_AgreesWithJsonSerializationAndParsesBack()
    {
        ShouldAgreeWithJson<TaskItemStatus>();
        ShouldAgreeWithJson<TaskType>();
        ShouldAgreeWithJson<TaskComplexity>();
        ShouldAgreeWithJson<TaskPriority>();
        ShouldAgreeWithJson<TaskSort>();
        ShouldAgreeWithJson<DependencyKind>();
        ShouldAgreeWithJson<ArtifactType>();
        ShouldAgreeWithJson<SessionStatus>();
        ShouldAgreeWithJson<SessionCleanupType>();
        ShouldAgreeWithJson<NextAction>();
        ShouldAgreeWithJson<MaintenanceScope>();
        ShouldAgreeWithJson<ValidationLevel>();
    }

    [Theory]
    [InlineData("In_Progress")]
    [InlineData("InProgress")]
    [InlineData("in_progress ")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotExactlyAWireName_ReturnsFalse(string? name)
    {
        WireNames.TryParse<TaskItemStatus>(name, out var value).ShouldBeFalse();
        value.ShouldBe(default);
    }

    [Fact]
    public void Parse_UnknownName_ThrowsInvalidArgumentListingTheAllowedNames()
    {
        var ex = Should.Throw<OrchestratorException>(() => WireNames.Parse<TaskPriority>("urgent", "priority"));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Field.ShouldBe("priority");
        ex.Error.Message.ShouldBe("'urgent' is not a valid value for 'priority'.");
        ex.Error.Hint.ShouldBe("Use one of: low, medium, high, critical.");
        ex.Error.Allowed.ShouldBe(["low", "medium", "high", "critical"]);
    }

    [Fact]
    public void FromStore_UnknownName_ThrowsInvalidOperationNamingTheValueAndType()
    {
        var ex = Should.Throw<InvalidOperationException>(() => WireNames.FromStore<TaskItemStatus>("done"));

        ex.Message.ShouldBe("The store holds 'done', which is not a TaskItemStatus.");
    }

    private static void ShouldAgreeWithJson<TEnum>()
        where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var name = WireNames.Of(value);
            JsonSerializer.Serialize(value).ShouldBe($"\"{name}\"");
            WireNames.Parse<TEnum>(name, "field").ShouldBe(value);
            WireNames.FromStore<TEnum>(name).ShouldBe(value);
        }
    }
}
