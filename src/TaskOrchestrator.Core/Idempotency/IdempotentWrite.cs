using System.Globalization;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Core.Idempotency;

/// <summary>
/// Runs a write so that the state change, its events and the idempotency record commit together:
/// a repeated call with the same key returns the original result and changes nothing, across
/// restarts, because the record is durable exactly when the change is.
/// </summary>
public static class IdempotentWrite
{
    /// <summary>
    /// Runs <paramref name="work"/> in one write unit and commits. With a key, the result is rendered
    /// and stored under the key in the same unit; a key seen before for the same call replays the stored
    /// result, and a key seen before for a different call is refused. Without a key nothing is rendered
    /// here: the caller shapes the result itself.
    /// </summary>
    public static async Task<IdempotentOutcome<T>> RunAsync<T>(
        IOrchestratorStore store,
        IdempotencyRequest? idempotency,
        TimeProvider time,
        Func<IStoreUnit, Task<T>> work,
        Func<T, RenderedResult> render,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(render);

        await using var unit = await store.BeginWriteAsync(cancellationToken);
        if (idempotency is not null)
        {
            var stored = await unit.Idempotency.GetAsync(idempotency.Key, cancellationToken);
            if (stored is not null)
            {
                EnsureSameCall(stored, idempotency);
                return new IdempotentOutcome<T>(default, new RenderedResult(stored.ResultJson, stored.ResultText), true);
            }
        }

        var value = await work(unit);
        RenderedResult? rendered = null;
        if (idempotency is not null)
        {
            rendered = render(value);
            await unit.Idempotency.InsertAsync(
                new IdempotencyRecord(store.Workspace.Id, idempotency.Key, idempotency.Tool, idempotency.RequestHash, rendered.Json, rendered.Text, time.Now()),
                cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return new IdempotentOutcome<T>(value, rendered, false);
    }

    private static void EnsureSameCall(IdempotencyRecord stored, IdempotencyRequest request)
    {
        if (stored.Tool == request.Tool && stored.RequestHash == request.RequestHash)
        {
            return;
        }

        string when = stored.CreatedAt.ToString("u", CultureInfo.InvariantCulture);
        string what = stored.Tool == request.Tool
            ? $"a call to {stored.Tool} with different arguments"
            : $"a call to {stored.Tool}";
        throw Fail.With(
            ErrorCodes.IdempotencyKeyReused,
            $"The idempotency key '{request.Key}' was already used at {when} for {what}; nothing was changed.",
            "idempotency_key",
            null,
            "Use a new idempotency key for a new operation; repeat the original arguments to get the original result.");
    }
}
