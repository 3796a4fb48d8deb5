using System.Text.RegularExpressions;
using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Core.Tests.Common;

public sealed class IdGeneratorTests
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    [Fact]
    public void NewIds_EachKind_HaveItsPrefixAndSixteenCrockfordCharacters()
    {
        var ids = new IdGenerator(new ManualTimeProvider());

        IdPattern("task").IsMatch(ids.NewTaskId()).ShouldBeTrue();
        IdPattern("ses").IsMatch(ids.NewSessionId()).ShouldBeTrue();
        IdPattern("art").IsMatch(ids.NewArtifactId()).ShouldBeTrue();
        IdPattern("ws").IsMatch(ids.NewWorkspaceId()).ShouldBeTrue();
        IdPattern("lease").IsMatch(ids.New("lease")).ShouldBeTrue();
    }

    [Fact]
    public void New_AnyInstant_EncodesThatMillisecondInTheLeadingBits()
    {
        var at = new DateTimeOffset(2031, 5, 17, 13, 45, 12, 345, TimeSpan.Zero);
        var ids = new IdGenerator(new ManualTimeProvider(at));

        var id = ids.NewTaskId();

        MillisecondsOf(id).ShouldBe(at.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void New_HundredThousandIdsInOneMillisecond_AreAllDistinct()
    {
        // A clock that never moves is the hardest case: nothing but the generator keeps the ids apart.
        var ids = new IdGenerator(new ManualTimeProvider());

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 100_000; i++)
        {
            seen.Add(ids.NewTaskId());
        }

        seen.Count.ShouldBe(100_000);
    }

    [Fact]
    public async Task New_FourThreadsAtOnce_AllIdsAreDistinct()
    {
        var ids = new IdGenerator(new ManualTimeProvider());

        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var batch = new string[25_000];
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = ids.NewTaskId();
            }

            return batch;
        }, TestContext.Current.CancellationToken)));

        batches.SelectMany(b => b).Distinct(StringComparer.Ordinal).Count().ShouldBe(100_000);
    }

    [Fact]
    public void New_LaterInstants_SortAfterEarlierOnes()
    {
        var time = new ManualTimeProvider();
        var ids = new IdGenerator(time);
        var created = new List<string>();
        foreach (var step in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(255), TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(400) })
        {
            time.Advance(step);
            created.Add(ids.NewTaskId());
        }

        created.Order(StringComparer.Ordinal).ShouldBe(created);
    }

    [Fact]
    public void New_SameMillisecond_IdsStillIncrease()
    {
        var ids = new IdGenerator(new ManualTimeProvider());

        var created = Enumerable.Range(0, 1_000).Select(_ => ids.NewTaskId()).ToArray();

        for (int i = 1; i < created.Length; i++)
        {
            string.CompareOrdinal(created[i], created[i - 1]).ShouldBeGreaterThan(0);
        }
    }

    /// <summary>The 48-bit millisecond stamp: the top 48 of the 80 bits the 16 characters carry.</summary>
    private static long MillisecondsOf(string id)
    {
        var body = id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..];
        UInt128 bits = 0;
        foreach (var c in body)
        {
            bits = (bits << 5) | (uint)Alphabet.IndexOf(c, StringComparison.Ordinal);
        }

        return (long)(bits >> 32);
    }

    private static Regex IdPattern(string prefix) => new($"^{prefix}_[{Alphabet}]{{16}}$");
}
