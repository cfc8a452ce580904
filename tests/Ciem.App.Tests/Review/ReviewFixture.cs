using System.Collections.Immutable;
using Ciem.App.Notify;
using Ciem.App.Review;
using Ciem.App.Tests.Notify;
using Ciem.Core.Model;
using Ciem.Core.Review;
using Ciem.Storage;

namespace Ciem.App.Tests.Review;

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A SQLite store in a temp folder, a manual clock and entries of the three providers.</summary>
internal sealed class ReviewFixture : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public ReviewFixture()
    {
        Store = SqliteStore.Open(Temp.Sub("ciem.db"));
        Programme = new ReviewProgramme(Store, Clock);
    }

    public TempFolder Temp { get; } = new();

    public ManualClock Clock { get; } = new(T0);

    public ICiemStore Store { get; }

    public ReviewProgramme Programme { get; }

    public string DbPath => Temp.Sub("ciem.db");

    public NotificationDispatcher Outbox() => NotificationDispatcher.FromSettings(
        new NotificationSettings(Temp.Sub("notify"), Temp.Sub("outbox"), Retry: new RetrySettings(1)), new HttpClient(), Clock);

    public static ReviewEntry Entry(string id, string provider = "aws", IdentityKind kind = IdentityKind.Role, string env = "preprod",
        string owner = "team-a@example.test", string scope = "111111111111", string? failure = null)
    {
        string[] kept = provider switch
        {
            "aws" => ["s3:GetObject"],
            "azure" => ["Microsoft.Storage/storageAccounts/read"],
            _ => ["storage.objects.get"],
        };
        string[] removed = provider switch
        {
            "aws" => ["s3:DeleteBucket", "s3:PutBucketPolicy", "sqs:DeleteQueue"],
            "azure" => ["Microsoft.Compute/virtualMachines/delete"],
            _ => ["compute.instances.delete", "storage.buckets.delete"],
        };
        var documents = ImmutableArray.Create(new ProposalDocument("policy.json", $"{{\"keep\":\"{string.Join(',', kept)}\"}}"));
        var candidate = new ReviewCandidate(provider, id, id.Split('/', ':')[^1], kind, scope, env,
            owner.Length == 0 ? [] : [new KeyValuePair<string, string>("owner", owner)], false, 0.9, [],
            [.. kept.Concat(removed).Order(StringComparer.OrdinalIgnoreCase)], [.. removed], [.. kept], kept.Length + removed.Length, kept.Length,
            ReviewEntry.HashOf(documents), null, failure);
        var target = provider switch
        {
            "aws" => ImmutableDictionary<string, string>.Empty.Add("principal", id.Contains(":user/", StringComparison.Ordinal) ? "user" : "role")
                .Add("name", id.Split('/')[^1]).Add("replaced", "AmazonS3FullAccess|legacy-inline"),
            "azure" => ImmutableDictionary<string, string>.Empty.Add("principal", id).Add("scope", "/subscriptions/" + scope).Add("role", "ciem " + id),
            _ => ImmutableDictionary<string, string>.Empty.Add("member", "serviceAccount:" + id.Split(':')[^1]).Add("role", "projects/proj-1/roles/ciem_etl")
                .Add("resource", "//cloudresourcemanager.googleapis.com/projects/" + scope).Add("project", scope).Add("predefined", "false"),
        };
        return new ReviewEntry(candidate, "test proposal", documents, [$"{kept[0]}: used 3 time(s), last 2026-11-30"]) { Target = target };
    }

    /// <summary>The re-run a host does with permissions kept: the kept ones move from removed to kept.</summary>
    public static ReviewEntry? Reverify(ReviewCandidate c, ImmutableArray<string> keep)
    {
        var removed = c.Removed.Where(r => !keep.Contains(r, StringComparer.OrdinalIgnoreCase)).ToImmutableArray();
        var kept = c.Kept.AddRange(c.Removed.Where(r => keep.Contains(r, StringComparer.OrdinalIgnoreCase)));
        var documents = ImmutableArray.Create(new ProposalDocument("policy.json", $"{{\"keep\":\"{string.Join(',', kept)}\"}}"));
        return new ReviewEntry(c with { Removed = removed, Kept = kept, GrantedAfter = kept.Length, ProposalHash = ReviewEntry.HashOf(documents) },
            "re-run", documents, [])
        {
            Target = ImmutableDictionary<string, string>.Empty.Add("principal", "role").Add("name", c.Name).Add("replaced", "AmazonS3FullAccess"),
        };
    }

    public static IReadOnlyList<ReviewEntry> Estate() =>
    [
        Entry("arn:aws:iam::111111111111:role/etl"),
        Entry("sp-web", provider: "azure", kind: IdentityKind.ServiceIdentity, env: "dev", scope: "sub-1", owner: "team-b@example.test"),
        Entry("serviceAccount:etl@proj.iam.gserviceaccount.com", provider: "gcp", kind: IdentityKind.ServiceIdentity, env: "prod", scope: "proj-1"),
        Entry("arn:aws:iam::111111111111:user/carol", kind: IdentityKind.HumanUser, env: "prod", owner: ""),
        Entry("arn:aws:iam::111111111111:role/orphan", owner: ""),
        Entry("arn:aws:iam::111111111111:role/broken", failure: "replay denies `s3:GetObject`"),
    ];

    public void Dispose()
    {
        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Temp.Dispose();
    }
}
