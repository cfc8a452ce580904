using Ciem.Core.Aws.Usage;

namespace Ciem.Core.Tests.Aws.Usage;

public sealed class UsageRollupTests
{
    private const string Account = "111122223333";
    private static readonly string Alice = $"arn:aws:iam::{Account}:user/alice";

    internal static CloudTrailEvent Event(string id, string time, string source, string name, string? error = null, params string[] resources)
    {
        var identity = new UserIdentity("IAMUser", "AIDA", Alice, Account, null, "alice", null, null, null, null, null, null);
        return new CloudTrailEvent(id, DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), source, name, "eu-west-1", Account,
            identity, EventAttribution.Attribute(identity, Account), "192.0.2.1", "aws-cli", error, null,
            [.. resources.Select(r => new EventResource(r, Account, "AWS::S3::Object"))], true, "AwsApiCall", "Management", true, null, null, null);
    }

    [Fact]
    public void Add_SameActionResourceAndDay_CountsWithFirstAndLastSeen()
    {
        // Given a rollup
        var rollup = new UsageRollup(EventActionMapper.Default);

        // When the same call is made three times on one day and once the next day
        rollup.Add(Event("1", "2026-11-01T10:00:00Z", "iam.amazonaws.com", "GetRole"));
        rollup.Add(Event("2", "2026-11-01T08:00:00Z", "iam.amazonaws.com", "GetRole"));
        rollup.Add(Event("3", "2026-11-01T23:59:59Z", "iam.amazonaws.com", "GetRole"));
        rollup.Add(Event("4", "2026-11-02T00:00:00Z", "iam.amazonaws.com", "GetRole"));

        // Then there is one row per day, with counts and first/last seen
        var day1 = rollup.Usage[new UsageKey(Alice, null, "iam:GetRole", "*", new DateOnly(2026, 11, 1))];
        Assert.Equal(3, day1.Count);
        Assert.Equal(DateTimeOffset.Parse("2026-11-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), day1.FirstSeen);
        Assert.Equal(DateTimeOffset.Parse("2026-11-01T23:59:59Z", System.Globalization.CultureInfo.InvariantCulture), day1.LastSeen);
        Assert.Equal(2, rollup.Usage.Count);
    }

    [Fact]
    public void Add_ResourcesAndMultipleActions_GiveOneRowEach()
    {
        var rollup = new UsageRollup(EventActionMapper.Default);

        // When a CopyObject names two objects
        rollup.Add(Event("1", "2026-11-01T10:00:00Z", "s3.amazonaws.com", "CopyObject", null, "arn:aws:s3:::a/x", "arn:aws:s3:::b/y"));

        // Then each action is counted on each resource
        Assert.Equal(4, rollup.Usage.Count);
        Assert.Contains(rollup.Usage.Keys, k => k.Action == "s3:PutObject" && k.Resource == "arn:aws:s3:::b/y");
    }

    [Fact]
    public void Add_ErrorsAreAttemptsNotUsage()
    {
        var rollup = new UsageRollup(EventActionMapper.Default);

        // When a call is denied and another fails otherwise
        var denied = rollup.Add(Event("1", "2026-11-01T10:00:00Z", "iam.amazonaws.com", "CreateUser", "AccessDenied"));
        var throttled = rollup.Add(Event("2", "2026-11-01T10:00:00Z", "iam.amazonaws.com", "ListRoles", "ThrottlingException"));

        // Then neither is usage; both are attempts, and only the first is a denial
        Assert.Equal(RollupOutcome.Attempt, denied);
        Assert.Equal(RollupOutcome.Attempt, throttled);
        Assert.Empty(rollup.Usage);
        Assert.Single(rollup.Attempts.Keys, k => k.IsDenied);
        Assert.Equal(2, rollup.Attempts.Count);
    }

    [Fact]
    public void Add_SameEventTwice_IsCountedOnce()
    {
        var rollup = new UsageRollup(EventActionMapper.Default);
        var ev = Event("dup", "2026-11-01T10:00:00Z", "iam.amazonaws.com", "GetRole");

        rollup.Add(ev);
        var second = rollup.Add(ev with { });

        Assert.Equal(RollupOutcome.Duplicate, second);
        Assert.Equal(1, rollup.Usage.Values.Single().Count);
        Assert.Equal(1, rollup.Duplicates);
    }

    [Fact]
    public void Add_UnmappedAndNoActionEvents_AreCountedApart()
    {
        var rollup = new UsageRollup(EventActionMapper.Default);

        Assert.Equal(RollupOutcome.Unmapped, rollup.Add(Event("1", "2026-11-01T10:00:00Z", "iam.amazonaws.com", "NotCreateUser")));
        Assert.Equal(RollupOutcome.NoAction, rollup.Add(Event("2", "2026-11-01T10:00:00Z", "signin.amazonaws.com", "ConsoleLogin")));

        Assert.Equal(1, rollup.Unmapped[("iam.amazonaws.com", "NotCreateUser")]);
        Assert.Equal(1, rollup.NoActionEvents);
        Assert.Empty(rollup.Usage);
    }

    [Fact]
    public void Merge_TwoWorkers_EqualsOneRollup()
    {
        // Given events split across two rollups
        var events = Enumerable.Range(0, 20).Select(i => Event($"{i}", $"2026-11-0{1 + (i % 3)}T1{i % 10}:00:00Z", "iam.amazonaws.com", i % 2 == 0 ? "GetRole" : "ListRoles")).ToList();
        var one = new UsageRollup(EventActionMapper.Default);
        var a = new UsageRollup(EventActionMapper.Default);
        var b = new UsageRollup(EventActionMapper.Default);
        foreach (var e in events) { one.Add(e); }
        foreach (var e in events.Take(7)) { a.Add(e); }
        foreach (var e in events.Skip(7)) { b.Add(e); }

        // When merged
        a.Merge(b);

        // Then the rows equal those of a single rollup
        Assert.Equal(one.Usage.OrderBy(kv => kv.Key.ToString()), a.Usage.OrderBy(kv => kv.Key.ToString()));
    }

    [Fact]
    public void Add_ObjectEventNamingItsBucket_CountsTheActionOnResourcesOfItsTypesOnly()
    {
        // Given a GetObject record that lists the bucket and the object, as CloudTrail data events do
        var rollup = new UsageRollup(EventActionMapper.Default);

        // When added
        rollup.Add(Event("1", "2026-11-01T10:00:00Z", "s3.amazonaws.com", "GetObject", null, "arn:aws:s3:::reports", "arn:aws:s3:::reports/q3.csv"));
        rollup.Add(Event("2", "2026-11-01T11:00:00Z", "s3.amazonaws.com", "ListBuckets", null, "arn:aws:s3:::reports"));

        // Then s3:GetObject counts on the object only (it does not apply to buckets), and an action that takes only `*` counts on `*`
        var day = new DateOnly(2026, 11, 1);
        Assert.True(rollup.Usage.ContainsKey(new UsageKey(Alice, null, "s3:GetObject", "arn:aws:s3:::reports/q3.csv", day)));
        Assert.False(rollup.Usage.ContainsKey(new UsageKey(Alice, null, "s3:GetObject", "arn:aws:s3:::reports", day)));
        Assert.True(rollup.Usage.ContainsKey(new UsageKey(Alice, null, "s3:ListAllMyBuckets", "*", day)));
        Assert.Equal(2, rollup.Usage.Count);
    }
}
