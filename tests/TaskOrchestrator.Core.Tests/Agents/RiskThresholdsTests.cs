using Shouldly;
using TaskOrchestrator.Core.Agents;

namespace TaskOrchestrator.Core.Tests.Agents;

public sealed class RiskThresholdsTests
{
    [Theory]
    [InlineData(0.0, AgentHealth.Healthy)]
    [InlineData(0.1499, AgentHealth.Healthy)]
    [InlineData(0.15, AgentHealth.Degraded)]
    [InlineData(0.2999, AgentHealth.Degraded)]
    [InlineData(0.30, AgentHealth.Critical)]
    [InlineData(1.0, AgentHealth.Critical)]
    public void Classify_DefaultThresholds_HealthyBelowPoint15DegradedBelowPoint30CriticalAtOrAbove(double risk, AgentHealth expected)
    {
        RiskThresholds.Default.Classify(risk).ShouldBe(expected);
    }

    [Fact]
    public void Classify_CustomThresholds_UsesThem()
    {
        var thresholds = new RiskThresholds(0.05, 0.5);

        (thresholds.Classify(0.049), thresholds.Classify(0.05), thresholds.Classify(0.49), thresholds.Classify(0.5))
            .ShouldBe((AgentHealth.Healthy, AgentHealth.Degraded, AgentHealth.Degraded, AgentHealth.Critical));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public void Classify_NotAFiniteScoreIn0To1_IsRefused(double risk)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => RiskThresholds.Default.Classify(risk));
    }

    [Theory]
    [InlineData(double.NaN, 0.3, "HealthyBelow is NaN; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData(double.PositiveInfinity, 0.3, "HealthyBelow is Infinity; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData(0.15, double.NegativeInfinity, "DegradedBelow is -Infinity; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData(0, 0.3, "HealthyBelow is 0; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData(0.15, 1.5, "DegradedBelow is 1.5; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData(0.3, 0.3, "DegradedBelow (0.3) must be above HealthyBelow (0.3): risk between the two is degraded.")]
    [InlineData(0.4, 0.2, "DegradedBelow (0.2) must be above HealthyBelow (0.4): risk between the two is degraded.")]
    public void Create_UnusableThresholds_RefusedNamingTheSettingAndValue(double healthy, double degraded, string problem)
    {
        RiskThresholds.Problems(healthy, degraded, "HealthyBelow", "DegradedBelow").ShouldBe([problem]);
        Should.Throw<ArgumentOutOfRangeException>(() => new RiskThresholds(healthy, degraded)).Message.ShouldStartWith(problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(86_401)]
    public void Policy_CooldownOutOfRange_IsRefused(int seconds)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new AgentHealthPolicy(RiskThresholds.Default, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Policy_Default_IsPoint15Point30AndFiveMinutes()
    {
        (AgentHealthPolicy.Default.Thresholds.HealthyBelow, AgentHealthPolicy.Default.Thresholds.DegradedBelow, AgentHealthPolicy.Default.Cooldown)
            .ShouldBe((0.15, 0.30, TimeSpan.FromMinutes(5)));
    }
}
