using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Aws.Usage;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.Core.Tests.Aws.LeastPrivilege;

/// <summary>The defects of issue 12, each reproduced: guardrails, permission sets, data events, unverified, verification that fails.</summary>
public sealed class ProposalTrustTests
{
    private const string Account = "222222222222";
    private const string OtherAccount = "333333333333";
    private static readonly AwsActionCatalog Catalog = AwsActionCatalog.Default;
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private const string AdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string AdminDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string RequireMfa = """
    {"Version":"2012-10-17","Statement":[{"Sid":"DenyWithoutMfa","Effect":"Deny","NotAction":["iam:ListMFADevices","sts:GetSessionToken"],"Resource":"*",
      "Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}
    """;

    private static ManagedPolicy Managed(string arn, string document) =>
        new(arn, arn[(arn.LastIndexOf('/') + 1)..], "ANPA" + arn.Length, "/", "v1", document, AsOf.AddYears(-2), AsOf.AddYears(-1));

    private static IamRole Role(string account, string name, string path = "/", ImmutableArray<InlinePolicy> inline = default, ImmutableArray<string> attached = default,
        ImmutableArray<KeyValuePair<string, string>> tags = default) =>
        new($"arn:aws:iam::{account}:role{path}{name}", name, "AROA" + name.Length, path, AsOf.AddYears(-1), Trust,
            inline.IsDefault ? [] : inline, attached.IsDefault ? [] : attached, null, tags.IsDefault ? [] : tags, [], null, null, null);

    private static AwsEstate Estate(IEnumerable<(string Account, IamRole Role)> roles, params ManagedPolicy[] policies) =>
        AwsEstate.Build(new AwsInventory(
            [.. roles.GroupBy(r => r.Account).Select(g => new AwsAccountSnapshot(g.Key, AsOf, [], [], [.. g.Select(x => x.Role)], [.. policies.Where(p => p.Arn.Contains(g.Key, StringComparison.Ordinal))]))],
            null, [.. policies.Where(p => p.Arn.Contains(":aws:policy/", StringComparison.Ordinal))], []));

    private static ObservedAction Seen(string action, string resource, long count = 3) =>
        new(action, resource, count, AsOf.AddDays(-9), AsOf.AddDays(-2), "eu-west-1");

    private static ProposalInput Input(AwsEstate estate, string roleArn, IReadOnlyList<ObservedAction> window)
    {
        var context = estate.Identities.Single(i => i.Identity.Id == roleArn);
        return new ProposalInput(estate, context, new AwsEffectivePermissionCalculator(Catalog).Compute(context), window, [], AsOf, 90, 90);
    }

    private static PolicyProposer Proposer() => new(Catalog, a => CloudTrailCoverage.Default.IsRecorded(a) == CloudTrailRecording.Recorded);

    // 1. Guardrails

    [Fact]
    public void Propose_AdministratorWithDenyOnlyMfaPolicy_ReplacesOnlyTheAllowPolicyAndKeepsTheGuardrail()
    {
        // Given a role with AdministratorAccess and a Deny-only RequireMFA customer policy
        var mfaArn = $"arn:aws:iam::{Account}:policy/RequireMFA";
        var estate = Estate([(Account, Role(Account, "admin-alice", attached: [AdministratorAccess, mfaArn]))], Managed(AdministratorAccess, AdminDocument), Managed(mfaArn, RequireMfa));
        var input = Input(estate, $"arn:aws:iam::{Account}:role/admin-alice", [Seen("ec2:DescribeInstances", "*", 40)]);

        // When proposed
        var p = Proposer().Propose(input, new ProposalOptions { DataEventsRecorded = true });

        // Then only AdministratorAccess is replaced; RequireMFA stays attached, shown as a kept guardrail in the Terraform
        Assert.Equal([AdministratorAccess], p.OriginalPolicies.ToArray());
        var kept = Assert.Single(p.Guardrails);
        Assert.Equal((mfaArn, GuardrailKind.RestrictingPolicy), (kept.Policy, kept.Kind));
        var tf = ProposalRenderer.Terraform(p);
        Assert.Contains("Keeps (guardrails", tf, StringComparison.Ordinal);
        Assert.DoesNotContain(mfaArn, tf[..tf.IndexOf("Keeps", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_MixedPolicy_DenyStatementsKeptVerbatimAndEnforcedAfter()
    {
        // Given one inline policy that allows s3:* and denies s3:DeleteBucket with a Sid and a condition
        const string mixed = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"},
          {"Sid":"NoBucketDeletion","Effect":"Deny","Action":["s3:DeleteBucket"],"Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"platform"}}}
        ]}
        """;
        var estate = Estate([(Account, Role(Account, "job", inline: [new InlinePolicy("storage", mixed)]))]);
        var input = Input(estate, $"arn:aws:iam::{Account}:role/job", [Seen("s3:ListAllMyBuckets", "*")]);

        // When proposed
        var p = Proposer().Propose(input, new ProposalOptions { DataEventsRecorded = true });

        // Then the Deny statement is in a document of the proposal exactly as written, and listed as kept
        var deny = Assert.Single(p.Policies, d => d.Name == "job-storage-deny");
        using var doc = JsonDocument.Parse(deny.Json);
        var statement = Assert.Single(doc.RootElement.GetProperty("Statement").EnumerateArray());
        Assert.Equal("NoBucketDeletion", statement.GetProperty("Sid").GetString());
        Assert.Equal("platform", statement.GetProperty("Condition").GetProperty("StringNotEquals").GetProperty("aws:PrincipalTag/team").GetString());
        Assert.Equal(GuardrailKind.DenyStatements, Assert.Single(p.Guardrails).Kind);
        Assert.True(p.Verification.Passed);
    }

    [Fact]
    public void Verify_WiderProposalUnderADenyGuardrail_GuardrailStaysInPlace()
    {
        // Given a role allowed s3:* except s3:DeleteBucket by a Deny-only policy
        var denyArn = $"arn:aws:iam::{Account}:policy/NoDelete";
        var estate = Estate([(Account, Role(Account, "job", inline: [new InlinePolicy("s3", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""")], attached: [denyArn]))],
            Managed(denyArn, """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"""));
        var input = Input(estate, $"arn:aws:iam::{Account}:role/job", [Seen("s3:ListAllMyBuckets", "*")]);
        var handWritten = new ProposedPolicy("hand", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""", 80);

        // When a proposal allowing s3:* is verified / Then it grants nothing beyond the original: the Deny still applies
        var v = Proposer().Verify(input, [handWritten]);
        Assert.Empty(v.Exceeding);
        Assert.Equal(VerificationState.Passed, v.State);
    }

    // 5. Verification that can fail

    [Fact]
    public void Verify_ProposalDroppingAnObservedAction_FailsWithTheCallListed()
    {
        // Given a role that used s3:GetObject and ec2:DescribeInstances
        var estate = Estate([(Account, Role(Account, "job", attached: [AdministratorAccess]))], Managed(AdministratorAccess, AdminDocument));
        var input = Input(estate, $"arn:aws:iam::{Account}:role/job", [Seen("ec2:DescribeInstances", "*"), Seen("s3:GetObject", "arn:aws:s3:::reports/a.csv")]);
        var dropsGet = new ProposedPolicy("hand", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]}""", 80);

        // When a proposal without s3:GetObject is verified
        var v = Proposer().Verify(input, [dropsGet]);

        // Then it is failed, and the lost call is named
        Assert.Equal(VerificationState.Failed, v.State);
        var lost = Assert.Single(v.Regressions);
        Assert.Equal(("s3:GetObject", "arn:aws:s3:::reports/a.csv"), (lost.Action, lost.Resource));
        Assert.Equal((2, 1), (v.Replayed, v.StillAllowed));
    }

    [Fact]
    public void Verify_HandWrittenPolicyWiderThanTheOriginal_Rejected()
    {
        // Given a role allowed only ec2:Describe*
        var estate = Estate([(Account, Role(Account, "reader", inline: [new InlinePolicy("ro", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}""")]))]);
        var input = Input(estate, $"arn:aws:iam::{Account}:role/reader", [Seen("ec2:DescribeInstances", "*")]);
        var wider = new ProposedPolicy("hand", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstances","ec2:TerminateInstances"],"Resource":"*"}]}""", 80);

        // When verified / Then failed for granting beyond the original, although every call is still allowed
        var v = Proposer().Verify(input, [wider]);
        Assert.Equal(VerificationState.Failed, v.State);
        Assert.Equal(["ec2:TerminateInstances"], v.Exceeding.ToArray());
        Assert.Empty(v.Regressions);
    }

    // 4. Unverified

    [Fact]
    public void Propose_NoReplayableCall_UnverifiedWithLowConfidence()
    {
        // Given a role with usage only outside its grants (allowed by a resource policy): nothing to replay
        var estate = Estate([(Account, Role(Account, "reader", inline: [new InlinePolicy("ro", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}""")]))]);
        var input = Input(estate, $"arn:aws:iam::{Account}:role/reader", [Seen("s3:GetObject", "arn:aws:s3:::shared/a", 500)]);

        // When proposed / Then unverified (not passed), with its own summary, and low confidence
        var p = Proposer().Propose(input, new ProposalOptions { DataEventsRecorded = true });
        Assert.Equal(VerificationState.Unverified, p.Verification.State);
        Assert.False(p.Verification.Passed);
        Assert.False(p.Verification.Failed);
        Assert.StartsWith("unverified", p.Verification.Summary, StringComparison.Ordinal);
        Assert.True(p.Confidence <= ProposalConfidence.UnverifiedCap, $"confidence {p.Confidence}");
    }

    // 3. Data events

    private static readonly IamRole ObjectWriter = Role(Account, "cleaner", inline: [new InlinePolicy("s3", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""")]);

    private static PolicyProposal ProposeCleaner(DataEventCoverage coverage)
    {
        var estate = Estate([(Account, ObjectWriter)]);
        var input = Input(estate, ObjectWriter.Arn, [Seen("s3:DeleteObject", "arn:aws:s3:::exports/2026/old.csv"), Seen("s3:ListAllMyBuckets", "*")]);
        return Proposer().Propose(input, new ProposalOptions { DataEvents = coverage });
    }

    [Fact]
    public void Propose_DataEventsOfTheServiceInTheLogs_UnseenDataActionsAreUnused()
    {
        // Given the account's logs hold S3 data events in the window
        var p = ProposeCleaner(new DataEventCoverage([(Account, "s3")]));

        // Then unseen S3 object actions (data events) are removed, not kept as unknown
        Assert.Contains("s3:PutObjectAcl", p.RemovedActions);
        Assert.Contains("s3:DeleteObjectVersion", p.RemovedActions);
        Assert.DoesNotContain(p.Evidence, e => e.Reason == KeepReason.NotRecorded && CloudTrailCoverage.Default.IsRecorded(e.Action) == CloudTrailRecording.DataEvent);

        // And the one permission CloudTrail never records (a header on delete calls) stays unknown, on the touched object only, flagged
        var bypass = Assert.Single(p.Flagged);
        Assert.Equal(("s3:BypassGovernanceRetention", "governance bypass"), (bypass.Action, bypass.Reason));
        Assert.Equal(["arn:aws:s3:::exports/2026/old.csv"], bypass.Resources.ToArray());
    }

    [Fact]
    public void Propose_DataEventsOnlyInAnotherAccount_UnknownKeptScopedAndSensitiveFlagged()
    {
        // Given S3 data events only in another account's logs (near miss of the test above)
        var p = ProposeCleaner(new DataEventCoverage([(OtherAccount, "s3")]));

        // Then object actions are unknown and kept, but only on what the role touched — never on `*`
        var acl = p.Statements.Where(s => s.Actions.Contains("s3:PutObjectAcl")).SelectMany(s => s.Resources).ToArray();
        Assert.Equal(["arn:aws:s3:::exports/2026/old.csv"], acl);
        Assert.DoesNotContain(p.Statements, s => s.Resources.Contains("*") && s.Actions.Any(a => CloudTrailCoverage.Default.IsRecorded(a) == CloudTrailRecording.DataEvent));

        // And the sensitive ones are flagged with why
        Assert.Equal("governance bypass", p.Flagged.Single(f => f.Action == "s3:BypassGovernanceRetention").Reason);
        Assert.Equal("ACL write", p.Flagged.Single(f => f.Action == "s3:PutObjectAcl").Reason);
        Assert.Contains(p.Flagged, f => f.Reason == "version deletion");
        Assert.Contains("SENSITIVE kept as unknown: s3:BypassGovernanceRetention", ProposalRenderer.Diff(p), StringComparison.Ordinal);
    }

    // 2. Permission sets and non-editable roles; 6. exclusions

    private const string SsoPath = "/aws-reserved/sso.amazonaws.com/eu-west-1/";

    [Fact]
    public void Sweep_IdentityCenterRoles_OnePermissionSetProposalFromEveryAccountsUsage()
    {
        // Given the DataEng permission set provisioned as AdministratorAccess roles in two accounts, each used differently
        var a = Role(Account, "AWSReservedSSO_DataEng_1111aaaa2222bbbb", SsoPath, attached: [AdministratorAccess]);
        var b = Role(OtherAccount, "AWSReservedSSO_DataEng_3333cccc4444dddd", SsoPath, attached: [AdministratorAccess]);
        var estate = Estate([(Account, a), (OtherAccount, b)], Managed(AdministratorAccess, AdminDocument));
        var window = new Dictionary<string, IReadOnlyList<ObservedAction>>
        {
            [a.Arn] = [Seen("athena:StartQueryExecution", "*", 50)],
            [b.Arn] = [Seen("glue:GetTable", "*", 20)],
        };
        var set = new Ciem.Core.Directories.PermissionSet("arn:aws:sso:::permissionSet/ssoins-1/ps-1", "DataEng", null, null, null, [AdministratorAccess], [], null, null);
        var options = new SweepOptions { PermissionSets = [set], AccountAssignments = [new(Account, set.Arn, Ciem.Core.Directories.AssignmentPrincipalType.Group, "g-1"), new(OtherAccount, set.Arn, Ciem.Core.Directories.AssignmentPrincipalType.User, "u-2")] };

        // When swept
        var result = SweepRunner.Run(estate, window, new Dictionary<string, IReadOnlyList<ObservedAction>>(), new UsageCoverage(null, null, 90, 70, 2, 0, 0),
            a2 => CloudTrailCoverage.Default.IsRecorded(a2) == CloudTrailRecording.Recorded, AsOf, options);

        // Then one proposal for the permission set, combining both accounts, verified against both roles' calls
        var p = Assert.Single(result.Proposals);
        Assert.Equal("DataEng", p.PermissionSet!.Name);
        Assert.Equal([Account, OtherAccount], p.PermissionSet.Accounts.ToArray());
        Assert.Equal(2, p.PermissionSet.Principals);
        Assert.Contains(p.Statements, s => s.Actions.Contains("athena:StartQueryExecution"));
        Assert.Contains(p.Statements, s => s.Actions.Contains("glue:GetTable"));
        Assert.Equal((2, 2), (p.Verification.Replayed, p.Verification.StillAllowed));
        var tf = ProposalRenderer.Terraform(p);
        Assert.Contains("resource \"aws_ssoadmin_permission_set_inline_policy\" \"dataeng\"", tf, StringComparison.Ordinal);
        Assert.Contains("aws_ssoadmin_managed_policy_attachment: " + AdministratorAccess, tf, StringComparison.Ordinal);
        Assert.DoesNotContain("aws_iam_role_policy_attachment", tf, StringComparison.Ordinal);
        Assert.Equal("aws/identity-center/DataEng", ProposalFileNames.Folder(p));
    }

    [Fact]
    public void Sweep_ServiceLinkedAndBreakGlassRoles_NoProposalWithReason()
    {
        // Given an over-permissioned service-linked role, OrganizationAccountAccessRole, a role tagged break-glass and an ordinary twin
        var slr = Role(Account, "AWSServiceRoleForECS", "/aws-service-role/ecs.amazonaws.com/", attached: [AdministratorAccess]);
        var org = Role(Account, "OrganizationAccountAccessRole", attached: [AdministratorAccess]);
        var tagged = Role(Account, "emergency", attached: [AdministratorAccess], tags: [new("Break-Glass", "true")]);
        var twin = Role(Account, "ordinary", attached: [AdministratorAccess], tags: [new("Break-Glass", "false")]);
        var estate = Estate([(Account, slr), (Account, org), (Account, tagged), (Account, twin)], Managed(AdministratorAccess, AdminDocument));
        var window = new[] { slr, org, tagged, twin }.ToDictionary(r => r.Arn, _ => (IReadOnlyList<ObservedAction>)[Seen("ec2:DescribeInstances", "*", 10)]);

        // When swept
        var result = SweepRunner.Run(estate, window, new Dictionary<string, IReadOnlyList<ObservedAction>>(), new UsageCoverage(null, null, 90, 40, 4, 0, 0),
            a => CloudTrailCoverage.Default.IsRecorded(a) == CloudTrailRecording.Recorded, AsOf, new SweepOptions());

        // Then only the twin gets a proposal; the others are excluded with their reason
        Assert.Equal(twin.Arn, Assert.Single(result.Proposals).Identity.Id);
        var reasons = result.Excluded.ToDictionary(e => e.Identity.Name, e => e.Reason);
        Assert.Contains("service-linked role", reasons["AWSServiceRoleForECS"], StringComparison.Ordinal);
        Assert.Contains("organisation access role", reasons["OrganizationAccountAccessRole"], StringComparison.Ordinal);
        Assert.Contains("break-glass", reasons["emergency"], StringComparison.Ordinal);
        Assert.Equal(3, reasons.Count);
    }
}
