using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;
using static TaskOrchestrator.Server.Tests.Supervision.SupervisedServer;

namespace TaskOrchestrator.Server.Tests.Supervision;

/// <summary>
/// Client lines of 16 KiB and more are kept by the supervisor in pooled arrays, which go back to the
/// pool once their request is answered (<c>Supervision/ClientLine.cs</c>). These send many such
/// lines at once, so that arrays are reused while others are in flight, and check that every request
/// reached the worker byte for byte, also when it is replayed to a new worker after a crash.
/// </summary>
public sealed class SupervisorLargeLineTests
{
    private const int Calls = 24;
    private const int DescriptionChars = 18_000;

    // A request whose bytes were damaged is never answered under its id: the wait fails instead of hanging.
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BigPlansSentAtOnce_AreEachStoredWithTheirOwnDescription()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);

        for (var round = 0; round < 3; round++)
        {
            var calls = Enumerable.Range(0, Calls).Select(i => server.CallToolAsync(
                "orchestrator_plan_task",
                new JsonObject { ["title"] = $"big {round}-{i}", ["description"] = Description(round * Calls + i) },
                Token)).ToArray();
            (await Task.WhenAll(calls).WaitAsync(AnswerBound, Token)).ShouldAllBe(result => result["isError"] == null);
        }

        using var db = WorkspaceDatabase.Open(workspace.Path);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < Calls; i++)
            {
                WorkspaceDatabase.Column(db, $"SELECT description FROM task WHERE title = 'big {round}-{i}'")
                    .ShouldHaveSingleItem().ShouldBe(Description(round * Calls + i));
            }
        }

        server.UnmatchedAnswers.ShouldBeEmpty();
        server.ProtocolViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task BigReadsInFlightWhenTheWorkerIsKilled_AreReplayedIntactToTheNextWorker()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);
        for (var i = 0; i < Calls; i++)
        {
            Ok(await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = $"findable {i:D2} marker{i:D2}" }, Token));
        }

        var worker = await WorkerPidAsync(server);

        // Each read names one task by its search text and carries 18,000 characters of padding in _meta,
        // which the worker ignores: a replay that mixed up or damaged the pooled bytes would find
        // another task, none, or fail to parse.
        var reads = Enumerable.Range(0, Calls).Select(i => server.RequestAsync(
            "tools/call",
            new JsonObject
            {
                ["name"] = "orchestrator_query_tasks",
                ["arguments"] = new JsonObject { ["search_text"] = $"marker{i:D2}" },
                ["_meta"] = new JsonObject { ["padding"] = Description(i) },
            },
            Token)).ToArray();
        Posix.Kill(worker, SigKill).ShouldBe(0);
        var answers = await Task.WhenAll(reads).WaitAsync(AnswerBound, Token);

        for (var i = 0; i < Calls; i++)
        {
            var result = answers[i]["result"]!.AsObject();
            result["isError"].ShouldBeNull();
            var tasks = result["structuredContent"]!["tasks"]!.AsArray();
            tasks.ShouldHaveSingleItem()!.Str("title").ShouldBe($"findable {i:D2} marker{i:D2}");
        }

        (await WorkerPidAsync(server)).ShouldNotBe(worker);
        server.UnmatchedAnswers.ShouldBeEmpty();
    }

    // Distinct for each n, so that a request carrying another's bytes is told apart.
    private static string Description(int n) =>
        string.Concat(Enumerable.Repeat($"<{n:D3}>", DescriptionChars / 5))[..DescriptionChars];
}
