using System.Collections.Immutable;

namespace Ciem.Storage.Tests;

public abstract partial class CiemStoreContractTests
{
    private static UsageIngestRequest RunOver(params string[] shas) => new("aws", new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero),
        [new UsageRow("arn:aws:iam::111111111111:role/app", "", "s3:GetObject", "*", new DateOnly(2026, 11, 27), 7,
            new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero))],
        [], [], [.. shas.Select(sha => new IngestedFile("/logs/" + sha + ".json.gz", sha, 10, DateTimeOffset.UnixEpoch, 7))],
        new IngestCounts(shas.Length, 0, 7, 7, 0, 0, 0, 0, 0));

    [Fact]
    public void IngestUsage_FileAlreadyRecorded_NothingWrittenAndTheFileNamed()
    {
        // Given a run that recorded file `f1`
        using var store = OpenStore();
        store.IngestUsage(RunOver("f1"));

        // When a second run, selected before the first committed, brings `f2` and `f1` again
        var error = Assert.Throws<UsageAlreadyIngestedException>(() => store.IngestUsage(RunOver("f2", "f1")));

        // Then it names `f1`, and nothing of it was written: the use is counted once and `f2` is still new
        Assert.Equal(["/logs/f1.json.gz"], error.Paths.ToArray());
        var usage = store.LoadUsage("aws", new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1));
        Assert.Equal(7, Assert.Single(usage).Count);
        Assert.Equal(["f1"], store.IngestedFileHashes("aws").ToArray());
    }

    [Fact]
    public void IngestUsage_SameFileFromParallelWriters_CountedOnce()
    {
        // Given eight writers, each with its own connection, all bringing the same file at the same moment
        using (var create = OpenStore()) { }
        using var start = new Barrier(8);
        var outcomes = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8).Select(_ =>
        {
            using var store = OpenStore();
            start.SignalAndWait();
            try { store.IngestUsage(RunOver("same")); return "written"; }
            catch (UsageAlreadyIngestedException) { return "refused"; }
        }).ToList();

        // Then exactly one wrote; the others were refused, and the use is counted once
        Assert.Equal(1, outcomes.Count(o => o == "written"));
        Assert.Equal(7, outcomes.Count(o => o == "refused"));
        using var reopened = OpenStore();
        Assert.Equal(7, Assert.Single(reopened.LoadUsage("aws", new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1))).Count);
    }
}
