using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Tasks.Planning;

namespace TaskOrchestrator.Core.Tests.Services;

public sealed class IdempotentWriteTests : ServiceTests
{
    private const string Tool = "orchestrator_plan_task";

    private int _workRuns;

    [Fact]
    public async Task RunAsync_NewKey_RunsTheWorkAndStoresItsRenderedResultWithTheChange()
    {
        var outcome = await PlanIdempotentlyAsync(new IdempotencyRequest("key-1", Tool, "sha256:aaa"), "Write docs");

        outcome.Replayed.ShouldBeFalse();
        var id = outcome.Value!.Root.Task.Id;
        outcome.Rendered.ShouldBe(new RenderedResult($$"""{"task_id":"{{id}}"}""", $"Planned {id}."));
        var record = await ReadAsync(unit => unit.Idempotency.GetAsync("key-1", Ct));
        record.ShouldBe(new IdempotencyRecord(Store.Workspace.Id, "key-1", Tool, "sha256:aaa", outcome.Rendered!.Json, outcome.Rendered.Text, Start));
    }

    [Fact]
    public async Task RunAsync_SameKeyAndCallAgain_ReplaysTheStoredResultAndChangesNothing()
    {
        var request = new IdempotencyRequest("key-1", Tool, "sha256:aaa");
        var first = await PlanIdempotentlyAsync(request, "Write docs");
        var eventsBefore = (await EventsAsync()).Count;
        Time.Advance(TimeSpan.FromHours(1));

        var again = await PlanIdempotentlyAsync(request, "Write docs");

        again.Replayed.ShouldBeTrue();
        again.Value.ShouldBeNull();
        again.Rendered.ShouldBe(first.Rendered);
        _workRuns.ShouldBe(1);
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Count.ShouldBe(1);
        (await EventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task RunAsync_SameKeyAfterTheStoreIsReopened_StillReplays()
    {
        var request = new IdempotencyRequest("key-1", Tool, "sha256:aaa");
        var first = await PlanIdempotentlyAsync(request, "Write docs");

        await ReopenAsync();
        var again = await PlanIdempotentlyAsync(request, "Write docs");

        again.Replayed.ShouldBeTrue();
        again.Rendered.ShouldBe(first.Rendered);
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_KeyReusedWithDifferentArguments_ThrowsKeyReusedAndChangesNothing()
    {
        await PlanIdempotentlyAsync(new IdempotencyRequest("key-1", Tool, "sha256:aaa"), "Write docs");

        var ex = await Should.ThrowAsync<OrchestratorException>(() =>
            PlanIdempotentlyAsync(new IdempotencyRequest("key-1", Tool, "sha256:bbb"), "Something else"));

        ex.Error.Code.ShouldBe(ErrorCodes.IdempotencyKeyReused);
        ex.Error.Field.ShouldBe("idempotency_key");
        ex.Error.Message.ShouldBe($"The idempotency key 'key-1' was already used at 2026-11-21 09:00:00Z for a call to {Tool} with different arguments; nothing was changed.");
        _workRuns.ShouldBe(1);
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_KeyReusedForAnotherTool_ThrowsKeyReusedNamingTheFirstTool()
    {
        await PlanIdempotentlyAsync(new IdempotencyRequest("key-1", Tool, "sha256:aaa"), "Write docs");

        var ex = await Should.ThrowAsync<OrchestratorException>(() =>
            PlanIdempotentlyAsync(new IdempotencyRequest("key-1", "orchestrator_update_task", "sha256:aaa"), "Write docs"));

        ex.Error.Code.ShouldBe(ErrorCodes.IdempotencyKeyReused);
        ex.Error.Message.ShouldBe($"The idempotency key 'key-1' was already used at 2026-11-21 09:00:00Z for a call to {Tool}; nothing was changed.");
    }

    [Fact]
    public async Task RunAsync_NoKey_RunsEveryTimeAndLeavesRenderingToTheCaller()
    {
        var first = await PlanIdempotentlyAsync(null, "Write docs");
        await PlanIdempotentlyAsync(null, "Write docs");

        _workRuns.ShouldBe(2);
        first.Rendered.ShouldBeNull();
        first.Value.ShouldNotBeNull();
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Count.ShouldBe(2);
    }

    [Fact]
    public async Task RunAsync_WorkFails_StoresNoRecordSoTheSameKeyRunsAgain()
    {
        var request = new IdempotencyRequest("key-1", Tool, "sha256:aaa");
        await Should.ThrowAsync<OrchestratorException>(() => PlanIdempotentlyAsync(request, title: " "));

        var retry = await PlanIdempotentlyAsync(request, "Write docs");

        retry.Replayed.ShouldBeFalse();
        _workRuns.ShouldBe(2);
        (await ReadAsync(unit => unit.Tasks.GetAllNodesAsync(Ct))).Count.ShouldBe(1);
    }

    private Task<IdempotentOutcome<PlanOutcome>> PlanIdempotentlyAsync(IdempotencyRequest? request, string title) =>
        IdempotentWrite.RunAsync(
            Store,
            request,
            Time,
            unit =>
            {
                _workRuns++;
                return new TaskPlanner(Time, Ids).PlanAsync(unit, Store.Workspace.Id, new PlanRequest(new TaskSpec { Title = title }, null, null), Roles, Agent, Ct);
            },
            plan => new RenderedResult($$"""{"task_id":"{{plan.Root.Task.Id}}"}""", $"Planned {plan.Root.Task.Id}."),
            Ct);
}
