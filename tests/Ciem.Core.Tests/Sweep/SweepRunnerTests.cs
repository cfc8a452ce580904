using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Sweep;

namespace Ciem.Core.Tests.Sweep;

public sealed class SweepRunnerTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static IamRole Role(string name, string actions, string path = "/") => new(
        $"arn:aws:iam::222222222222:role{path}{name}", name, "AROA" + name, path, AsOf, Trust,
        [new InlinePolicy("p", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":"*"}]}""")], [], null, [], [], null, null, null);

    [Fact]
    public void Run_MixedEstate_ProposesForActiveOverPermissionedOnly()
    {
        // Given an over-permissioned active role, an idle admin, a tight role and a service-linked role
        var roles = new[]
        {
            Role("busy", "\"s3:*\""),
            Role("idle-admin", "\"*\""),
            Role("tight", "\"sqs:SendMessage\""),
            Role("AWSServiceRoleForX", "\"ec2:*\"", "/aws-service-role/x.amazonaws.com/"),
        };
        var org = new AwsOrganization("o-abc1234567", "111111111111", AsOf, "r-1", [new OrgUnit("r-1", "Root", null, true), new OrgUnit("ou-1", "Prod", "r-1", false)],
            [new OrgAccount("222222222222", "acme-prod", null, "ACTIVE", "ou-1")],
            [new OrgPolicy("p-full", "FullAWSAccess", OrgPolicyKind.Scp, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", true, ["r-1", "ou-1", "222222222222"])]);
        var estate = AwsEstate.Build(new AwsInventory([new AwsAccountSnapshot("222222222222", AsOf, [], [], [.. roles], [])], org, [], []));
        ObservedAction Seen(string a) => new(a, "*", 5, AsOf.AddDays(-10), AsOf.AddDays(-1));
        var window = new Dictionary<string, IReadOnlyList<ObservedAction>>
        {
            [roles[0].Arn] = [Seen("s3:ListAllMyBuckets")],
            [roles[2].Arn] = [Seen("sqs:SendMessage")],
            [roles[3].Arn] = [Seen("ec2:DescribeInstances")],
        };

        // When swept
        var progress = 0;
        var result = SweepRunner.Run(estate, window, new Dictionary<string, IReadOnlyList<ObservedAction>>(),
            new UsageCoverage(DateOnly.FromDateTime(AsOf.AddDays(-90).UtcDateTime), DateOnly.FromDateTime(AsOf.UtcDateTime), 90, 15, 3, 0, 0),
            _ => true, AsOf, new SweepOptions { Proposal = new ProposalOptions { DataEventsRecorded = true } }, (d, _) => Interlocked.Exchange(ref progress, d));

        // Then only the busy role gets a proposal; the idle admin is inactive and an unused admin; slices add up
        var proposal = Assert.Single(result.Proposals);
        Assert.Equal(roles[0].Arn, proposal.Identity.Id);
        Assert.Equal(1, proposal.GrantedAfter);
        Assert.Empty(result.Failures);
        Assert.Equal((4, 1, 1, 1), (result.Summary.Identities, result.Summary.Administrators, result.Summary.UnusedAdministrators, result.Summary.Inactive));
        Assert.Equal(4, progress);
        var all = result.Slices.Single(s => s.Name == "all");
        Assert.Equal(result.Summary.GrantedTotal, all.Granted);
        Assert.Equal(result.GrantedAfter, all.GrantedAfter);
        Assert.Equal(all.Granted - proposal.GrantedBefore + 1, result.GrantedAfter);
        Assert.Equal(4, result.Slices.Single(s => s.Name == "env:prod").Identities);
        Assert.True(result.ProjectedReductionPercent > 0);
    }
}
