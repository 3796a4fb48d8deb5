using ModelContextProtocol.Protocol;
using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>Runs a tool's write and shapes its answer, serializing the result once.</summary>
public static class ToolWrites
{
    /// <summary>
    /// Runs <paramref name="work"/> in one write unit. A call with an idempotency key stores its rendered
    /// answer with the change and returns it (or replays the stored one); a call without a key is shaped
    /// straight into the answer, with no detour through stored text.
    /// </summary>
    public static async Task<CallToolResult> RunAsync<T, TResult>(
        IOrchestratorStore store,
        IdempotencyRequest? idempotency,
        TimeProvider time,
        Func<IStoreUnit, Task<T>> work,
        Func<T, (TResult Result, string Text)> shape,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var outcome = await IdempotentWrite.RunAsync(
            store,
            idempotency,
            time,
            work,
            value =>
            {
                var (result, text) = shape(value);
                return ToolResults.Render(result, text);
            },
            cancellationToken);
        if (outcome.Rendered is { } rendered)
        {
            return ToolResults.FromRendered(rendered, outcome.Replayed);
        }

        var (fresh, freshText) = shape(outcome.Value!);
        return ToolResults.Success(fresh, freshText);
    }
}
