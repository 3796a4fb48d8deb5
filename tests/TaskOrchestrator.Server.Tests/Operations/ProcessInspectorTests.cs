using Shouldly;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Operations.Instances;

namespace TaskOrchestrator.Server.Tests.Operations;

public sealed class ProcessInspectorTests
{
    private readonly ProcessInspector _inspector = new();

    [Fact]
    public void ParseStat_CommandNameWithSpacesAndParentheses_ReadsStateAndStartTicks()
    {
        var stat = "4242 (odd (name) here) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654321 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0";

        ProcessInspector.ParseStat(stat).ShouldBe(('S', 987654321L));
    }

    [Fact]
    public void Read_ThisProcess_ReturnsItsCommandLineAndAStartTimeThatStaysTheSame()
    {
        var self = _inspector.Read(Environment.ProcessId).ShouldNotBeNull();

        self.StartTicks.ShouldBeGreaterThan(0);
        self.StartTicks.ShouldBe(_inspector.CurrentStartTicks());
        self.IsZombie.ShouldBeFalse();
        self.CommandLine.ShouldNotBeEmpty();
    }

    [Fact]
    public void Classify_ExitedProcess_Gone()
    {
        var row = Row(ChildProcess.GonePid(), 1);

        _inspector.Classify(row, Environment.MachineName).ShouldBe(ProcessOwnership.Gone);
    }

    [Fact]
    public void Classify_SleepWithItsRealStartTime_ForeignBecauseItsCommandLineIsNotThisProgram()
    {
        using var sleep = ChildProcess.Sleep();

        _inspector.Classify(Row(sleep.Pid, sleep.StartTicks), Environment.MachineName).ShouldBe(ProcessOwnership.Foreign);
    }

    [Fact]
    public void Classify_ThisProgramWithItsRealStartTime_Ours()
    {
        using var ours = ChildProcess.OursSleeping();

        _inspector.Classify(Row(ours.Pid, ours.StartTicks), Environment.MachineName).ShouldBe(ProcessOwnership.Ours);
    }

    [Fact]
    public void Classify_ThisProgramStartedLaterUnderAReusedId_Foreign()
    {
        using var ours = ChildProcess.OursSleeping();

        _inspector.Classify(Row(ours.Pid, ours.StartTicks - 1), Environment.MachineName).ShouldBe(ProcessOwnership.Foreign);
    }

    [Fact]
    public void Classify_RowOfAnotherHost_OtherHostWhateverRunsHere()
    {
        using var ours = ChildProcess.OursSleeping();

        _inspector.Classify(Row(ours.Pid, ours.StartTicks), "some-other-host").ShouldBe(ProcessOwnership.OtherHost);
    }

    [Fact]
    public async Task TerminateAsync_ProcessThatStopsOnSigterm_Terminated()
    {
        using var ours = ChildProcess.OursSleeping();

        var ended = await _inspector.TerminateAsync(ours.Pid, ours.StartTicks, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        ended.ShouldBe("terminated");
        ours.WaitForExit(TimeSpan.FromSeconds(5)).ShouldBeTrue();
    }

    [Fact]
    public async Task TerminateAsync_ProcessThatIgnoresSigterm_KilledAfterTheGracePeriod()
    {
        using var stubborn = ChildProcess.OursIgnoringSigterm();

        var ended = await _inspector.TerminateAsync(stubborn.Pid, stubborn.StartTicks, TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        ended.ShouldBe("killed");
        stubborn.WaitForExit(TimeSpan.FromSeconds(5)).ShouldBeTrue();
    }

    [Fact]
    public async Task TerminateAsync_StartTimeDoesNotMatch_NeverSignals()
    {
        using var ours = ChildProcess.OursSleeping();

        var ended = await _inspector.TerminateAsync(ours.Pid, ours.StartTicks + 1, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        ended.ShouldBe("exited");
        ours.HasExited.ShouldBeFalse();
    }

    private static ServerInstanceRecord Row(int pid, long startTicks) => new()
    {
        Id = "inst_probe",
        WorkspaceId = "ws_probe",
        Role = InstanceRole.Standalone,
        Host = Environment.MachineName,
        ProcessId = pid,
        ProcessStartedAt = startTicks,
        Executable = "/usr/bin/task-orchestrator",
        Version = "0.1.0",
        StartedAt = DateTimeOffset.UnixEpoch,
        HeartbeatAt = DateTimeOffset.UnixEpoch,
    };
}
