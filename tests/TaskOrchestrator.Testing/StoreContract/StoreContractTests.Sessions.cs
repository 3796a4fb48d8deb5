using Shouldly;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task InsertAsync_Session_GetAsyncReturnsAnEqualRecord()
    {
        var session = NewSession("ses_1", "Refactor the parser") with
        {
            ClientInfo = "claude-code 1.2.3",
            Status = SessionStatus.Archived,
            CreatedAt = Start.AddMinutes(-5),
            LastActivityAt = Start,
            Version = 4,
        };

        await WriteAsync(unit => unit.Sessions.InsertAsync(session, Ct));

        (await ReadAsync(unit => unit.Sessions.GetAsync("ses_1", Ct))).ShouldBe(session);
    }

    [Fact]
    public async Task GetAsync_UnknownSession_ReturnsNull()
    {
        await WriteAsync(unit => unit.Sessions.InsertAsync(NewSession("ses_1"), Ct));

        (await ReadAsync(unit => unit.Sessions.GetAsync("ses_2", Ct))).ShouldBeNull();
    }

    [Fact]
    public async Task UpdateAsync_SessionVersionMatches_ReplacesTheSession()
    {
        var session = NewSession("ses_1");
        await WriteAsync(unit => unit.Sessions.InsertAsync(session, Ct));
        var changed = session with { Name = "Renamed", Status = SessionStatus.Archived, ClientInfo = "cursor 0.4", LastActivityAt = Start.AddHours(1), Version = 2 };

        await WriteAsync(unit => unit.Sessions.UpdateAsync(changed, 1, Ct));

        (await ReadAsync(unit => unit.Sessions.GetAsync("ses_1", Ct))).ShouldBe(changed);
    }

    [Fact]
    public async Task UpdateAsync_SessionVersionStale_ThrowsVersionConflictAndKeepsTheStoredSession()
    {
        var session = NewSession("ses_1");
        await WriteAsync(unit => unit.Sessions.InsertAsync(session, Ct));
        await WriteAsync(unit => unit.Sessions.UpdateAsync(session with { Name = "First", Version = 2 }, 1, Ct));

        var ex = await Should.ThrowAsync<OrchestratorException>(async () =>
            await WriteAsync(unit => unit.Sessions.UpdateAsync(session with { Name = "Second", Version = 2 }, 1, Ct)));

        ex.Error.Code.ShouldBe(ErrorCodes.VersionConflict);
        (await ReadAsync(unit => unit.Sessions.GetAsync("ses_1", Ct)))!.Name.ShouldBe("First");
    }

    [Fact]
    public async Task TouchAsync_LaterInstant_MovesLastActivityForwardWithoutChangingTheVersion()
    {
        await WriteAsync(unit => unit.Sessions.InsertAsync(NewSession("ses_1"), Ct));

        await WriteAsync(unit => unit.Sessions.TouchAsync("ses_1", Start.AddMinutes(10), Ct));

        var stored = await ReadAsync(unit => unit.Sessions.GetAsync("ses_1", Ct));
        stored!.LastActivityAt.ShouldBe(Start.AddMinutes(10));
        stored.Version.ShouldBe(1);
    }

    [Fact]
    public async Task TouchAsync_EarlierInstant_NeverMovesLastActivityBackwards()
    {
        await WriteAsync(unit => unit.Sessions.InsertAsync(NewSession("ses_1") with { LastActivityAt = Start.AddMinutes(10) }, Ct));

        await WriteAsync(unit => unit.Sessions.TouchAsync("ses_1", Start.AddMinutes(3), Ct));

        (await ReadAsync(unit => unit.Sessions.GetAsync("ses_1", Ct)))!.LastActivityAt.ShouldBe(Start.AddMinutes(10));
    }

    [Fact]
    public async Task DeleteAsync_SessionWithoutTasks_RemovesIt()
    {
        await WriteAsync(async unit =>
        {
            await unit.Sessions.InsertAsync(NewSession("ses_1"), Ct);
            await unit.Sessions.InsertAsync(NewSession("ses_2"), Ct);
        });

        await WriteAsync(unit => unit.Sessions.DeleteAsync("ses_1", Ct));

        (await ReadAsync(unit => unit.Sessions.GetAsync("ses_1", Ct))).ShouldBeNull();
        (await ReadAsync(unit => unit.Sessions.GetAsync("ses_2", Ct))).ShouldNotBeNull();
    }

    [Fact]
    public async Task ListAsync_Sessions_ReturnsMostRecentlyActiveFirstWithTaskCountsAndTotal()
    {
        await SeedSessionsAsync();

        var (items, total) = await ReadAsync(unit => unit.Sessions.ListAsync(null, 10, 0, Ct));

        total.ShouldBe(3);
        items.Select(i => i.Session.Id).ShouldBe(["ses_recent", "ses_middle", "ses_old"]);
        items[0].Counts.OrderBy(p => p.Key).ShouldBe([KeyValuePair.Create(TaskItemStatus.Pending, 1), KeyValuePair.Create(TaskItemStatus.Completed, 2)]);
        items[0].Total.ShouldBe(3);
        items[0].Completed.ShouldBe(2);
        items[1].Counts.ShouldBeEmpty();
        items[2].Counts.OrderBy(p => p.Key).ShouldBe([KeyValuePair.Create(TaskItemStatus.Archived, 1)]);
    }

    [Fact]
    public async Task ListAsync_StatusFilter_ReturnsOnlySessionsInThatStatusAndTheirTotal()
    {
        await SeedSessionsAsync();

        var (active, activeTotal) = await ReadAsync(unit => unit.Sessions.ListAsync(SessionStatus.Active, 10, 0, Ct));
        var (archived, archivedTotal) = await ReadAsync(unit => unit.Sessions.ListAsync(SessionStatus.Archived, 10, 0, Ct));

        active.Select(i => i.Session.Id).ShouldBe(["ses_recent", "ses_middle"]);
        activeTotal.ShouldBe(2);
        archived.Select(i => i.Session.Id).ShouldBe(["ses_old"]);
        archivedTotal.ShouldBe(1);
    }

    [Fact]
    public async Task ListAsync_LimitAndOffset_ReturnsThatPageAndTheTotalOfAllPages()
    {
        await SeedSessionsAsync();

        var (first, firstTotal) = await ReadAsync(unit => unit.Sessions.ListAsync(null, 2, 0, Ct));
        var (second, secondTotal) = await ReadAsync(unit => unit.Sessions.ListAsync(null, 2, 2, Ct));

        first.Select(i => i.Session.Id).ShouldBe(["ses_recent", "ses_middle"]);
        second.Select(i => i.Session.Id).ShouldBe(["ses_old"]);
        second[0].Counts.OrderBy(p => p.Key).ShouldBe([KeyValuePair.Create(TaskItemStatus.Archived, 1)]);
        (firstTotal, secondTotal).ShouldBe((3, 3));
    }

    private async Task SeedSessionsAsync()
    {
        await WriteAsync(async unit =>
        {
            await unit.Sessions.InsertAsync(NewSession("ses_old") with { Status = SessionStatus.Archived, LastActivityAt = Start.AddHours(-3) }, Ct);
            await unit.Sessions.InsertAsync(NewSession("ses_recent") with { LastActivityAt = Start.AddHours(-1) }, Ct);
            await unit.Sessions.InsertAsync(NewSession("ses_middle") with { LastActivityAt = Start.AddHours(-2) }, Ct);
        });
        await InsertAsync(
            NewTask("task_1") with { SessionId = "ses_recent" },
            NewTask("task_2") with { SessionId = "ses_recent", Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_3") with { SessionId = "ses_recent", Status = TaskItemStatus.Completed, CompletedAt = Start },
            NewTask("task_4") with { SessionId = "ses_old", Status = TaskItemStatus.Archived },
            NewTask("task_5"));
    }
}
