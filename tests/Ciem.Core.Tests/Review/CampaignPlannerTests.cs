using System.Collections.Immutable;
using Ciem.Core.Model;
using Ciem.Core.Review;
using static Ciem.Core.Tests.Review.ReviewTestData;

namespace Ciem.Core.Tests.Review;

public sealed class CampaignPlannerTests
{
    [Fact]
    public void Plan_DefaultOrder_ServicesNonprodFirstHumansLast()
    {
        // Given identities of every kind, environment and provider
        var candidates = new[]
        {
            Candidate("user/alice", kind: IdentityKind.HumanUser, env: "prod"),
            Candidate("role/prod-admin", env: "prod", admin: true),
            Candidate("role/prod-low", env: "prod", confidence: 0.95),
            Candidate("role/prod-sensitive", env: "prod", sensitive: ["s3:PutBucketPolicy"]),
            Candidate("role/prod-unsure", env: "prod", confidence: 0.5),
            Candidate("sp-dev", provider: "azure", kind: IdentityKind.ServiceIdentity, env: "dev", scope: "sub-1"),
            Candidate("sa-pre", provider: "gcp", kind: IdentityKind.ServiceIdentity, env: "preprod", scope: "proj-1"),
        };

        // When planned with the default config
        var plan = CampaignPlanner.Plan(candidates, new ReviewConfig(), new OwnerSources(), T0);

        // Then the stages come in the order, each batch staggered by the notice period
        Assert.Equal(["service-nonprod", "service-prod-low-impact", "service-remaining", "human"], plan.Batches.Select(b => b.Stage));
        Assert.Equal(["sp-dev", "sa-pre"], plan.Batches[0].Items.Select(i => i.IdentityId));
        Assert.Equal(["role/prod-low"], plan.Batches[1].Items.Select(i => i.IdentityId));
        Assert.Equal(["role/prod-admin", "role/prod-sensitive", "role/prod-unsure"], plan.Batches[2].Items.Select(i => i.IdentityId));
        Assert.Equal(["user/alice"], plan.Batches[3].Items.Select(i => i.IdentityId));
        Assert.Equal([T0, T0.AddDays(7), T0.AddDays(14), T0.AddDays(21)], plan.Batches.Select(b => b.NotBefore));
        Assert.All(plan.Items, i => Assert.Equal(ReviewState.Planned, i.State));
    }

    [Fact]
    public void Plan_ExclusionsUnverifiedUnowned_ListedApartNeverDropped()
    {
        // Given an excluded identity (and one whose exclusion has expired), an unverified and an unowned one
        var config = new ReviewConfig
        {
            Exclusions =
            [
                new(new ReviewSelector { Identities = ["role/break-glass"] }, "emergency access", T0.AddDays(90)),
                new(new ReviewSelector { Identities = ["role/old"] }, "was frozen", T0.AddDays(-1)),
            ],
        };
        var candidates = new[]
        {
            Candidate("role/break-glass"), Candidate("role/old"), Candidate("role/regressed", failure: "replay denies s3:GetObject"),
            Candidate("role/orphan", tags: []),
        };

        // When planned
        var plan = CampaignPlanner.Plan(candidates, config, new OwnerSources(), T0);

        // Then each is listed apart with its reason, and the expired exclusion no longer applies
        Assert.Equal("emergency access", Assert.Single(plan.Excluded).Reason);
        Assert.Equal("replay denies s3:GetObject", Assert.Single(plan.Unverified).Reason);
        Assert.Equal("role/orphan", Assert.Single(plan.AdminQueue).Candidate.IdentityId);
        Assert.Equal(["role/old"], plan.Items.Select(i => i.IdentityId));
    }

    [Fact]
    public void Plan_ConfigStagesAndBatchSize_SplitsAndOrders()
    {
        // Given stages by provider and tag, batch size 2, and an identity no stage selects
        var config = new ReviewConfig
        {
            BatchSize = 2, NoticeDays = 3,
            Stages =
            [
                new("gcp-first", new ReviewSelector { Providers = ["gcp"] }),
                new("tagged", new ReviewSelector { Tags = ["tier=batch"] }),
            ],
        };
        var candidates = new[]
        {
            Candidate("sa-1", provider: "gcp"), Candidate("sa-2", provider: "gcp"), Candidate("sa-3", provider: "gcp"),
            Candidate("role/job", tags: [("owner", "o"), ("Tier", "BATCH")]), Candidate("role/web"),
        };

        // When planned
        var plan = CampaignPlanner.Plan(candidates, config, new OwnerSources(), T0);

        // Then gcp fills two batches, the tagged one a third, the unselected one waits in the admin queue
        Assert.Equal([2, 1, 1], plan.Batches.Select(b => b.Items.Length));
        Assert.Equal(["gcp-first", "gcp-first", "tagged"], plan.Batches.Select(b => b.Stage));
        Assert.Equal(T0.AddDays(6), plan.Batches[2].NotBefore);
        Assert.Equal("no stage of the review config selects this identity", Assert.Single(plan.AdminQueue).Reason);
    }
}
