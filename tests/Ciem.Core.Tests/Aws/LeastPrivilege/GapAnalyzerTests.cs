using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Aws.LeastPrivilege;

public sealed class GapAnalyzerTests
{
    private static readonly AwsActionCatalog Catalog = AwsActionCatalog.Default;
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static AwsEffectivePermissions Effective(string name, string policy)
    {
        var role = new IamRole($"arn:aws:iam::111111111111:role/{name}", name, "AROA" + name, "/", AsOf,
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}""",
            [new InlinePolicy("p", policy)], [], null, [], [], null, null, null);
        var estate = AwsEstate.Build(new AwsInventory([new AwsAccountSnapshot("111111111111", AsOf, [], [], [role], [])], null, [], []));
        return new AwsEffectivePermissionCalculator(Catalog).Compute(estate.Identities.Single());
    }

    private static ObservedAction Seen(string action, int daysAgo = 1) => new(action, "*", 2, AsOf.AddDays(-daysAgo - 1), AsOf.AddDays(-daysAgo));

    // Test coverage rule: S3 object-level reads are data events, not recorded.
    private static bool Recorded(AwsAction a) => !(a.Service == "s3" && a.Name.StartsWith("GetObject", StringComparison.Ordinal));

    [Fact]
    public void Analyze_UsedUnusedAndUnknown_Partitioned()
    {
        // Given s3:* and sqs:* granted, sqs:SendMessage and s3:ListBucket used, one call of a service not granted
        var p = Effective("app", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","sqs:*"],"Resource":"*"}]}""");

        // When analysed
        var gap = GapAnalyzer.Analyze(p, [Seen("sqs:SendMessage", 3), Seen("s3:ListBucket", 10), Seen("dynamodb:GetItem")], Recorded);

        // Then used + unused + unknown = granted; unrecorded s3 reads are unknown, not unused
        var unknown = Catalog.Expand("s3:*").Count(a => !Recorded(a));
        Assert.Equal(2, gap.Used);
        Assert.Equal(unknown, gap.Unknown);
        Assert.Equal(p.GrantedCount - 2 - unknown, gap.Unused);
        Assert.Equal(["s3", "sqs"], gap.UsedServices.ToArray());
        Assert.Empty(gap.UnusedServices);
        Assert.Equal(["dynamodb:GetItem"], gap.UsedOutsideGrants.ToArray());
        Assert.Equal(AsOf.AddDays(-1), gap.LastActivity);
        Assert.False(gap.Inactive);
    }

    [Fact]
    public void Analyze_AdminWithoutPermissionsManagement_IsAnUnusedAdmin()
    {
        var admin = Effective("admin", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        var readOnly = GapAnalyzer.Analyze(admin, [Seen("ec2:DescribeInstances")], Recorded);
        var active = GapAnalyzer.Analyze(admin, [Seen("iam:AttachRolePolicy")], Recorded);
        var idle = GapAnalyzer.Analyze(admin, [], Recorded);

        Assert.True(readOnly.IsAdministrator);
        Assert.False(readOnly.AdminActionUsed);
        Assert.True(active.AdminActionUsed);
        Assert.True(idle.Inactive);
        Assert.Contains("ec2", readOnly.UsedServices);
        Assert.Contains("iam", readOnly.UnusedServices);

        var summary = GapAnalyzer.Summarize([readOnly, active, idle], AsOf.AddDays(-90), AsOf);
        Assert.Equal((3, 3, 2, 1), (summary.Identities, summary.Administrators, summary.UnusedAdministrators, summary.Inactive));
        Assert.Equal(0, summary.Humans);
        Assert.Equal(IdentityKind.Role, readOnly.Identity.Kind);
    }
}
