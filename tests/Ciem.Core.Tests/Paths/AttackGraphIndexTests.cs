using System.Globalization;
using System.Text;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Paths;
using static Ciem.Core.Tests.Paths.PathScenario;

namespace Ciem.Core.Tests.Paths;

/// <summary>
/// The graph builder skips the pairs no trust policy or grant can name (a trust index, grant-pattern masks shared by
/// identical patterns, the effective permissions as a gate). Built exhaustively, every pair goes to the engine; on
/// random small estates both graphs must be the same, edge for edge and check for check.
/// </summary>
public sealed class AttackGraphIndexTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 24; seed++) { data.Add(seed); }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Build_RandomEstate_IndexedEqualsExhaustive(int seed)
    {
        // Given a random estate of two accounts: users, roles, groups, managed policies, boundaries, trusts and grants
        // on `*`, on named and wildcard ARNs, on `${aws:username}`, with conditions and denies
        var estate = RandomEstate(new Random(seed));

        // When the graph is built with its indexes and exhaustively
        var fast = AttackGraphBuilder.Build(estate);
        var exhaustive = AttackGraphBuilder.Build(estate, options: new AttackGraphOptions { Exhaustive = true });

        // Then both have the same edges, grants and administrators, with the same deciding checks
        Assert.Equal(Render(exhaustive), Render(fast));
    }

    [Fact]
    public void Build_RandomEstates_ExerciseEveryKindOfEdge()
    {
        // Given the random estates of the theory above
        var edges = new HashSet<string>(StringComparer.Ordinal);
        var grants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in Enumerable.Range(1, 24))
        {
            var graph = AttackGraphBuilder.Build(RandomEstate(new Random(seed)));
            for (var i = 0; i < graph.Nodes.Length; i++)
            {
                foreach (var e in graph.Outgoing(i)) { edges.Add(e.Technique.Id); }
            }
            foreach (var g in graph.Grants) { grants.Add(g.Technique.Id); }
        }

        // Then the comparison covers assume-role, credential, pass-role and policy-write techniques (it is not vacuous)
        Assert.Contains("sts-assume-role", edges);
        Assert.Contains("iam-create-access-key", edges);
        Assert.Contains("iam-update-assume-role-policy", edges);
        Assert.Contains("passrole-lambda", edges);
        Assert.Contains("account-administrator", edges);
        Assert.Contains("iam-write-policy", grants);
        Assert.Contains("iam-create-policy-version", grants);
    }

    [Fact]
    public void Standings_RoleTrustingEveryPrincipalOfTheAccount_ReachedWithoutAnAssumeGrant()
    {
        // Given a user with no sts:AssumeRole grant, and an administrator role whose trust names `*` for its own account
        // (found by the comparison above: the trust alone lets a same-account principal in)
        var paths = new PathScenario()
            .User("plain", Policy(Allow("s3:GetObject")))
            .Role("open", Trust("\"*\"", $$$"""{"StringEquals":{"aws:PrincipalAccount":"{{{A}}}"}}"""), AdminPolicy)
            .Paths();

        // Then the user can become administrator through the role, decided by the trust statement alone
        var s = paths.Standing("plain");
        Assert.Equal(AdminCategory.CanBecomeAdministrator, s.Category);
        var assume = s.PathToAdministrator!.Steps[0];
        Assert.Equal("sts-assume-role", assume.Technique.Id);
        Assert.Equal([$"{RoleArn("open")}#trust"], assume.Checks[0].Statements.Select(st => st.Policy));
    }

    [Fact]
    public void Standings_RoleTrustingTheAccount_NotReachedWithoutAnAssumeGrant()
    {
        // Given the near-miss twin: the role trusts the account (which delegates to the principals' own policies)
        var paths = new PathScenario()
            .User("plain", Policy(Allow("s3:GetObject")))
            .Role("open", TrustAws($"arn:aws:iam::{A}:root"), AdminPolicy)
            .Paths();

        // Then the user has no path
        Assert.Equal(AdminCategory.None, paths.Standing("plain").Category);
    }

    private static readonly string[] Actions =
    [
        "sts:AssumeRole", "iam:PassRole", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
        "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:AttachUserPolicy",
        "iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:AddUserToGroup", "iam:PutGroupPolicy",
        "lambda:CreateFunction,lambda:InvokeFunction", "ec2:RunInstances", "ssm:SendCommand", "iam:*", "iam:Create*", "*",
    ];

    private static AwsEstate RandomEstate(Random random)
    {
        var scenario = new PathScenario();
        string Pick(params string[] items) => items[random.Next(items.Length)];
        var users = Enumerable.Range(0, 6).Select(i => $"u{i}").ToArray();
        var roles = Enumerable.Range(0, 7).Select(i => $"r{i}").ToArray();
        string AnyArn() => random.Next(2) == 0 ? UserArn(Pick(users)) : RoleArn(Pick(roles));
        string Resource() => Pick(
            "*", "*", AnyArn(), AnyArn(), $"arn:aws:iam::{A}:role/r1*", $"arn:aws:iam::{A}:user/${{aws:username}}",
            $"arn:aws:iam::{A}:policy/*", $"arn:aws:iam::{A}:group/g0", "arn:aws:iam::*:role/r?", $"arn:aws:iam::{A}:user/u*",
            $"arn:aws:iam::{A}:policy/p1", RoleArn("r0", B));
        string Statement()
        {
            var roll = random.Next(10);
            if (roll == 0) { return Deny(Pick(Actions), Resource()); }
            var condition = roll switch
            {
                1 => """{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}""",
                2 => """{"Bool":{"aws:MultiFactorAuthPresent":"false"}}""",
                3 => """{"StringEquals":{"aws:ResourceTag/team":"blue"}}""",
                _ => null,
            };
            return Allow(Pick(Actions), Resource(), condition);
        }
        string Document() => Policy([.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Statement())]);
        string? Inline() => random.Next(8) switch { 0 => null, 1 => AdminPolicy, _ => Document() };

        scenario.ManagedPolicy("p0", Document()).ManagedPolicy("p1", Document()).ManagedPolicy("bound", Document());
        scenario.Group("g0", random.Next(2) == 0 ? AdminPolicy : Document()).Group("g1", Document(), managed: [$"arn:aws:iam::{A}:policy/p1"]);
        string[] Managed() => random.Next(3) == 0 ? [$"arn:aws:iam::{A}:policy/{Pick("p0", "p1")}"] : [];
        string? Boundary() => random.Next(5) == 0 ? $"arn:aws:iam::{A}:policy/bound" : null;
        foreach (var u in users)
        {
            string[] groups = random.Next(3) switch { 0 => [], 1 => ["g0"], _ => ["g1"] };
            scenario.User(u, Inline(), boundary: Boundary(), groups: groups, managed: Managed());
        }
        foreach (var r in roles)
        {
            var trust = random.Next(8) switch
            {
                0 => TrustAws($"arn:aws:iam::{A}:root"),
                1 => TrustAws(B),
                2 => TrustAws(AnyArn()),
                3 => TrustService("lambda.amazonaws.com"),
                4 => TrustService("ec2.amazonaws.com"),
                5 => Trust("\"*\"", """{"StringEquals":{"aws:PrincipalAccount":"111111111111"}}"""),
                6 => Trust($$"""{"AWS":["{{AnyArn()}}","{{AnyArn()}}"]}"""),
                _ => TrustAws($"arn:aws:iam::{A}:root"),
            };
            scenario.Role(r, trust, Inline(), boundary: Boundary(), managed: Managed(), profile: random.Next(3) == 0);
        }
        scenario.User("outsider", Inline(), account: B).Role("r0", TrustAws($"arn:aws:iam::{A}:root"), Inline(), account: B);
        return scenario.Estate();
    }

    private static string Render(AttackGraph graph)
    {
        var text = new StringBuilder();
        for (var i = 0; i < graph.PrincipalCount; i++)
        {
            // Only whether the probes pass counts: an administrator check skipped for lack of any grant is a deny.
            var admin = graph.Admins[i];
            text.Append(CultureInfo.InvariantCulture, $"admin {graph.Nodes[i].Id} {admin.IsAdministrator} {admin.MaybeAdministrator}\n");
        }
        for (var i = 0; i < graph.Nodes.Length; i++)
        {
            foreach (var e in graph.Outgoing(i))
            {
                text.Append(CultureInfo.InvariantCulture, $"edge {graph.Nodes[e.From].Id} -> {graph.Nodes[e.To].Id} {e.Technique.Id} {e.Certainty}\n");
                Checks(e.Checks);
            }
        }
        foreach (var g in graph.Grants)
        {
            var targets = string.Join(",", Collections.BitWords.Bits(g.Targets).Select(t => graph.Nodes[t].Id));
            text.Append(CultureInfo.InvariantCulture, $"grant {graph.Nodes[g.From].Id} {g.Technique.Id} {g.Certainty} [{targets}]\n");
            Checks(g.Checks);
        }
        return text.ToString();

        void Checks(IEnumerable<PathCheck> checks)
        {
            foreach (var c in checks)
            {
                var statements = string.Join(";", c.Statements.Select(s => s.ToString()));
                text.Append(CultureInfo.InvariantCulture, $"  {c.Action} {c.Resource} {c.Decision} {c.BlockedBy} {c.Note} {statements}\n");
            }
        }
    }
}
