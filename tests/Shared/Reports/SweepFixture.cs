using System.Collections.Immutable;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.Tests;

/// <summary>Sweep results built by hand: a small estate with every kind of identity, and a large synthetic one.</summary>
internal static class SweepFixture
{
    public const string MaliciousName = "<script>alert(1)</script>";

    public static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Eight identities in two accounts (prod 111111111111, dev 222222222222): two humans (alice, an unused admin;
    /// bob, inactive), one human with a script tag as name, two service users, an administrative role that used its
    /// rights, an SSO role and a service-linked role. Three verified proposals and one failure (a replay regression).
    /// </summary>
    public static SweepResult Small()
    {
        var alice = Id("111111111111", "user", "alice", IdentityKind.HumanUser);
        var bob = Id("222222222222", "user", "bob", IdentityKind.HumanUser);
        var evil = Id("222222222222", "user", MaliciousName, IdentityKind.HumanUser);
        var ci = Id("111111111111", "user", "ci-deploy", IdentityKind.ServiceIdentity);
        var worker = Id("222222222222", "user", "app-worker", IdentityKind.ServiceIdentity);
        var ops = Id("111111111111", "role", "OpsAdmin", IdentityKind.Role);
        var sso = Id("111111111111", "role", "AWSReservedSSO_ReadOnly_abc", IdentityKind.SsoRole);
        var slr = Id("111111111111", "role", "AWSServiceRoleForOrganizations", IdentityKind.ServiceLinkedRole);
        ImmutableArray<IdentityGap> gaps =
        [
            Gap(alice, 15000, 12, 14500, 488, admin: true, adminUsed: false, last: AsOf.AddDays(-3)),
            Gap(bob, 40, 0, 38, 2, admin: false, adminUsed: false, last: null),
            Gap(evil, 300, 5, 290, 5, admin: false, adminUsed: false, last: AsOf.AddDays(-10)),
            Gap(ci, 6, 5, 1, 0, admin: false, adminUsed: false, last: AsOf.AddDays(-1)),
            Gap(worker, 120, 8, 100, 12, admin: false, adminUsed: false, last: AsOf.AddDays(-2)),
            Gap(ops, 15000, 40, 14000, 960, admin: true, adminUsed: true, last: AsOf.AddDays(-5)),
            Gap(sso, 900, 0, 850, 50, admin: false, adminUsed: false, last: null),
            Gap(slr, 20, 4, 16, 0, admin: false, adminUsed: false, last: AsOf.AddDays(-7)),
        ];
        var summary = GapAnalyzer.Summarize(gaps, AsOf.AddDays(-90), AsOf);
        ImmutableArray<PolicyProposal> proposals =
        [
            Proposal(alice, 15000, 530, ["iam:ListUsers", "s3:GetObject", "ec2:DescribeInstances"], 120, passed: true),
            Proposal(worker, 120, 20, ["sqs:ReceiveMessage", "sqs:DeleteMessage"], 8, passed: true),
            Proposal(evil, 300, 12, ["s3:GetObject"], 4, passed: true),
        ];
        ImmutableArray<ProposalFailure> failures =
        [
            new(ops, "replay regression: `iam:PassRole` on `arn:aws:iam::111111111111:role/deploy` would be denied", [new ObservedAction("iam:PassRole", "arn:aws:iam::111111111111:role/deploy", 3, AsOf.AddDays(-30), AsOf.AddDays(-5))]),
        ];
        var grantedAfter = summary.GrantedTotal - proposals.Sum(p => (long)(p.GrantedBefore - p.GrantedAfter));
        ImmutableArray<SweepSlice> slices =
        [
            new("all", 8, 3, 2, 1, 2, summary.GrantedTotal, summary.UsedTotal, grantedAfter),
            new("human", 4, 0, 1, 1, 2, 16240, 17, 1482),
            new("service", 3, 3, 0, 0, 0, 146, 17, 46),
            new("role", 1, 0, 1, 0, 0, 15000, 40, 15000),
            new("prod", 5, 2, 2, 1, 1, 30926, 61, 16456),
            new("dev", 3, 1, 0, 0, 1, 460, 13, 72),
        ];
        var coverage = new UsageCoverage(new DateOnly(2026, 8, 31), new DateOnly(2026, 11, 27), 86, 48213, 6, 17, 3);
        return new SweepResult(AsOf, 90, 365, summary, gaps, proposals, failures, slices, grantedAfter, coverage);
    }

    /// <summary>A synthetic estate of <paramref name="count"/> identities, a fifth administrative, most with a proposal.</summary>
    public static SweepResult Large(int count)
    {
        var random = new Random(42);
        var gaps = ImmutableArray.CreateBuilder<IdentityGap>(count);
        var proposals = ImmutableArray.CreateBuilder<PolicyProposal>();
        for (var i = 0; i < count; i++)
        {
            var kind = (IdentityKind)(i % 5);
            var account = $"{100000000000 + (i % 40)}";
            var id = Id(account, kind is IdentityKind.HumanUser or IdentityKind.ServiceIdentity ? "user" : "role", $"identity-{i:D5}", kind);
            var admin = i % 5 == 0;
            var granted = admin ? 15000 + random.Next(2000) : 20 + random.Next(2000);
            var unknown = granted / 20;
            var used = i % 7 == 0 ? 0 : random.Next(Math.Min(granted - unknown, 80));
            gaps.Add(Gap(id, granted, used, granted - used - unknown, unknown, admin, adminUsed: admin && i % 3 == 0, last: used == 0 ? null : AsOf.AddDays(-random.Next(90))));
            if (used > 0 && i % 4 != 0)
            {
                var kept = Enumerable.Range(0, used).Select(k => $"svc{k % 9}:Action{k:D3}").ToArray();
                proposals.Add(Proposal(id, granted, used + unknown, kept, granted - used - unknown, passed: true));
            }
        }
        var gapList = gaps.MoveToImmutable();
        var summary = GapAnalyzer.Summarize(gapList, AsOf.AddDays(-90), AsOf);
        var grantedAfter = summary.GrantedTotal - proposals.Sum(p => (long)(p.GrantedBefore - p.GrantedAfter));
        return new SweepResult(AsOf, 90, 365, summary, gapList, proposals.ToImmutable(), [], [new("all", count, 0, 0, 0, 0, summary.GrantedTotal, summary.UsedTotal, grantedAfter)], grantedAfter,
            new UsageCoverage(new DateOnly(2026, 8, 30), new DateOnly(2026, 11, 27), 90, 12_000_000, count - 400, 1200, 40));
    }

    private static Identity Id(string account, string type, string name, IdentityKind kind) =>
        new("aws", $"arn:aws:iam::{account}:{type}/{name}", name, kind, account, [], AsOf.AddDays(-400), null);

    private static IdentityGap Gap(Identity id, int granted, int used, int unused, int unknown, bool admin, bool adminUsed, DateTimeOffset? last) =>
        new(id, granted, used, unused, unknown, used > 0 ? ["s3"] : [], ["ec2", "iam"], last, admin, adminUsed, []);

    private static PolicyProposal Proposal(Identity id, int before, int after, string[] kept, int removedCount, bool passed)
    {
        var evidence = kept.Select((a, i) => new ActionEvidence(a, (KeepReason)(i % 4), i % 4 == 0 ? 40 + i : 0, i % 4 < 2 ? AsOf.AddDays(-i - 1) : null,
            i % 4 == 0 ? [$"arn:aws:s3:::bucket-{i}/*"] : [])).ToImmutableArray();
        var json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Observed\",\"Effect\":\"Allow\",\"Action\":[" + string.Join(",", kept.Select(a => $"\"{a}\"")) + "],\"Resource\":\"*\"}]}";
        var removed = RemovedNames.Value.AsSpan(0, removedCount).ToImmutableArray();
        var regressions = passed ? ImmutableArray<ObservedAction>.Empty : [new ObservedAction(kept[0], "*", 1, AsOf, AsOf)];
        return new PolicyProposal(id, [], [new ProposedPolicy($"{id.Name}-least-privilege", json, json.Length)], evidence, removed, ["AdministratorAccess"],
            before, after, 0.86, new ProposalVerification(kept.Length * 3, kept.Length * 3, 1, regressions), []);
    }

    private static readonly string[] Services = ["ec2", "iam", "s3", "lambda", "kms", "rds"];

    /// <summary>Action names to remove, shared by every proposal (a prefix each) so that large estates build quickly.</summary>
    private static readonly Lazy<string[]> RemovedNames = new(() => [.. Enumerable.Range(0, 20_000).Select(i => $"{Services[i % Services.Length]}:Removed{i:D5}")]);
}
