using System.Collections.Immutable;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>Usage rollups, failed attempts, unmapped events and ingested files.</summary>
public abstract partial class CiemStoreContractTests
{
    private const string Orders = "arn:aws:iam::111111111111:role/orders";
    private const string Ci = "arn:aws:iam::111111111111:user/ci";
    private static readonly DateOnly Day1 = new(2026, 11, 20);
    private static readonly DateOnly Day2 = new(2026, 11, 21);

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private static UsageIngestRequest UsageRun(string sha, ImmutableArray<UsageRow> usage, ImmutableArray<AttemptRow> attempts = default,
        ImmutableArray<(string, string, long)> unmapped = default) => new(
        "aws", At(Day2, 23), usage, attempts.IsDefault ? [] : attempts, unmapped.IsDefault ? [] : unmapped,
        [new IngestedFile($"/trail/{sha}.json.gz", sha, 2048, At(Day1, 1), usage.Length)], new IngestCounts(1, 0, 3, 2, 1, 0, 0, 0, 0));

    [StoreFact]
    public void IngestUsage_SameRowInTwoRuns_CountsSummedFirstAndLastSeenWidened()
    {
        // Given one action used on Day1 by two runs (the second saw it earlier and later), and on Day2 with a person
        using (var store = OpenStore())
        {
            store.IngestUsage(UsageRun("a", [new(Orders, "", "s3:GetObject", "arn:aws:s3:::orders/*", Day1, 3, At(Day1, 10), At(Day1, 12))]));
            store.IngestUsage(UsageRun("b", [
                new(Orders, "", "s3:GetObject", "arn:aws:s3:::orders/*", Day1, 2, At(Day1, 8), At(Day1, 20)),
                new(Orders, "alice@acme.example", "s3:GetObject", "arn:aws:s3:::orders/*", Day2, 1, At(Day2, 9), At(Day2, 9)),
                new(Ci, "", "sqs:SendMessage", "*", Day2, 7, At(Day2, 1), At(Day2, 2)),
            ]));
        }

        // When usage is loaded through a fresh connection, over both days and over Day1 alone
        using var reopened = OpenStore();
        var both = reopened.LoadUsage("aws", Day1, Day2.AddDays(1));
        var first = reopened.LoadUsage("aws", Day1, Day2);

        // Then rows of one identity, action and resource are summed across runs, days and people, in key order
        Assert.Equal(
            [new UsageTotal(Orders, "s3:GetObject", "arn:aws:s3:::orders/*", 6, At(Day1, 8), At(Day2, 9)),
             new UsageTotal(Ci, "sqs:SendMessage", "*", 7, At(Day2, 1), At(Day2, 2))],
            both.ToArray());
        Assert.Equal([new UsageTotal(Orders, "s3:GetObject", "arn:aws:s3:::orders/*", 5, At(Day1, 8), At(Day1, 20))], first.ToArray());
        Assert.Empty(reopened.LoadUsage("gcp", Day1, Day2.AddDays(1)));
        Assert.Empty(reopened.LoadUsage("aws", Day2.AddDays(1), Day2.AddDays(30)));
    }

    [StoreFact]
    public void LoadUsageSpan_UsageAttemptsAndUnmapped_CountsWhatTheWindowHolds()
    {
        // Given usage on two days, denied and throttled attempts, and unmapped events counted over two runs
        using var store = OpenStore();
        store.IngestUsage(UsageRun("a",
            [new(Orders, "", "s3:GetObject", "*", Day1, 3, At(Day1, 10), At(Day1, 12)), new(Ci, "", "sqs:SendMessage", "*", Day2, 4, At(Day2, 1), At(Day2, 2))],
            [new(Orders, "", "s3:DeleteBucket", "*", Day1, "AccessDenied", 2, At(Day1, 11), At(Day1, 11)),
             new(Orders, "", "ec2:RunInstances", "*", Day1, "Client.UnauthorizedOperation", 1, At(Day1, 11), At(Day1, 11)),
             new(Orders, "", "s3:GetObject", "*", Day1, "ThrottlingException", 9, At(Day1, 11), At(Day1, 11))],
            [("cloudtrail", "NewServiceCall", 2)]));
        store.IngestUsage(UsageRun("b", [], unmapped: [("cloudtrail", "NewServiceCall", 3), ("cloudtrail", "Other", 1)]));

        // When the span of both days, and of a day without events, is loaded
        var span = store.LoadUsageSpan("aws", Day1, Day2.AddDays(1));
        var none = store.LoadUsageSpan("aws", Day2.AddDays(1), Day2.AddDays(2));

        // Then days, events, identities and denied attempts (not the throttled ones) are counted; unmapped are summed
        Assert.Equal(new UsageSpan(Day1, Day2, 2, 7, 2, 3, 6), span);
        Assert.Equal(new UsageSpan(null, null, 0, 0, 0, 0, 6), none);
    }

    [StoreFact]
    public void IsFileIngested_PathSizeAndTime_OnlyTheExactFileMatches()
    {
        // Given a file ingested once, then offered again by a second run (refused: its content is already recorded)
        using var store = OpenStore();
        store.IngestUsage(UsageRun("9f86d081", [new(Orders, "", "s3:GetObject", "*", Day1, 1, At(Day1, 10), At(Day1, 10))]));
        Assert.Throws<UsageAlreadyIngestedException>(() => store.IngestUsage(UsageRun("9f86d081", [])));

        // When it is looked up by path, size and modification time, and by hash
        // Then only the exact triple matches, per provider, and the hash is recorded once
        Assert.True(store.IsFileIngested("aws", "/trail/9f86d081.json.gz", 2048, At(Day1, 1)));
        Assert.False(store.IsFileIngested("aws", "/trail/9f86d081.json.gz", 2049, At(Day1, 1)));
        Assert.False(store.IsFileIngested("aws", "/trail/9f86d081.json.gz", 2048, At(Day1, 1).AddMilliseconds(1)));
        Assert.False(store.IsFileIngested("aws", "/trail/other.json.gz", 2048, At(Day1, 1)));
        Assert.False(store.IsFileIngested("gcp", "/trail/9f86d081.json.gz", 2048, At(Day1, 1)));
        Assert.Equal(["9f86d081"], store.IngestedFileHashes("aws"));
        Assert.Empty(store.IngestedFileHashes("azure"));
    }

    [StoreFact]
    public void IngestUsage_ThousandsOfRowsWithRepeats_EveryRowFolded()
    {
        // Given one run of 30,000 rows over 1,000 keys (each key 30 times, counts 1..30) and a second run of the same
        var rows = Enumerable.Range(0, 30_000).Select(i => new UsageRow($"arn:aws:iam::111111111111:role/r{i % 1000:D4}", "",
            "s3:GetObject", "*", Day1, i / 1000 + 1, At(Day1, 1).AddMinutes(i / 1000), At(Day1, 2).AddMinutes(i / 1000))).ToImmutableArray();
        using var store = OpenStore();
        store.IngestUsage(UsageRun("big1", rows));
        store.IngestUsage(UsageRun("big2", rows));

        // When the usage is loaded
        var usage = store.LoadUsage("aws", Day1, Day2);

        // Then each key holds twice the sum 1..30 and the widest first and last seen
        Assert.Equal(1000, usage.Length);
        Assert.All(usage, u => Assert.Equal((UsageTotal)(u with { Count = 930, FirstSeen = At(Day1, 1), LastSeen = At(Day1, 2).AddMinutes(29) }), u));
        Assert.False(store.IsEmpty());
    }

    [StoreFact]
    public void LatestIngestedTime_WindowsOfAPulledLog_TheLatestEndOfThatPathOnly()
    {
        // Given two windows of one pulled log recorded under the same path (their ends as times), and another path
        using var store = OpenStore();
        const string Log = "arm-api://management.azure.com/subscriptions/s1/providers/Microsoft.Insights/eventtypes/management/values";
        UsageIngestRequest Window(string sha, string path, DateTimeOffset end) =>
            new("azure", end, [], [], [], [new IngestedFile(path, sha, 10, end, 0)], new IngestCounts(0, 0, 0, 0, 0, 0, 0, 0, 0));
        store.IngestUsage(Window("w1", Log, At(Day1, 12)));
        store.IngestUsage(Window("w2", Log, At(Day2, 12).AddMilliseconds(7)));
        store.IngestUsage(Window("w3", Log + "-other", At(Day2, 20)));

        // When the latest time of the path is asked for, per provider
        // Then it is the later window's end to the millisecond; another provider or path has none
        Assert.Equal(At(Day2, 12).AddMilliseconds(7), store.LatestIngestedTime("azure", Log));
        Assert.Null(store.LatestIngestedTime("gcp", Log));
        Assert.Null(store.LatestIngestedTime("azure", Log + "-none"));
    }
}
