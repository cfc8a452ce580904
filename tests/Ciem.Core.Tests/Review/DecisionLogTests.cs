using Ciem.Core.Review;
using static Ciem.Core.Tests.Review.ReviewTestData;

namespace Ciem.Core.Tests.Review;

public sealed class DecisionLogTests
{
    private static List<Core.Review.DecisionRecord> Chain()
    {
        var a = DecisionLog.Next(null, "q4", T0, "ciem", "plan", "campaign", null, "planned", "planned 2 batches", null);
        var b = DecisionLog.Next(a, "q4", T0.AddDays(1), "ciem", "notice", "role/app", "planned", "noticed", "batch 1", "h1");
        var c = DecisionLog.Next(b, "q4", T0.AddDays(2), "o@x.test", "object", "role/app", "noticed", "objected", "quarterly job", "h2");
        return [a, b, c];
    }

    [Fact]
    public void Verify_IntactChain_NoBreaks()
    {
        // Given a chain of three rows; Then it verifies and links from the genesis hash
        var rows = Chain();
        Assert.Empty(DecisionLog.Verify(rows));
        Assert.Equal(DecisionLog.Genesis, rows[0].PreviousHash);
        Assert.Equal(rows[1].Hash, rows[2].PreviousHash);
        Assert.Matches("^[0-9a-f]{64}$", rows[2].Hash);
    }

    [Fact]
    public void Verify_EditedReason_FlagsThatRowOnly()
    {
        // Given the second row's reason edited after the fact
        var rows = Chain();
        rows[1] = rows[1] with { Reason = "batch 2" };

        // When verified; Then exactly that row is reported as changed
        var breaks = DecisionLog.Verify(rows);
        Assert.Equal(2, Assert.Single(breaks).Sequence);
        Assert.Contains("changed after it was written", breaks[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_EditedRowRehashed_BreaksTheNextLink()
    {
        // Given an edited row whose own hash was recomputed to hide the edit
        var rows = Chain();
        rows[1] = rows[1] with { Actor = "someone-else" };
        rows[1] = rows[1] with { Hash = DecisionLog.HashOf(rows[1]) };

        // When verified; Then the next row no longer links to it
        var broken = Assert.Single(DecisionLog.Verify(rows));
        Assert.Equal(3, broken.Sequence);
    }

    [Fact]
    public void Verify_DeletedRow_Reported()
    {
        // Given the middle row deleted
        var rows = Chain();
        rows.RemoveAt(1);

        // Then the gap and the broken link are reported at row 3
        var breaks = DecisionLog.Verify(rows);
        Assert.All(breaks, b => Assert.Equal(3, b.Sequence));
        Assert.Equal(2, breaks.Length);
    }

    [Fact]
    public void HashOf_FieldBoundaryShift_DiffersFromOriginal()
    {
        // Given two rows whose concatenated text is equal but whose fields differ (near-miss twins)
        var a = DecisionLog.Next(null, "q4", T0, "ab", "c", "s", null, null, "r", null);
        var b = DecisionLog.Next(null, "q4", T0, "a", "bc", "s", null, null, "r", null);
        var nullVsEmpty = DecisionLog.Next(null, "q4", T0, "ab", "c", "s", "", null, "r", null);

        // Then their hashes differ
        Assert.NotEqual(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, nullVsEmpty.Hash);
    }
}
