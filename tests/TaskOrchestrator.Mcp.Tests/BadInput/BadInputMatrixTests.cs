using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.BadInput;

/// <summary>
/// Every tool, given bad input, answers with a tool error carrying a specific code and the offending
/// field, and leaves the store exactly as it was. Rows are grouped by tool in the partial files.
/// </summary>
public sealed partial class BadInputMatrixTests : IClassFixture<BadInputWorkspace>
{
    private static readonly string[] EnvelopeKeys = ["code", "message", "field", "allowed", "hint", "details"];
    private readonly BadInputWorkspace _w;

    public BadInputMatrixTests(BadInputWorkspace workspace)
    {
        _w = workspace;
    }

    private async Task AssertRefusedAsync(string tool, string arguments, string code, string? field)
    {
        var before = _w.Server.Snapshot();
        var documentsBefore = _w.Documents();

        var answer = await _w.Server.CallAsync(tool, _w.Expand(arguments));

        var error = answer.Error();
        error.EnumerateObject().Select(p => p.Name).ShouldBe(EnvelopeKeys, ignoreOrder: true);
        error.Str("code").ShouldBe(code, answer.Text);
        error.Str("field").ShouldBe(field, answer.Text);
        error.Str("message").ShouldNotBeNullOrWhiteSpace();
        answer.Text.ShouldStartWith($"Error ({code}): ");
        _w.Server.Snapshot().ShouldBe(before);
        _w.Documents().ShouldBe(documentsBefore);
    }

    private static TheoryDataRow<string, string, string, string, string?> Row(string what, string tool, string arguments, string code, string? field, string? skip = null) =>
        new(what, "orchestrator_" + tool, arguments, code, field) { Skip = skip };

    private static string Nested(int depth) => string.Join(".", Enumerable.Repeat("subtasks[0]", depth)) + ".subtasks";
}
