using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Tests;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Ciem.Core.Tests.Aws.LeastPrivilege;

public sealed class PolicyProposerTests
{
    private const string Account = "222222222222";
    private static readonly AwsActionCatalog Catalog = AwsActionCatalog.Default;
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private static readonly string RoleArn = $"arn:aws:iam::{Account}:role/reports-job";

    private const string RolePolicy = """
    {"Version":"2012-10-17","Statement":[
      {"Sid":"Storage","Effect":"Allow","Action":"s3:*","Resource":"*"},
      {"Sid":"Describe","Effect":"Allow","Action":["ec2:Describe*"],"Resource":"*"},
      {"Sid":"Queue","Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:eu-west-1:222222222222:jobs","Condition":{"Bool":{"aws:SecureTransport":"true"}}}
    ]}
    """;

    private static (AwsEstate Estate, AwsIdentityContext Role, AwsEffectivePermissions Effective) Setup(string policy = RolePolicy)
    {
        var role = new IamRole(RoleArn, "reports-job", "AROAJOB", "/", AsOf.AddYears(-1),
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
            [new InlinePolicy("job", policy)], [], null, [], [], null, null, null);
        var estate = AwsEstate.Build(new AwsInventory([new AwsAccountSnapshot(Account, AsOf, [], [], [role], [])], null, [], []));
        var context = estate.Identities.Single();
        return (estate, context, new AwsEffectivePermissionCalculator(Catalog).Compute(context));
    }

    private static ObservedAction Seen(string action, string resource, long count = 3, int daysAgo = 2) =>
        new(action, resource, count, AsOf.AddDays(-daysAgo - 5), AsOf.AddDays(-daysAgo), "eu-west-1");

    private static PolicyProposal Propose(IReadOnlyList<ObservedAction> window, IReadOnlyList<ObservedAction>? lookback = null, ProposalOptions? options = null, string policy = RolePolicy)
    {
        var (estate, role, effective) = Setup(policy);
        var proposer = new PolicyProposer(Catalog, a => a.FullName != "s3:GetObjectAttributes");
        return proposer.Propose(new ProposalInput(estate, role, effective, window, lookback ?? [], AsOf, 90, 90), options ?? new ProposalOptions { DataEventsRecorded = true });
    }

    private static readonly ObservedAction[] TypicalWindow =
    [
        .. Enumerable.Range(1, 6).Select(i => Seen("s3:GetObject", $"arn:aws:s3:::reports/2026/q{i}.csv", 10)),
        Seen("s3:PutObject", "arn:aws:s3:::exports/latest.csv"),
        Seen("ec2:DescribeInstances", "*", 40),
        Seen("sqs:ReceiveMessage", "arn:aws:sqs:eu-west-1:222222222222:jobs", 500),
    ];

    [Fact]
    public void Propose_TypicalUsage_ExactlyTheUsedActionsOnObservedScopes()
    {
        // Given a role with s3:*, ec2:Describe* and sqs:* on one queue, observed using four actions
        // When a proposal is made
        var p = Propose(TypicalWindow, [Seen("s3:DeleteObject", "arn:aws:s3:::exports/old.csv", 1, daysAgo: 200)]);

        // Then each used action is scoped to what was seen: six objects under one prefix generalise to prefix/*,
        // a single object stays exact, Describe keeps `*`, the queue keeps its SecureTransport condition
        var byAction = p.Statements.SelectMany(s => s.Actions.Select(a => (Action: a, s))).ToDictionary(x => x.Action, x => x.s);
        Assert.Equal(["ec2:DescribeInstances", "s3:DeleteObject", "s3:GetObject", "s3:PutObject", "sqs:ReceiveMessage"], byAction.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["arn:aws:s3:::reports/2026/*"], byAction["s3:GetObject"].Resources.ToArray());
        Assert.Equal(["arn:aws:s3:::exports/latest.csv"], byAction["s3:PutObject"].Resources.ToArray());
        Assert.Equal(["*"], byAction["ec2:DescribeInstances"].Resources.ToArray());
        Assert.Equal("aws:SecureTransport", Assert.Single(byAction["sqs:ReceiveMessage"].Conditions).Key);
        Assert.Equal(KeepReason.Seasonal, p.Evidence.Single(e => e.Action == "s3:DeleteObject").Reason);
        var get = p.Evidence.Single(e => e.Action == "s3:GetObject");
        Assert.Equal((KeepReason.Used, 60L), (get.Reason, get.Count));
        Assert.Equal(AsOf.AddDays(-2), get.LastUsed);

        // And the reduction and verification are real
        Assert.Equal(5, p.GrantedAfter);
        Assert.Equal(Catalog.ExpandMany(["s3:*", "ec2:Describe*", "sqs:*"]).Count, p.GrantedBefore);
        Assert.Equal(Math.Round(100.0 * (p.GrantedBefore - 5) / p.GrantedBefore, 1), p.ReductionPercent);
        Assert.True(p.Verification.Passed);
        Assert.Equal(10, p.Verification.Replayed);
        Assert.Equal(10, p.Verification.StillAllowed);
        Assert.Contains("s3:DeleteBucket", p.RemovedActions);
        Assert.InRange(p.Confidence, 0.5, 1.0);
        Assert.Single(p.Policies);
    }

    [Fact]
    public void Propose_NarrowOriginalGrant_NeverGeneralisesBeyondIt()
    {
        // Given a grant on one prefix only, and six objects used there plus one sibling prefix object allowed elsewhere
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/2026/q*"}]}""";
        var window = Enumerable.Range(1, 6).Select(i => Seen("s3:GetObject", $"arn:aws:s3:::reports/2026/q{i}.csv")).Append(Seen("s3:GetObject", "arn:aws:s3:::public/readme.txt")).ToList();

        // When proposed / Then `reports/2026/*` would exceed `reports/2026/q*`: the exact objects are kept instead, and
        // the object allowed by a resource policy is left out with a note
        var p = Propose(window, policy: policy);
        var statement = Assert.Single(p.Statements);
        Assert.Equal(6, statement.Resources.Length);
        Assert.DoesNotContain("arn:aws:s3:::reports/2026/*", statement.Resources);
        Assert.Contains(p.Notes, n => n.Contains("public/readme.txt", StringComparison.Ordinal) && n.Contains("resource policy", StringComparison.Ordinal));
        Assert.True(p.Verification.Passed);
    }

    [Fact]
    public void Propose_DataEventsOff_KeepsUnrecordedActionsOfUsedServicesOnly()
    {
        // Given data events are not recorded, and s3:GetObjectAttributes is not recorded (by the test's coverage)
        var p = Propose(TypicalWindow, options: new ProposalOptions { DataEventsRecorded = false });

        // Then it is kept as unknown (s3 was used), and no unrecorded action of an unused service is kept
        var attributes = p.Evidence.Single(e => e.Action == "s3:GetObjectAttributes");
        Assert.Equal(KeepReason.NotRecorded, attributes.Reason);
        Assert.DoesNotContain(p.Evidence, e => e.Reason == KeepReason.NotRecorded && !e.Action.StartsWith("s3:", StringComparison.Ordinal));
    }

    [Fact]
    public void Propose_ConfiguredException_Kept()
    {
        var p = Propose(TypicalWindow, options: new ProposalOptions { DataEventsRecorded = true, KeepActions = ["s3:RestoreObject"] });
        Assert.Equal(KeepReason.Exception, p.Evidence.Single(e => e.Action == "s3:RestoreObject").Reason);
    }

    [Fact]
    public void Propose_NoActivity_EmptyProposalWithNote()
    {
        var p = Propose([]);
        Assert.Empty(p.Statements);
        Assert.Equal(0, p.GrantedAfter);
        Assert.Contains(p.Notes, n => n.Contains("no activity", StringComparison.Ordinal));
    }

    [Fact]
    public void Propose_LargeProposal_SplitUnderTheSizeLimit()
    {
        // Given 300 distinct objects used one by one (never generalised: threshold above)
        var window = Enumerable.Range(0, 300).Select(i => Seen("s3:GetObject", $"arn:aws:s3:::bucket-{i}/very/long/path/to/an/object/that/takes/space-{i}.parquet")).ToList();

        // When proposed with the managed-policy limit / Then several documents, each within 6,144 characters, and nothing lost
        var p = Propose(window, options: new ProposalOptions { DataEventsRecorded = true, GeneraliseFrom = 1000 });
        Assert.True(p.Policies.Length > 1);
        Assert.All(p.Policies, d => Assert.True(d.Size <= 6144, $"{d.Name} is {d.Size}"));
        Assert.Equal(300, p.Statements.Sum(s => s.Resources.Length));
        Assert.True(p.Verification.Passed);
        Assert.Equal(300, p.Verification.StillAllowed);
    }

    [Fact]
    public void Render_CraftedNames_NoExecutableTerraform()
    {
        // Given a proposal whose role, policy and original policy names were crafted in the export to close the string
        // and add a resource that runs a command, and to interpolate a file
        const string evil = "x\"\n}\nresource \"null_resource\" \"pwn\" {\n provisioner \"local-exec\" { command = \"id\" }\n}\n# ${file(\"/etc/passwd\")}";
        var p = Propose(TypicalWindow);
        p = p with
        {
            Identity = p.Identity with { Name = evil, Id = RoleArn + evil },
            Policies = [p.Policies[0] with { Name = evil }],
            OriginalPolicies = [evil],
        };

        // When it is rendered as Terraform
        var tf = ProposalRenderer.Terraform(p);

        // Then no line declares anything but the proposal's own resources, nothing is interpolated, and the names
        // are kept as inert strings
        var lines = tf.Split('\n');
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("resource \"null_resource\"", StringComparison.Ordinal));
        Assert.DoesNotContain(lines.Where(l => !l.StartsWith('#')), l => l.Contains("provisioner \"local-exec\"", StringComparison.Ordinal));
        Assert.DoesNotContain(lines.Where(l => !l.StartsWith('#')), l => l.Replace("$${", "", StringComparison.Ordinal).Contains("${", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.StartsWith('#')), l => Assert.DoesNotContain('\r', l));
        Assert.Contains("  name        = \"x\\\"\\n}\\nresource \\\"null_resource\\\"", tf, StringComparison.Ordinal);
        Assert.All(lines.Where(l => l.StartsWith("resource ", StringComparison.Ordinal)),
            l => Assert.Matches("^resource \"aws_iam_(policy|role_policy_attachment)\" \"[a-z_][a-z0-9_]*\" \\{$", l));
    }

    [Fact]
    public void Render_TerraformAndDiff_MatchSnapshots()
    {
        var p = Propose(TypicalWindow, [Seen("s3:DeleteObject", "arn:aws:s3:::exports/old.csv", 1, daysAgo: 200)]);
        Snapshot.Match(ProposalRenderer.Terraform(p), "proposal-reports-job.tf", "Ciem.Core.Tests");
        Snapshot.Match(ProposalRenderer.Diff(p), "proposal-reports-job.diff", "Ciem.Core.Tests");
        Snapshot.Match(p.Policies[0].Json, "proposal-reports-job.json", "Ciem.Core.Tests");
    }

    [Property(MaxTest = 60)]
    public Property Propose_AnyObservedSubset_AllowsEveryObservedCallAndNothingBeyondTheOriginal()
    {
        // Given any subset of plausible calls as the observed usage
        var calls = new[]
        {
            Seen("s3:GetObject", "arn:aws:s3:::a/x"), Seen("s3:GetObject", "arn:aws:s3:::a/y"), Seen("s3:PutObject", "arn:aws:s3:::b/z"),
            Seen("s3:ListBucket", "arn:aws:s3:::a"), Seen("ec2:DescribeVpcs", "*"), Seen("sqs:SendMessage", "arn:aws:sqs:eu-west-1:222222222222:jobs"),
            Seen("s3:GetObject", "arn:aws:s3:::a/z"), Seen("s3:GetObject", "arn:aws:s3:::a/w"), Seen("s3:GetObject", "arn:aws:s3:::a/v"),
        };
        var gen = Gen.SubListOf(calls).Select(l => l.ToList());
        return Prop.ForAll(gen.ToArbitrary(), window =>
        {
            // When proposed
            var p = Propose(window, options: new ProposalOptions { DataEventsRecorded = true, GeneraliseFrom = 3 });

            // Then every observed call is still allowed (no call: unverified, never passed) and the proposal grants a
            // subset of the original
            var state = window.Count == 0 ? VerificationState.Unverified : VerificationState.Passed;
            return p.Verification.State == state && p.Verification.StillAllowed == window.Count && p.GrantedAfter <= p.GrantedBefore
                && p.Evidence.All(e => window.Any(w => w.Action == e.Action));
        });
    }
}
