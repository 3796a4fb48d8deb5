using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Roles;

namespace TaskOrchestrator.Core.Tests.Roles;

public sealed class RoleCatalogTests
{
    private const string RolesFile = "/work/project/.task-orchestrator/roles.json";

    private static readonly string[] BuiltInNames =
        ["architect", "implementer", "tester", "reviewer", "documenter", "researcher", "debugger", "analyst", "devops", "coordinator", "generic"];

    [Fact]
    public void BuiltIn_Roster_HasTheElevenRolesInTheirFixedOrder()
    {
        RoleCatalog.BuiltIn.Names.ShouldBe(BuiltInNames);
        RoleCatalog.BuiltIn.Roles.Select(r => r.Source).Distinct().ShouldBe(["builtin"]);
    }

    [Fact]
    public void BuiltIn_EveryRole_HasATitleDescriptionListsAndAPromptOfAtLeast300Characters()
    {
        foreach (var role in RoleCatalog.BuiltIn.Roles)
        {
            role.Prompt.Length.ShouldBeGreaterThanOrEqualTo(300, role.Name);
            role.Title.ShouldNotBeNullOrWhiteSpace(role.Name);
            role.Description.ShouldNotBeNullOrWhiteSpace(role.Name);
            role.Expertise.ShouldNotBeEmpty(role.Name);
            role.Deliverables.ShouldNotBeEmpty(role.Name);
            role.QualityChecks.ShouldNotBeEmpty(role.Name);
        }
    }

    [Fact]
    public void Require_UnknownRole_ThrowsInvalidArgumentListingTheRoster()
    {
        var ex = Should.Throw<OrchestratorException>(() => RoleCatalog.BuiltIn.Require("wizard", "specialist_type"));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Field.ShouldBe("specialist_type");
        ex.Error.Message.ShouldBe("'wizard' is not a specialist role of this workspace.");
        ex.Error.Allowed.ShouldBe(BuiltInNames);
        RoleCatalog.BuiltIn.Find("wizard").ShouldBeNull();
    }

    [Fact]
    public void WithOverrides_BuiltInRoleOverridden_ReplacesOnlyTheFieldsGiven()
    {
        var builtIn = RoleCatalog.BuiltIn.Find("tester")!;

        var catalog = RoleCatalog.WithOverrides("""
            { "roles": [ { "name": "tester", "prompt": "Test with property-based tests first.", "quality_checks": ["shrunk counterexample recorded"] } ] }
            """, RolesFile);

        catalog.Find("tester").ShouldBe(builtIn with
        {
            Prompt = "Test with property-based tests first.",
            QualityChecks = catalog.Find("tester")!.QualityChecks,
            Source = "builtin+workspace",
        });
        catalog.Find("tester")!.QualityChecks.ShouldBe(["shrunk counterexample recorded"]);
        catalog.Names.ShouldBe(BuiltInNames);
        RoleCatalog.BuiltIn.Find("tester").ShouldBe(builtIn);
    }

    [Fact]
    public void WithOverrides_NewRoleWithDescriptionAndPrompt_IsAddedAfterTheBuiltInsWithItsNameAsTitle()
    {
        var catalog = RoleCatalog.WithOverrides("""
            // A workspace may comment its roles file.
            [ { "name": "security_auditor", "description": "Audits for vulnerabilities.", "prompt": "Look for injection first.", "expertise": ["owasp"], }, ]
            """, RolesFile);

        catalog.Names.ShouldBe([.. BuiltInNames, "security_auditor"]);
        var role = catalog.Find("security_auditor")!;
        role.Title.ShouldBe("security_auditor");
        role.Description.ShouldBe("Audits for vulnerabilities.");
        role.Prompt.ShouldBe("Look for injection first.");
        role.Expertise.ShouldBe(["owasp"]);
        role.Deliverables.ShouldBeEmpty();
        role.Source.ShouldBe("workspace");
    }

    [Theory]
    [InlineData("""[ { "name": "auditor", "prompt": "Audit." } ]""", "new role \"auditor\" needs both \"description\" and \"prompt\"")]
    [InlineData("""[ { "name": "auditor", "description": "Audits." } ]""", "new role \"auditor\" needs both \"description\" and \"prompt\"")]
    [InlineData("""[ { "name": "tester", "colour": "blue" } ]""", "role #1 has an unknown field \"colour\" (known: name, title, description, prompt, expertise, deliverables, quality_checks)")]
    [InlineData("""[ { "title": "No name" } ]""", "role #1 has no \"name\"")]
    [InlineData("""[ { "name": "Security Auditor", "description": "d", "prompt": "p" } ]""", "role name \"Security Auditor\" must be lowercase letters, digits and underscores, starting with a letter, at most 40 characters")]
    [InlineData("""[ { "name": "tester", "prompt": "  " } ]""", "role #1 field \"prompt\" must be a non-empty string")]
    [InlineData("""[ { "name": "tester", "expertise": "testing" } ]""", "role #1 field \"expertise\" must be an array of strings")]
    [InlineData("""[ "tester" ]""", "role #1 is not an object")]
    [InlineData("""{ "roles": { "name": "tester" } }""", "\"roles\" must be an array")]
    [InlineData("""{ "tester": {} }""", "the file must be an object with a \"roles\" array, or an array of roles")]
    public void WithOverrides_InvalidRoles_ThrowsInvalidConfigurationNamingTheFileAndTheProblem(string json, string problem)
    {
        var ex = Should.Throw<OrchestratorException>(() => RoleCatalog.WithOverrides(json, RolesFile));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidConfiguration);
        ex.Error.Field.ShouldBe("roles.json");
        ex.Error.Message.ShouldBe($"The roles file '{RolesFile}' is invalid: {problem}.");
    }

    [Fact]
    public void WithOverrides_MalformedJson_ThrowsInvalidConfigurationNamingTheFileAndLine()
    {
        var ex = Should.Throw<OrchestratorException>(() => RoleCatalog.WithOverrides("{\n  \"roles\": [ { \"name\": \"tester\" \n", RolesFile));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidConfiguration);
        ex.Error.Message.ShouldStartWith($"The roles file '{RolesFile}' is invalid: it is not valid JSON (line ");
        ex.Error.Hint.ShouldBe("Fix the file (see docs/reference.md, 'Specialist roles') or remove it to use the built-in roster.");
    }

    [Fact]
    public void RenderPrompt_BuiltInRole_StartsWithTheTitleAndListsItsSections()
    {
        var role = RoleCatalog.BuiltIn.Find("reviewer")!;

        var text = role.RenderPrompt();

        text.ShouldStartWith($"# Role: {role.Title}\n\n{role.Prompt}".ReplaceLineEndings());
        text.ShouldContain("## Expertise");
        text.ShouldContain("## Expected deliverables");
        text.ShouldContain("## Check before reporting done");
        text.ShouldContain($"- {role.QualityChecks[0]}");
    }
}
