using Shouldly;
using TaskOrchestrator.Core.Storage.Transfer;

namespace TaskOrchestrator.Core.Tests.Storage;

/// <summary>The canonical row text and table digests that migrate-store's verification compares.</summary>
public sealed class CanonicalRowsTests
{
    private static object?[] EventRow(long seq, string kind) => [seq, kind, "task_1", null, "agent \"a\"", "pending", "in_progress", "{\"n\":1}", 1_795_251_600_000L];

    [Fact]
    public void Format_EveryValueKind_OneJsonArrayWithTheSequenceShiftedBack()
    {
        var line = CanonicalRows.Format(TransferSchema.Event, EventRow(1_047, "task_created ✓"), sequenceOffset: 1_000);

        line.ShouldBe("[47,\"task_created \\u2713\",\"task_1\",null,\"agent \\u0022a\\u0022\",\"pending\",\"in_progress\",\"{\\u0022n\\u0022:1}\",1795251600000]");
    }

    [Fact]
    public void Format_FlagColumn_TrueOrFalseNotANumber()
    {
        object?[] restart = ["r1", "inst", "restart", "manual_request", false, null, 1L, null, "succeeded", null, null, "[]", null];

        CanonicalRows.Format(TransferSchema.Restart, restart).ShouldBe("[\"r1\",\"inst\",\"restart\",\"manual_request\",false,null,1,null,\"succeeded\",null,null,\"[]\",null]");
    }

    [Fact]
    public void Format_WrongValueCountOrType_Refused()
    {
        Should.Throw<InvalidOperationException>(() => CanonicalRows.Format(TransferSchema.Event, [1L, "kind"])).Message.ShouldBe("A 'event' row has 2 values, not 9.");
        var row = EventRow(1, "k");
        row[8] = 1.5;
        Should.Throw<InvalidOperationException>(() => CanonicalRows.Format(TransferSchema.Event, row)).Message.ShouldContain("'event.at' holds a Double");
    }

    [Fact]
    public void TableDigest_SameRowsWithTheirOffset_AgreeAndAnyChangedValueOrOrderDisagrees()
    {
        string Hex(long offset, params object?[][] rows)
        {
            using var digest = new TableDigest(TransferSchema.Event, offset);
            foreach (var row in rows)
            {
                digest.Add(row);
            }

            return digest.Hex;
        }

        var source = Hex(0, EventRow(1, "a"), EventRow(2, "b"));

        Hex(100, EventRow(101, "a"), EventRow(102, "b")).ShouldBe(source);
        Hex(0, EventRow(1, "a"), EventRow(2, "b ")).ShouldNotBe(source);
        Hex(0, EventRow(2, "b"), EventRow(1, "a")).ShouldNotBe(source);
        Hex(0, EventRow(1, "a")).ShouldNotBe(source);
        Hex(0).ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
