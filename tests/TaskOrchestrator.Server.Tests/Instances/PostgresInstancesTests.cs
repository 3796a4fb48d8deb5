using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Instances;

/// <summary>
/// Several server instances on one PostgreSQL database, as a team runs them: many agents claim through
/// all of them, one instance dies by SIGKILL mid-run, and the others find it dead and take its work back.
/// </summary>
public sealed class PostgresInstancesTests : IClassFixture<PostgresServerCluster>
{
    private const int Instances = 3;
    private const int Victim = 2;
    private const int Agents = 64;
    private const int Trees = 10;
    private const int TreeSize = 500;
    private const int Tasks = Trees * TreeSize;
    private const int LeaseSeconds = 10;

    // The victim's agents stop completing (each keeps the task it holds) once this many tasks are done,
    // and the victim is killed when all of them hold one: its claims are then certainly live and lost.
    private const int HoldAfterCompleted = 3_000;

    private readonly PostgresServerCluster _cluster;

    public PostgresInstancesTests(PostgresServerCluster cluster) => _cluster = cluster;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeInstancesSixtyFourAgents_OneKilledMidRun_EveryTaskCompletedOnceLostClaimsReclaimedOnceDeadInstanceFoundByAnother()
    {
        var connectionString = await _cluster.NewDatabaseAsync();
        using var workspace = new TemporaryDirectory();
        var environment = new Dictionary<string, string>
        {
            ["TASK_ORCHESTRATOR_STORE"] = "postgres",
            ["TASK_ORCHESTRATOR_CONNECTION_STRING"] = connectionString,
            ["TASK_ORCHESTRATOR__Health__HeartbeatInterval"] = "00:00:01",
            // Heartbeats are writes and queue behind the seeding's large plans on the workspace lock: the
            // TTL leaves room for that, or a live instance would be taken for dead.
            ["TASK_ORCHESTRATOR__Health__InstanceTtl"] = "00:00:08",
            ["TASK_ORCHESTRATOR__Health__MonitorInterval"] = "00:00:01",
        };
        var servers = await Task.WhenAll(Enumerable.Range(0, Instances).Select(_ => ServerProcess.StartInitializedAsync(environment, Token, "--workspace", workspace.Path, "--log-level", "warning", "--no-supervisor")));
        var victimPid = servers[Victim].Pid;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            for (int tree = 0; tree < Trees; tree++)
            {
                var subtasks = new JsonArray([.. Enumerable.Range(0, TreeSize - 1).Select(i => (JsonNode)new JsonObject { ["title"] = $"tree {tree} item {i}", ["priority"] = (i % 3) switch { 0 => "low", 1 => "medium", _ => "high" } })]);
                var plan = await servers[tree % Instances].CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = $"tree {tree}", ["subtasks"] = subtasks }, Token);
                plan["isError"]?.GetValue<bool>().ShouldNotBe(true, plan.ToJsonString());
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"seeded {Tasks} tasks in {clock.Elapsed.TotalSeconds:0.0} s");
            var run = new AgentRun(servers);
            var agents = Enumerable.Range(0, Agents).Select(agent => Task.Run(() => run.AgentAsync(agent), Token)).ToList();
            var victimAgents = Enumerable.Range(0, Agents).Count(a => a % Instances == Victim);
            await Task.WhenAny(run.AllVictimsHolding(victimAgents), Task.WhenAll(agents));
            run.AllVictimsHolding(victimAgents).IsCompleted.ShouldBeTrue("every agent of the victim held a task before the work ran out");
            servers[Victim].Kill();
            run.Killed.TrySetResult();
            await Task.WhenAll(agents);

            TestContext.Current.TestOutputHelper?.WriteLine($"all agents done at {clock.Elapsed.TotalSeconds:0.0} s");
            run.Failures.ShouldBeEmpty();
            run.CompletedTwice.ShouldBeEmpty();
            var abandoned = run.Held.ToHashSet(StringComparer.Ordinal);
            abandoned.Count.ShouldBe(victimAgents);

            await using var db = NpgsqlDataSource.Create(connectionString + ";Command Timeout=300");
            (await ColumnAsync(db, "SELECT status || ':' || count(*) FROM task GROUP BY status")).ShouldBe([$"completed:{Tasks}"]);
            (await ColumnAsync(db, "SELECT count(*) FROM event WHERE kind = 'status_changed' AND to_state = 'completed'")).ShouldBe([Tasks.ToString(CultureInfo.InvariantCulture)]);
            (await ColumnAsync(db, "SELECT task_id FROM event WHERE kind = 'status_changed' AND to_state = 'completed' GROUP BY task_id HAVING count(*) > 1")).ShouldBeEmpty("no task completed twice");

            // Claims: one per task, plus one more for each task the victim's agents lost, and only after
            // that task's one release; no task was handed out while a live claim on it stood.
            var victimId = (await ColumnAsync(db, $"SELECT id FROM server_instance WHERE process_id = {victimPid}")).ShouldHaveSingleItem();
            (await ColumnAsync(db, "SELECT count(*) FROM event WHERE kind = 'status_changed' AND to_state = 'in_progress'")).ShouldBe([(Tasks + abandoned.Count).ToString(CultureInfo.InvariantCulture)]);
            (await ColumnAsync(db, "SELECT task_id FROM event WHERE kind = 'status_changed' AND to_state = 'in_progress' GROUP BY task_id HAVING count(*) > 1 ORDER BY task_id"))
                .ShouldBe([.. abandoned.Order(StringComparer.Ordinal)]);
            // A lost claim goes back once: by the stale-instance sweep if its lease had already run out,
            // else by a lease-expiry reclaim after the sweep detached it from the dead instance.
            var detached = (await ColumnAsync(db, $"SELECT task_id FROM event WHERE kind = 'hold_detached' AND (data_json::jsonb) ->> 'released_from_instance' = '{victimId}'")).ToHashSet(StringComparer.Ordinal);
            var releases = await RowsAsync(db, "SELECT task_id, (data_json::jsonb) ->> 'released_from_instance', (data_json::jsonb) ->> 'released_from_agent', (data_json::jsonb) ->> 'cause' FROM event WHERE kind = 'status_changed' AND from_state = 'in_progress' AND to_state = 'pending' ORDER BY task_id");
            releases.Select(r => r[0]).ShouldBe([.. abandoned.Order(StringComparer.Ordinal)], "each lost claim released exactly once");
            foreach (var release in releases)
            {
                (release[1] == victimId || (release[1] is null && detached.Contains(release[0]!))).ShouldBeTrue($"task {release[0]} was held through the victim ({release[1] ?? "detached"})");
                (int.Parse(release[2]!["agent-".Length..], CultureInfo.InvariantCulture) % Instances).ShouldBe(Victim, $"task {release[0]} was lost by an agent of the victim, not {release[2]}");
                release[3].ShouldBeOneOf(["lease_expired", "instance_dead"], $"task {release[0]} was released for a cause of the kill");
            }

            (await ColumnAsync(db, """
                SELECT task_id FROM (
                    SELECT task_id, to_state, lag(to_state) OVER (PARTITION BY task_id ORDER BY seq) AS previous
                    FROM event WHERE kind = 'status_changed') changes
                WHERE to_state = 'in_progress' AND previous IS NOT NULL AND previous <> 'pending'
                """)).ShouldBeEmpty("every claim after the first follows a release of the one before");

            // The victim was found dead by one of the others, once, and the others kept heartbeating.
            var survivorIds = new List<string>();
            foreach (var survivor in servers.Where((_, i) => i != Victim))
            {
                survivorIds.Add((await ColumnAsync(db, $"SELECT id FROM server_instance WHERE process_id = {survivor.Pid}")).ShouldHaveSingleItem());
            }

            var victimRow = (await RowsAsync(db, $"SELECT state, detail, heartbeat_at::text FROM server_instance WHERE id = '{victimId}'")).ShouldHaveSingleItem();
            victimRow[0].ShouldBe("dead");
            survivorIds.ShouldContain(id => victimRow[1]!.StartsWith($"found dead by {id} ", StringComparison.Ordinal), victimRow[1]);
            victimRow[1]!.ShouldContain("no longer exists");
            (await ColumnAsync(db, $"SELECT (data_json::jsonb) ->> 'found_by' FROM event WHERE kind = 'instance_dead' AND (data_json::jsonb) ->> 'instance_id' = '{victimId}'"))
                .ShouldHaveSingleItem().ShouldBeOneOf([.. survivorIds]);
            (await ColumnAsync(db, $"SELECT state FROM server_instance WHERE heartbeat_at > {victimRow[2]} AND id IN ('{string.Join("','", survivorIds)}')")).ShouldBe(["running", "running"]);

            var monitorReclaims = servers.Where((_, i) => i != Victim).Sum(s => s.Stderr.Split('\n').Count(line => line.Contains("Reclaimed task", StringComparison.Ordinal)));
            TestContext.Current.TestOutputHelper?.WriteLine($"{abandoned.Count} lost claims; {monitorReclaims} reclaimed by a monitor pass, the rest by a claim or the stale-instance sweep");
        }
        catch (Exception ex) when (ex is IOException or ShouldAssertException)
        {
            throw new InvalidOperationException($"{ex.Message}\nServer logs:\n{string.Join("\n----\n", servers.Select(s => s.Stderr[Math.Max(0, s.Stderr.Length - 4_000)..]))}", ex);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlDataSource db, string sql) =>
        [.. (await RowsAsync(db, sql)).Select(r => r[0]!)];

    private static async Task<List<string?[]>> RowsAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(Token);
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(Token))
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))]);
        }

        return rows;
    }

    /// <summary>The agents' shared state: who completed what, what the victim's agents hold, what went wrong.</summary>
    private sealed class AgentRun(IReadOnlyList<ServerProcess> servers)
    {
        private readonly TaskCompletionSource _allHolding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _completed;

        public TaskCompletionSource Killed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentBag<string> Held { get; } = [];

        public ConcurrentBag<string> Failures { get; } = [];

        public ConcurrentBag<string> CompletedTwice { get; } = [];

        private ConcurrentDictionary<string, string> CompletedBy { get; } = new(StringComparer.Ordinal);

        public Task AllVictimsHolding(int count)
        {
            if (Held.Count >= count)
            {
                _allHolding.TrySetResult();
            }

            return _allHolding.Task;
        }

        public async Task AgentAsync(int agent)
        {
            var name = $"agent-{agent}";
            var ofVictim = agent % Instances == Victim;
            var victimAgents = Enumerable.Range(0, Agents).Count(a => a % Instances == Victim);
            while (true)
            {
                // The victim's agents move to a surviving instance once it is gone, as a client reconnects.
                var server = ofVictim && Killed.Task.IsCompleted ? servers[agent % (Instances - 1)] : servers[agent % Instances];
                var claim = await server.CallToolAsync("orchestrator_claim_next_task", new JsonObject { ["agent_id"] = name, ["lease_seconds"] = LeaseSeconds }, Token);
                var content = claim["structuredContent"]!;
                if (claim["isError"]?.GetValue<bool>() == true)
                {
                    Failures.Add(claim.ToJsonString());
                    return;
                }

                if (!content["claimed"]!.GetValue<bool>())
                {
                    if (content["pending_tasks"]!.GetValue<int>() == 0 && content["in_progress_tasks"]!.GetValue<int>() == 0)
                    {
                        return;
                    }

                    // Others hold the last tasks, or hold a task that waits for its lease to run out.
                    await Task.Delay(50, Token);
                    continue;
                }

                var task = ClaimedTask.From(content);
                if (ofVictim && !Killed.Task.IsCompleted && Volatile.Read(ref _completed) >= HoldAfterCompleted)
                {
                    Held.Add(task.Id);
                    _ = AllVictimsHolding(victimAgents);
                    await Killed.Task.WaitAsync(Token);
                    continue;
                }

                var (completed, answer) = await task.CompleteAsync(server, name, Token);
                if (!completed)
                {
                    Failures.Add(answer.ToJsonString());
                }
                else if (!CompletedBy.TryAdd(task.Id, name))
                {
                    CompletedTwice.Add(task.Id);
                }

                Interlocked.Increment(ref _completed);
            }
        }
    }
}
