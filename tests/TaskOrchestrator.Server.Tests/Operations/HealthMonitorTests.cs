using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Workspaces;
using TaskOrchestrator.Server.Operations;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Operations;

public sealed class HealthMonitorTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _alerts = new("to-alerts");
    private OperationsWorkspace _workspace = null!;
    private WorkspaceRegistry _registry = null!;

    public async ValueTask InitializeAsync()
    {
        _workspace = await OperationsWorkspace.OpenAsync();
        _registry = new WorkspaceRegistry(_workspace.Provider, []);
        await _registry.OpenAsync(_workspace.Root, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _workspace.DisposeAsync();
        _alerts.Dispose();
    }

    [Fact]
    public async Task RunOnce_DiskFallsBelowItsThreshold_RecordsOneTransitionEventAndRunsTheAlertCommand()
    {
        var json = Path.Combine(_alerts.Path, "alert.json");
        var env = Path.Combine(_alerts.Path, "alert.env");
        _workspace.Options.DiskFreeDegradedPercent = 100;
        _workspace.Options.AlertCommand = $"cat > '{json}'; printf '%s %s>%s' \"$TASK_ORCHESTRATOR_ALERT_CHECK\" \"$TASK_ORCHESTRATOR_ALERT_FROM\" \"$TASK_ORCHESTRATOR_ALERT_TO\" > '{env}'";
        var monitor = Monitor();

        var transitions = await monitor.RunOnceAsync(TestContext.Current.CancellationToken);

        var transition = transitions.ShouldHaveSingleItem();
        (transition.Check, transition.From, transition.To).ShouldBe(("disk_free", HealthStatus.Healthy, HealthStatus.Degraded));
        transition.Workspace.ShouldBe(_workspace.Root);
        var recorded = (await _workspace.EventsAsync(EventKinds.HealthTransition)).ShouldHaveSingleItem();
        (recorded.From, recorded.To, recorded.Actor, recorded.TaskId).ShouldBe(("healthy", "degraded", "system", null));
        recorded.At.ShouldBe(_workspace.Clock.GetUtcNow());
        var data = JsonDocument.Parse(recorded.DataJson!).RootElement;
        data.GetProperty("check").GetString().ShouldBe("disk_free");
        data.GetProperty("instance_id").GetString().ShouldBe(OperationsWorkspace.Self.InstanceId);
        data.GetProperty("figures").GetProperty("free_percent").GetDouble().ShouldBeLessThan(100);
        var alert = JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken)).RootElement;
        alert.GetProperty("check").GetString().ShouldBe("disk_free");
        alert.GetProperty("from").GetString().ShouldBe("healthy");
        alert.GetProperty("to").GetString().ShouldBe("degraded");
        alert.GetProperty("workspace").GetString().ShouldBe(_workspace.Root);
        (await File.ReadAllTextAsync(env, TestContext.Current.CancellationToken)).ShouldBe("disk_free healthy>degraded");
    }

    [Fact]
    public async Task RunOnce_NothingChangedSinceTheLastPass_RecordsNothingNew()
    {
        _workspace.Options.DiskFreeDegradedPercent = 100;
        var monitor = Monitor();
        await monitor.RunOnceAsync(TestContext.Current.CancellationToken);

        var second = await monitor.RunOnceAsync(TestContext.Current.CancellationToken);

        second.ShouldBeEmpty();
        (await _workspace.EventsAsync(EventKinds.HealthTransition)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RunOnce_CheckRecovers_RecordsTheTransitionBackToHealthy()
    {
        _workspace.Options.DiskFreeDegradedPercent = 100;
        var monitor = Monitor();
        await monitor.RunOnceAsync(TestContext.Current.CancellationToken);
        _workspace.Options.DiskFreeDegradedPercent = 0;
        _workspace.Clock.Advance(TimeSpan.FromSeconds(30));

        var transitions = await monitor.RunOnceAsync(TestContext.Current.CancellationToken);

        transitions.Select(t => (t.Check, t.From, t.To)).ShouldBe([("disk_free", HealthStatus.Degraded, HealthStatus.Healthy)]);
        (await _workspace.EventsAsync(EventKinds.HealthTransition)).Select(e => $"{e.From}>{e.To}").ShouldBe(["healthy>degraded", "degraded>healthy"]);
    }

    [Fact]
    public async Task RunOnce_LeaseExpired_ReclaimsTheTaskWithAnEventNamingTheHolderThatLostIt()
    {
        var now = _workspace.Clock.GetUtcNow();
        var taskId = await _workspace.HeldTaskAsync("inst_quiet", "agent-9", now + TimeSpan.FromHours(1));
        _workspace.Clock.Advance(TimeSpan.FromHours(2));

        var transitions = await Monitor().RunOnceAsync(TestContext.Current.CancellationToken);

        transitions.Select(t => (t.Check, t.To)).ShouldBe([("expired_leases", HealthStatus.Degraded)]);
        var task = (await _workspace.TaskAsync(taskId)).ShouldNotBeNull();
        task.Status.ShouldBe(TaskItemStatus.Pending);
        task.HolderInstanceId.ShouldBeNull();
        task.StatusReason.ShouldBe($"released: the hold of agent 'agent-9' through server instance 'inst_quiet' expired at {(now + TimeSpan.FromHours(1)).ToString("u", System.Globalization.CultureInfo.InvariantCulture)} without being renewed");
        var released = (await _workspace.EventsAsync(EventKinds.StatusChanged)).ShouldHaveSingleItem();
        var data = JsonDocument.Parse(released.DataJson!).RootElement;
        data.GetProperty("cause").GetString().ShouldBe("lease_expired");
        data.GetProperty("released_from_instance").GetString().ShouldBe("inst_quiet");
        data.GetProperty("released_from_agent").GetString().ShouldBe("agent-9");
    }

    [Fact]
    public async Task RunOnce_CriticalPassesReachTheLimitWithoutSupervisor_CountsThenStartsOver()
    {
        (_workspace.Options.DiskFreeDegradedBytes, _workspace.Options.DiskFreeCriticalBytes) = (1L << 50, 1L << 50);
        _workspace.Options.CriticalPassesBeforeRestart = 2;
        var monitor = Monitor();

        await monitor.RunOnceAsync(TestContext.Current.CancellationToken);
        var afterFirst = monitor.ConsecutiveCritical;
        await monitor.RunOnceAsync(TestContext.Current.CancellationToken);

        afterFirst.ShouldBe(1);
        monitor.ConsecutiveCritical.ShouldBe(0);
    }

    [Fact]
    public async Task RunOnce_AlertCommandFails_TheMonitorCarriesOn()
    {
        _workspace.Options.DiskFreeDegradedPercent = 100;
        _workspace.Options.AlertCommand = "exit 3";

        var transitions = await Monitor().RunOnceAsync(TestContext.Current.CancellationToken);

        transitions.Count.ShouldBe(1);
        (await _workspace.EventsAsync(EventKinds.HealthTransition)).Count.ShouldBe(1);
    }

    private HealthMonitor Monitor()
    {
        var options = _workspace.OptionsAccessor;
        var orchestrator = Microsoft.Extensions.Options.Options.Create(new OrchestratorOptions { StartedAt = _workspace.Clock.GetUtcNow() });
        var services = new ServiceCollection().BuildServiceProvider();
        return new HealthMonitor(
            _registry,
            new HealthProbe(options, OperationsWorkspace.Self, _workspace.Clock),
            OperationsWorkspace.Self,
            new AlertHooks(options, NullLogger<AlertHooks>.Instance),
            new ClientNotifier(new LiveServers(services), NullLogger<ClientNotifier>.Instance),
            _workspace.Clock,
            options,
            orchestrator,
            NullLogger<HealthMonitor>.Instance,
            Core.Agents.AgentHealthPolicy.Default);
    }
}
