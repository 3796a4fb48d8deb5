using Shouldly;
using TaskOrchestrator.Core.Events;

namespace TaskOrchestrator.Testing.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task AppendAsync_SeveralEventsAcrossUnits_SequencesIncreaseStrictly()
    {
        var appended = new List<string>();
        for (int unitIndex = 0; unitIndex < 3; unitIndex++)
        {
            await WriteAsync(async unit =>
            {
                for (int i = 0; i < 4; i++)
                {
                    appended.Add($"u{unitIndex}-e{i}");
                    await unit.Events.AppendAsync(NewEvent(appended[^1]), Ct);
                }
            });
        }

        var events = await ReadAsync(unit => unit.Events.GetAfterAsync(0, 100, Ct));

        // Read back in sequence order, they come in the order they were appended, each numbered above the last.
        events.Select(e => e.Kind).ShouldBe(appended);
        events[0].Sequence.ShouldBeGreaterThan(0);
        for (int i = 1; i < events.Count; i++)
        {
            events[i].Sequence.ShouldBeGreaterThan(events[i - 1].Sequence);
        }
    }

    [Fact]
    public async Task AppendAsync_EveryFieldSet_ReadBackEqualWithASequence()
    {
        var record = new EventRecord
        {
            WorkspaceId = WorkspaceId,
            Kind = EventKinds.StatusChanged,
            TaskId = "task_1",
            SessionId = "ses_1",
            Actor = "agent-9",
            From = "pending",
            To = "in_progress",
            DataJson = """{"agent_id":"agent-9"}""",
            At = Start.AddSeconds(42),
        };

        await WriteAsync(unit => unit.Events.AppendAsync(record, Ct));

        var stored = (await ReadAsync(unit => unit.Events.GetAfterAsync(0, 10, Ct))).ShouldHaveSingleItem();
        stored.Sequence.ShouldBeGreaterThan(0);
        stored.ShouldBe(record with { Sequence = stored.Sequence });
    }

    [Fact]
    public async Task GetForTasksAsync_Tasks_ReturnsTheirEventsOldestFirstUpToTheLimit()
    {
        await WriteAsync(async unit =>
        {
            await unit.Events.AppendAsync(NewEvent("e1", "task_1"), Ct);
            await unit.Events.AppendAsync(NewEvent("e2", "task_2"), Ct);
            await unit.Events.AppendAsync(NewEvent("e3", "task_other"), Ct);
            await unit.Events.AppendAsync(NewEvent("e4"), Ct);
            await unit.Events.AppendAsync(NewEvent("e5", "task_1"), Ct);
            await unit.Events.AppendAsync(NewEvent("e6", "task_2"), Ct);
        });

        var all = await ReadAsync(unit => unit.Events.GetForTasksAsync(["task_1", "task_2"], 10, Ct));
        var limited = await ReadAsync(unit => unit.Events.GetForTasksAsync(["task_1", "task_2"], 3, Ct));

        all.Select(e => e.Kind).ShouldBe(["e1", "e2", "e5", "e6"]);
        limited.Select(e => e.Kind).ShouldBe(["e1", "e2", "e5"]);
    }

    [Fact]
    public async Task GetRecentAsync_WorkspaceOrSession_ReturnsNewestFirstUpToTheLimit()
    {
        await WriteAsync(async unit =>
        {
            await unit.Events.AppendAsync(NewEvent("e1", sessionId: "ses_1"), Ct);
            await unit.Events.AppendAsync(NewEvent("e2"), Ct);
            await unit.Events.AppendAsync(NewEvent("e3", sessionId: "ses_2"), Ct);
            await unit.Events.AppendAsync(NewEvent("e4", sessionId: "ses_1"), Ct);
            await unit.Events.AppendAsync(NewEvent("e5", sessionId: "ses_1"), Ct);
        });

        var workspace = await ReadAsync(unit => unit.Events.GetRecentAsync(null, 3, Ct));
        var session = await ReadAsync(unit => unit.Events.GetRecentAsync("ses_1", 10, Ct));

        workspace.Select(e => e.Kind).ShouldBe(["e5", "e4", "e3"]);
        session.Select(e => e.Kind).ShouldBe(["e5", "e4", "e1"]);
    }

    [Fact]
    public async Task GetAfterAsync_Sequence_ReturnsLaterEventsOldestFirstUpToTheLimit()
    {
        await WriteAsync(async unit =>
        {
            foreach (var kind in new[] { "e1", "e2", "e3", "e4", "e5" })
            {
                await unit.Events.AppendAsync(NewEvent(kind), Ct);
            }
        });
        var sequences = (await ReadAsync(unit => unit.Events.GetRecentAsync(null, 10, Ct))).Select(e => e.Sequence).Reverse().ToList();
        sequences.Count.ShouldBe(5);

        var afterSecond = await ReadAsync(unit => unit.Events.GetAfterAsync(sequences[1], 2, Ct));
        var afterLast = await ReadAsync(unit => unit.Events.GetAfterAsync(sequences[^1], 10, Ct));

        afterSecond.Select(e => (e.Kind, e.Sequence)).ShouldBe([("e3", sequences[2]), ("e4", sequences[3])]);
        afterLast.ShouldBeEmpty();
    }
}
