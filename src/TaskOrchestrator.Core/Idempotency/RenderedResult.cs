namespace TaskOrchestrator.Core.Idempotency;

/// <summary>A result as returned to the client: structured JSON and its short text rendering.</summary>
/// <param name="Json">The structured result.</param>
/// <param name="Text">The text rendering.</param>
public sealed record RenderedResult(string Json, string Text);
