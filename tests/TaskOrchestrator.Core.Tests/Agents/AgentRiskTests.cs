using Shouldly;
using TaskOrchestrator.Core.Agents;

namespace TaskOrchestrator.Core.Tests.Agents;

public sealed class AgentRiskTests
{
    public static TheoryData<AgentCounters, double> Scores { get; } = new()
    {
        { AgentCounters.None, 0.0 },
        { new AgentCounters { Completed = 10 }, 0.0 },
        { new AgentCounters { Failed = 1 }, 1.0 / 5 },
        { new AgentCounters { Failed = 2 }, 2.0 / 6 },
        { new AgentCounters { LeaseExpired = 1, Failed = 1 }, 2.0 / 6 },
        { new AgentCounters { Completed = 3, Failed = 1 }, 1.0 / 8 },
        { new AgentCounters { Completed = 2, Blocked = 1, NeedsRevision = 1 }, 0.75 / 8 },
        { new AgentCounters { Completed = 10, Failed = 6 }, 6.0 / 20 },
        { new AgentCounters { Released = 50, Claims = 50, Heartbeats = 400 }, 0.0 },
        { new AgentCounters { Failed = 1000 }, 1000.0 / 1004 },
    };

    [Theory]
    [MemberData(nameof(Scores))]
    public void Score_Counters_IsTheDocumentedWeightedShareWithAPriorOfFourGoodOutcomes(AgentCounters counters, double expected)
    {
        AgentRisk.Score(counters).ShouldBe(expected);
    }

    [Fact]
    public void Score_NegativeCounter_IsRefused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => AgentRisk.Score(new AgentCounters { Failed = -1 }));
    }

    [Fact]
    public void Counters_WithOutcomes_RatesAndAverageDurationAreExact()
    {
        var counters = AgentCounters.None
            .With(AgentOutcome.Completed, TimeSpan.FromMilliseconds(1_000))
            .With(AgentOutcome.Completed, TimeSpan.FromMilliseconds(2_001))
            .With(AgentOutcome.Completed, TimeSpan.FromMilliseconds(3_000))
            .With(AgentOutcome.Failed)
            .With(AgentOutcome.LeaseExpired)
            .With(AgentOutcome.Released);

        (counters.Completed, counters.Failed, counters.LeaseExpired, counters.Released).ShouldBe((3L, 1L, 1L, 1L));
        (counters.Outcomes, counters.Errors).ShouldBe((5L, 2L));
        (counters.DurationCount, counters.DurationTotalMs).ShouldBe((3L, 6_001L));
        counters.AverageDuration.ShouldBe(TimeSpan.FromMilliseconds(6_001.0 / 3));
        (counters.SuccessRate, counters.FailureRate, counters.LeaseExpiryRate).ShouldBe((3.0 / 5, 1.0 / 5, 1.0 / 5));
        AgentCounters.None.SuccessRate.ShouldBeNull();
        AgentCounters.None.AverageDuration.ShouldBeNull();
    }
}
