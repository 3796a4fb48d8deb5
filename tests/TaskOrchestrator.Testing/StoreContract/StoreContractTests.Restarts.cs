using Shouldly;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Testing.StoreContract;

// Restart history: a restart recorded as it begins, replaced as it progresses, listed newest first.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertAsync_RestartWithEveryFieldSet_GetAsyncReturnsItWithItsPhasesInOrder()
    {
        // Every phase once, with sub-millisecond durations, a start time in another offset and a null detail.
        var phases = Enum.GetValues<RestartPhase>()
            .Select((phase, i) => new RestartPhaseRecord(phase, Start.AddSeconds(i).AddTicks(1_234), 12.375 + i, Succeeded: i != 5, i % 2 == 0 ? $"phase {i} done" : null))
            .Append(new RestartPhaseRecord(RestartPhase.Resuming, new DateTimeOffset(2026, 11, 21, 11, 0, 9, TimeSpan.FromHours(2)), 0.125, true, "Ünïcode ✓ \"quoted\""))
            .ToArray();
        var restart = NewRestart("rst_full") with
        {
            Kind = RestartKind.CrashRecovery,
            Reason = RestartReason.EmergencyShutdown,
            Graceful = false,
            RequestedBy = "health_monitor",
            FinishedAt = Start.AddSeconds(9),
            Outcome = RestartOutcome.RolledBack,
            FromVersion = "0.3.0+aaaaaaa",
            ToVersion = "0.3.1+bbbbbbb",
            Phases = phases,
            Error = "the new worker failed its health check: database locked",
        };

        await WriteAsync(unit => unit.Restarts.InsertAsync(restart, Ct));

        var stored = await GetRestartAsync("rst_full");
        stored.ShouldNotBeNull();
        stored.Phases.ShouldBe(phases);
        stored.ShouldBe(restart with { Phases = stored.Phases });
    }

    [Fact]
    public async Task InsertAsync_RestartJustBegun_GetAsyncReturnsItInProgressWithoutPhases()
    {
        var restart = NewRestart("rst_1");

        await WriteAsync(unit => unit.Restarts.InsertAsync(restart, Ct));

        var stored = await GetRestartAsync("rst_1");
        stored.ShouldNotBeNull();
        stored.Phases.ShouldBeEmpty();
        stored.Outcome.ShouldBe(RestartOutcome.InProgress);
        stored.ShouldBe(restart with { Phases = stored.Phases });
    }

    [Fact]
    public async Task UpdateAsync_RestartProgressed_GetAsyncReturnsTheReplacedRecord()
    {
        var begun = NewRestart("rst_1") with { Phases = [new RestartPhaseRecord(RestartPhase.Preparing, Start, 1.5, true, null)] };
        await WriteAsync(unit => unit.Restarts.InsertAsync(begun, Ct));
        RestartPhaseRecord[] phases =
        [
            new(RestartPhase.Preparing, Start, 1.5, true, null),
            new(RestartPhase.Draining, Start.AddMilliseconds(2), 40.25, true, "2 calls drained"),
            new(RestartPhase.Stopping, Start.AddMilliseconds(43), 120, true, null),
            new(RestartPhase.Starting, Start.AddMilliseconds(163), 800.5, false, "exited with code 3"),
        ];
        var finished = begun with
        {
            Graceful = false,
            RequestedBy = "client:claude-code",
            FinishedAt = Start.AddSeconds(1),
            Outcome = RestartOutcome.Failed,
            ToVersion = "0.3.1",
            Phases = phases,
            Error = "the new worker exited with code 3",
        };

        await WriteAsync(unit => unit.Restarts.UpdateAsync(finished, Ct));

        var stored = await GetRestartAsync("rst_1");
        stored.ShouldNotBeNull();
        stored.Phases.ShouldBe(phases);
        stored.ShouldBe(finished with { Phases = stored.Phases });
    }

    [Fact]
    public async Task GetAsync_UnknownRestart_ReturnsNull()
    {
        await WriteAsync(unit => unit.Restarts.InsertAsync(NewRestart("rst_1"), Ct));

        (await GetRestartAsync("rst_2")).ShouldBeNull();
    }

    [Fact]
    public async Task ListAsync_SeveralRestarts_NewestFirstAtMostLimitWithTheTotalCount()
    {
        await WriteAsync(async unit =>
        {
            await unit.Restarts.InsertAsync(NewRestart("rst_b") with { StartedAt = Start.AddMinutes(2) }, Ct);
            await unit.Restarts.InsertAsync(NewRestart("rst_d") with { StartedAt = Start.AddMinutes(1) }, Ct);
            await unit.Restarts.InsertAsync(NewRestart("rst_a") with { StartedAt = Start.AddMinutes(3), Kind = RestartKind.CrashRecovery }, Ct);
            await unit.Restarts.InsertAsync(NewRestart("rst_c") with { StartedAt = Start }, Ct);
        });

        var (page, total) = await ReadAsync(unit => unit.Restarts.ListAsync(2, Ct));
        var (all, allTotal) = await ReadAsync(unit => unit.Restarts.ListAsync(10, Ct));

        page.Select(r => r.Id).ShouldBe(["rst_a", "rst_b"]);
        total.ShouldBe(4);
        all.Select(r => r.Id).ShouldBe(["rst_a", "rst_b", "rst_d", "rst_c"]);
        allTotal.ShouldBe(4);
        all[0].Kind.ShouldBe(RestartKind.CrashRecovery);
    }

    [Fact]
    public async Task ListAsync_UpdatedRestart_KeepsItsPlaceByStartTime()
    {
        await WriteAsync(async unit =>
        {
            await unit.Restarts.InsertAsync(NewRestart("rst_old"), Ct);
            await unit.Restarts.InsertAsync(NewRestart("rst_new") with { StartedAt = Start.AddMinutes(1) }, Ct);
        });

        await WriteAsync(unit => unit.Restarts.UpdateAsync(NewRestart("rst_old") with { Outcome = RestartOutcome.Succeeded, FinishedAt = Start.AddMinutes(5) }, Ct));

        var (items, total) = await ReadAsync(unit => unit.Restarts.ListAsync(10, Ct));
        items.Select(r => (r.Id, r.Outcome)).ShouldBe([("rst_new", RestartOutcome.InProgress), ("rst_old", RestartOutcome.Succeeded)]);
        total.ShouldBe(2);
    }

    [Fact]
    public async Task ListAsync_NoRestarts_ReturnsEmptyAndZero()
    {
        var (items, total) = await ReadAsync(unit => unit.Restarts.ListAsync(10, Ct));

        items.ShouldBeEmpty();
        total.ShouldBe(0);
    }

    /// <summary>A graceful, manual restart of this test's workspace that began at <see cref="Start"/>.</summary>
    protected RestartRecord NewRestart(string id) => new()
    {
        Id = id,
        WorkspaceId = WorkspaceId,
        InstanceId = "inst_supervisor",
        Kind = RestartKind.Restart,
        Reason = RestartReason.ManualRequest,
        StartedAt = Start,
        FromVersion = "0.3.0",
    };

    private Task<RestartRecord?> GetRestartAsync(string id) => ReadAsync(unit => unit.Restarts.GetAsync(id, Ct));
}
