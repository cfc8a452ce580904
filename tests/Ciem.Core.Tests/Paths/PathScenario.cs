using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Paths;

namespace Ciem.Core.Tests.Paths;

/// <summary>Small estates written the way `aws iam get-account-authorization-details` describes them, for path tests.</summary>
internal sealed class PathScenario
{
    public const string A = "111111111111";
    public const string B = "222222222222";
    public static readonly DateTimeOffset TakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, (List<IamUser> Users, List<IamGroup> Groups, List<IamRole> Roles, List<ManagedPolicy> Policies)> _accounts = [];
    private AwsOrganization? _org;

    private (List<IamUser> Users, List<IamGroup> Groups, List<IamRole> Roles, List<ManagedPolicy> Policies) Account(string id)
    {
        if (!_accounts.TryGetValue(id, out var a)) { _accounts[id] = a = ([], [], [], []); }
        return a;
    }

    public static string Policy(params string[] statements) => $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";

    public static string Allow(string actions, string resource = "*", string? condition = null) =>
        $$"""{"Effect":"Allow","Action":{{Json(actions)}},"Resource":{{Json(resource)}}{{(condition is null ? "" : $",\"Condition\":{condition}")}}}""";

    public static string Deny(string actions, string resource = "*") => $$"""{"Effect":"Deny","Action":{{Json(actions)}},"Resource":{{Json(resource)}}}""";

    private static string Json(string list) => list.Contains(',', StringComparison.Ordinal)
        ? "[" + string.Join(",", list.Split(',').Select(a => $"\"{a.Trim()}\"")) + "]"
        : $"\"{list}\"";

    public static string Trust(string principalJson, string? condition = null) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principalJson}},"Action":"sts:AssumeRole"{{(condition is null ? "" : $",\"Condition\":{condition}")}}}]}""";

    public static string TrustAws(string arn) => Trust($$"""{"AWS":"{{arn}}"}""");

    public static string TrustService(string service) => Trust($$"""{"Service":"{{service}}"}""");

    public const string AdminPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    public static string UserArn(string name, string account = A) => $"arn:aws:iam::{account}:user/{name}";

    public static string RoleArn(string name, string account = A) => $"arn:aws:iam::{account}:role/{name}";

    public PathScenario User(string name, string? inline = null, string account = A, string? boundary = null, string[]? groups = null, string[]? managed = null)
    {
        Account(account).Users.Add(new IamUser(UserArn(name, account), name, "AIDA" + name.ToUpperInvariant(), "/", TakenAt, [.. groups ?? []],
            inline is null ? [] : [new InlinePolicy("inline", inline)], [.. managed ?? []], boundary, [], null));
        return this;
    }

    public PathScenario Role(string name, string trust, string? inline = null, string account = A, string? boundary = null, string[]? managed = null, bool profile = false)
    {
        Account(account).Roles.Add(new IamRole(RoleArn(name, account), name, "AROA" + name.ToUpperInvariant(), "/", TakenAt, trust,
            inline is null ? [] : [new InlinePolicy("inline", inline)], [.. managed ?? []], boundary, [],
            profile ? [new InstanceProfile($"arn:aws:iam::{account}:instance-profile/{name}", name, "AIPA" + name.ToUpperInvariant(), "/")] : [], null, null, null));
        return this;
    }

    public PathScenario Group(string name, string? inline = null, string account = A, string[]? managed = null)
    {
        Account(account).Groups.Add(new IamGroup($"arn:aws:iam::{account}:group/{name}", name, "AGPA" + name.ToUpperInvariant(), "/", TakenAt,
            inline is null ? [] : [new InlinePolicy("inline", inline)], [.. managed ?? []]));
        return this;
    }

    public PathScenario ManagedPolicy(string name, string document, string account = A)
    {
        Account(account).Policies.Add(new ManagedPolicy($"arn:aws:iam::{account}:policy/{name}", name, "ANPA" + name.ToUpperInvariant(), "/", "v1", document, TakenAt, TakenAt));
        return this;
    }

    /// <summary>Both accounts under one root with one SCP attached to account <see cref="A"/> beside FullAWSAccess.</summary>
    public PathScenario Scp(string document)
    {
        const string full = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
        _org = new AwsOrganization("o-exampleorg1", "999999999999", TakenAt, "r-root",
            [new OrgUnit("r-root", "Root", null, true)],
            [new OrgAccount(A, "a", null, "ACTIVE", "r-root"), new OrgAccount(B, "b", null, "ACTIVE", "r-root")],
            [new OrgPolicy("p-full", "FullAWSAccess", OrgPolicyKind.Scp, full, true, ["r-root", A, B]),
             new OrgPolicy("p-deny", "deny", OrgPolicyKind.Scp, document, false, [A])]);
        return this;
    }

    public AwsEstate Estate() => AwsEstate.Build(new AwsInventory(
        [.. _accounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new AwsAccountSnapshot(a.Key, TakenAt, [.. a.Value.Users], [.. a.Value.Groups], [.. a.Value.Roles], [.. a.Value.Policies]))],
        _org, [], []));

    public AttackPaths Paths()
    {
        var graph = AttackGraphBuilder.Build(Estate());
        return new AttackPaths(graph);
    }
}

internal static class PathAssertions
{
    public static AdminStanding Standing(this AttackPaths paths, string name) =>
        paths.Standings.Single(s => s.Identity.Identity.Name == name);

    public static string[] Techniques(this AttackPath path) => [.. path.Steps.Select(s => s.Technique.Id)];
}
