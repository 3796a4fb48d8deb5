using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>A tool's answer: whether it is an error, its structured content and its text.</summary>
internal sealed record ToolAnswer(string Tool, bool IsError, JsonElement Structured, string Text)
{
    public static ToolAnswer From(string tool, CallToolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
        var structured = result.StructuredContent is { } content ? content.Clone() : default;
        return new ToolAnswer(tool, result.IsError == true, structured, text);
    }

    /// <summary>The structured content of a successful answer; fails the test with the error otherwise.</summary>
    public JsonElement Ok()
    {
        if (IsError)
        {
            Assert.Fail($"{Tool} failed: {Text}\n{Structured.GetRawText()}");
        }

        Assert.True(Structured.ValueKind == JsonValueKind.Object, $"{Tool} returned no structured content: {Text}");
        return Structured;
    }

    /// <summary>The <c>error</c> object of a failed answer; fails the test when the call succeeded.</summary>
    public JsonElement Error()
    {
        if (!IsError)
        {
            Assert.Fail($"{Tool} succeeded where an error was expected: {Text}");
        }

        Assert.True(Structured.ValueKind == JsonValueKind.Object && Structured.TryGetProperty("error", out _), $"{Tool} error has no structured error: {Text}");
        return Structured.GetProperty("error");
    }
}
