using System.Text.Json;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Mcp.Json;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>Shapes tool results: structured content plus a short text rendering, or a structured error.</summary>
public static class ToolResults
{
    /// <summary>A successful result.</summary>
    public static CallToolResult Success<T>(T result, string text) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(result, McpJson.Options),
    };

    /// <summary>A result rendered earlier, as stored for idempotent replay.</summary>
    public static CallToolResult FromRendered(RenderedResult rendered, bool replayed)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        using var document = JsonDocument.Parse(rendered.Json);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = replayed ? $"(replayed from the idempotency key; nothing changed) {rendered.Text}" : rendered.Text }],
            StructuredContent = document.RootElement.Clone(),
        };
    }

    /// <summary>Renders a result for storage under an idempotency key.</summary>
    public static RenderedResult Render<T>(T result, string text) =>
        new(JsonSerializer.Serialize(result, McpJson.Options), text);

    /// <summary>A tool error whose structured content is <c>{"error": {...}}</c>.</summary>
    public static CallToolResult Error(OrchestratorError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var envelope = new ErrorEnvelope(new ErrorBody(error.Code, error.Message, error.Field, error.Allowed, error.Hint, error.Details));
        var text = error.Message + (error.Hint is null ? string.Empty : " " + error.Hint);
        return new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = $"Error ({error.Code}): {text}" }],
            StructuredContent = JsonSerializer.SerializeToElement(envelope, McpJson.Options),
        };
    }
}
