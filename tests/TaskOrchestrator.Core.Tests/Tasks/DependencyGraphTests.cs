using Shouldly;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Tests.Tasks;

public sealed class DependencyGraphTests
{
    [Fact]
    public void FindCycle_NoEdges_ReturnsEmpty()
    {
        DependencyGraph.FindCycle([]).ShouldBeEmpty();
    }

    [Fact]
    public void FindCycle_DiamondAndForest_ReturnsEmpty()
    {
        var edges = Edges("a>b", "a>c", "b>d", "c>d", "x>y", "y>d");

        DependencyGraph.FindCycle(edges).ShouldBeEmpty();
    }

    [Fact]
    public void FindCycle_SelfLoop_ReturnsTheNodeTwice()
    {
        DependencyGraph.FindCycle(Edges("a>b", "b>b")).ShouldBe(["b", "b"]);
    }

    [Fact]
    public void FindCycle_TwoNodesWaitingForEachOther_ReturnsThatCycle()
    {
        DependencyGraph.FindCycle(Edges("a>b", "b>a")).ShouldBe(["a", "b", "a"]);
    }

    [Fact]
    public void FindCycle_CycleReachedThroughATail_ReturnsOnlyTheCycle()
    {
        var edges = Edges("x>a", "a>b", "b>c", "c>a", "c>z");

        var cycle = DependencyGraph.FindCycle(edges);

        cycle.ShouldBe(["a", "b", "c", "a"]);
        ShouldBeARealCycle(cycle, edges);
    }

    [Fact]
    public void FindCycle_SeveralBranchesOneCyclic_ReturnsARealCycle()
    {
        var edges = Edges("r>a", "r>b", "a>c", "b>c", "c>d", "d>e", "e>b", "d>f");

        var cycle = DependencyGraph.FindCycle(edges);

        cycle.Count.ShouldBe(5);
        cycle.Distinct().Order(StringComparer.Ordinal).ShouldBe(["b", "c", "d", "e"]);
        ShouldBeARealCycle(cycle, edges);
    }

    [Fact]
    public void FindCycle_ChainOfTenThousandTasks_ReturnsEmptyWithoutOverflowingTheStack()
    {
        var edges = Chain(10_000);

        DependencyGraph.FindCycle(edges).ShouldBeEmpty();
    }

    [Fact]
    public void FindCycle_ChainOfTenThousandTasksClosedIntoARing_ReturnsTheWholeRing()
    {
        var edges = Chain(10_000);
        edges.Add(new TaskDependency("n9999", "n0000"));

        var cycle = DependencyGraph.FindCycle(edges);

        cycle.Count.ShouldBe(10_001);
        cycle.Distinct().Count().ShouldBe(10_000);
        ShouldBeARealCycle(cycle, edges);
    }

    [Fact]
    public void FindCyclicGroups_AcyclicGraph_ReturnsNoGroup()
    {
        DependencyGraph.FindCyclicGroups(Edges("a>b", "a>c", "b>d", "c>d")).ShouldBeEmpty();
    }

    [Fact]
    public void FindCyclicGroups_TwoSeparateCyclesATailAndASelfLoop_ReturnsEachGroupSortedWithoutTheTail()
    {
        var groups = DependencyGraph.FindCyclicGroups(Edges("x>c", "c>b", "b>c", "q>p", "p>r", "r>q", "r>z", "s>s"));

        groups.Select(g => string.Join(",", g)).ShouldBe(["b,c", "p,q,r", "s"]);
    }

    [Fact]
    public void FindCyclicGroups_TwoCyclesSharingATask_ReturnsOneGroup()
    {
        DependencyGraph.FindCyclicGroups(Edges("a>b", "b>a", "b>c", "c>d", "d>b")).ShouldHaveSingleItem().ShouldBe(["a", "b", "c", "d"]);
    }

    [Fact]
    public void FindCyclicGroups_ChainOfOneHundredThousandClosedIntoALoop_ReturnsOneGroupWithoutOverflowingTheStack()
    {
        var edges = Chain(100_000);
        edges.Add(new TaskDependency("n99999", "n0000"));

        DependencyGraph.FindCyclicGroups(edges).ShouldHaveSingleItem().Count.ShouldBe(100_000);
    }

    private static void ShouldBeARealCycle(IReadOnlyList<string> cycle, IReadOnlyCollection<TaskDependency> edges)
    {
        cycle.Count.ShouldBeGreaterThanOrEqualTo(2);
        cycle[^1].ShouldBe(cycle[0]);
        var set = edges.Select(e => (e.TaskId, e.DependsOnId)).ToHashSet();
        for (int i = 0; i + 1 < cycle.Count; i++)
        {
            set.ShouldContain((cycle[i], cycle[i + 1]));
        }
    }

    private static List<TaskDependency> Chain(int length) =>
        [.. Enumerable.Range(0, length - 1).Select(i => new TaskDependency($"n{i:0000}", $"n{i + 1:0000}"))];

    private static List<TaskDependency> Edges(params string[] pairs) =>
        [.. pairs.Select(p => p.Split('>')).Select(p => new TaskDependency(p[0], p[1]))];
}
