using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Idempotency;

namespace TaskOrchestrator.Testing.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertAsync_IdempotencyRecord_GetAsyncReturnsAnEqualRecord()
    {
        var record = NewIdempotencyRecord("key-1", """{"task_id":"task_1"}""");

        await WriteAsync(unit => unit.Idempotency.InsertAsync(record, Ct));

        (await ReadAsync(unit => unit.Idempotency.GetAsync("key-1", Ct))).ShouldBe(record);
    }

    [Fact]
    public async Task GetAsync_UnknownKey_ReturnsNull()
    {
        await WriteAsync(unit => unit.Idempotency.InsertAsync(NewIdempotencyRecord("key-1", "{}"), Ct));

        (await ReadAsync(unit => unit.Idempotency.GetAsync("key-2", Ct))).ShouldBeNull();
    }

    [Fact]
    public async Task InsertAsync_KeyAlreadyStored_ThrowsAndKeepsTheOriginalRecord()
    {
        var original = NewIdempotencyRecord("key-1", """{"first":true}""");
        await WriteAsync(unit => unit.Idempotency.InsertAsync(original, Ct));

        // Which exception is the backend's choice; that the first record survives untouched is not.
        await Should.ThrowAsync<Exception>(async () =>
            await WriteAsync(unit => unit.Idempotency.InsertAsync(NewIdempotencyRecord("key-1", """{"second":true}"""), Ct)));

        (await ReadAsync(unit => unit.Idempotency.GetAsync("key-1", Ct))).ShouldBe(original);
    }

    private IdempotencyRecord NewIdempotencyRecord(string key, string resultJson) =>
        new(WorkspaceId, key, "orchestrator_plan_task", "sha256:abc", resultJson, "Planned 1 task.", Time.Now());
}
