using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TaskOrchestrator.ConformanceFixture;

/// <summary>
/// Tells a tool when the POST that called it has ended its HTTP response. The server-sse-polling
/// scenario checks that a result arrives only through resumption: the tool switches its stream to
/// polling, waits here until the response is closed, and only then returns its result (which then goes
/// to the session's event store alone). A middleware in front of the product's pipeline.
/// </summary>
internal sealed class PostEndSignals : IStartupFilter
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Waiting = new(StringComparer.Ordinal);

    /// <summary>Completes when the next POST of <paramref name="sessionId"/> in flight has ended its response.</summary>
    public static Task NextPostEnd(string sessionId) =>
        Waiting.GetOrAdd(sessionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            await inner(context);
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Headers["Mcp-Session-Id"].ToString() is { Length: > 0 } session && Waiting.TryRemove(session, out var signal))
            {
                await context.Response.CompleteAsync();
                signal.TrySetResult();
            }
        });
        next(app);
    };
}
