using System.Collections.Immutable;
using System.Globalization;
using Ciem.Core.Model;

namespace Ciem.Core.Directories;

/// <summary>
/// Resolves people from directory accounts and links each person (and each service principal) to the cloud
/// identities it acts as. Rules (docs/directory.md):
/// <list type="number">
/// <item>Accounts are joined into one person by immutable ids first (an Identity Center user's `ExternalIds` equal to
/// another directory's user id), then by equal email, then by a sign-in name (UPN) equal to an address.</item>
/// <item>An address held by two accounts of the same directory is ambiguous: it joins nothing and is reported.</item>
/// <item>A person holds at most one account per directory: a join that would give it a second one is refused and
/// reported as ambiguous.</item>
/// <item>AWS: a person's Identity Center account, directly or through (nested) groups, is assigned permission sets in
/// accounts; each assignment links to the one `AWSReservedSSO_{PermissionSet}_{hash}` role of that account (path
/// `/aws-reserved/sso.amazonaws.com/`). No role, or more than one, is reported and not linked.</item>
/// <item>Azure: an Entra user, group or service principal whose object id holds a role assignment.</item>
/// <item>GCP: `user:ADDRESS` for an address of the person (an address claimed by two people is ambiguous), and
/// `group:ADDRESS` for a group the person is in, directly or nested.</item>
/// </list>
/// Nothing is guessed: every candidate set that is not exactly one is a <see cref="LinkProblem"/>.
/// </summary>
public static class IdentityLinker
{
    public const string Entra = "entra";
    private const string SsoRolePrefix = "AWSReservedSSO_";
    private const string SsoRolePath = ":role/aws-reserved/sso.amazonaws.com/";

    public static IdentityLinkResult Link(IReadOnlyList<DirectorySnapshot> directories, LinkTargets targets)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(targets);
        var problems = new List<LinkProblem>();
        var people = ResolvePeople(directories, problems);
        var graphs = directories.ToDictionary<DirectorySnapshot, DirectorySnapshot, GroupGraph>(d => d, d => new GroupGraph(d.Groups), ReferenceEqualityComparer.Instance);
        var snapshotOf = directories.SelectMany(d => d.Users.Select(u => (User: u, Snapshot: d))).ToDictionary<(DirectoryUser User, DirectorySnapshot Snapshot), DirectoryUser, DirectorySnapshot>(x => x.User, x => x.Snapshot, ReferenceEqualityComparer.Instance);
        var accountAssignments = directories.ToDictionary<DirectorySnapshot, DirectorySnapshot, ILookup<string, AccountAssignment>>(d => d, d => d.AccountAssignments.ToLookup(a => a.PrincipalId, StringComparer.Ordinal), ReferenceEqualityComparer.Instance);
        var appAssignments = directories.ToDictionary<DirectorySnapshot, DirectorySnapshot, ILookup<string, AppAssignment>>(d => d, d => d.AppAssignments.Where(a => a.IsAws).ToLookup(a => a.PrincipalId, StringComparer.Ordinal), ReferenceEqualityComparer.Instance);
        var ambiguousByAccount = problems.Where(p => p.Kind == LinkProblemKind.Ambiguous).SelectMany(p => p.Candidates.Select(c => (Candidate: c, Problem: p))).ToLookup(x => x.Candidate, x => x.Problem, StringComparer.Ordinal);
        var azure = targets.AzurePrincipalIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var gcp = targets.GcpMembers.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ssoRoles = targets.Aws.Where(IsSsoRole).ToLookup(r => r.Scope, StringComparer.Ordinal);

        // GCP `user:` members: an address claimed by two people is ambiguous.
        var claims = people
            .SelectMany(p => p.Accounts.SelectMany(a => AddressesWithKind(a.User)).Select(x => (Person: p, x.Address, x.Kind)))
            .GroupBy(x => x.Address, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.DistinctBy(x => x.Person).ToList(), StringComparer.Ordinal);
        var claimedGcp = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var linkedAzure = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        var results = ImmutableArray.CreateBuilder<PersonLink>();
        foreach (var person in people)
        {
            var links = new List<IdentityLink>();
            var own = new List<LinkProblem>();
            foreach (var account in person.Accounts)
            {
                var dir = snapshotOf[account.User];
                var userStep = UserStep(account.User);
                var memberships = graphs[dir].GroupsOf(account.User.Id);
                string[] principals = [account.User.Id, .. memberships.Select(m => m.Group.Id)];
                if (dir.Source == DirectorySource.IdentityCenter)
                {
                    LinkAws(dir, principals.SelectMany(id => accountAssignments[dir][id]), account, userStep, memberships, ssoRoles, links, own);
                }
                LinkSaml(principals.SelectMany(id => appAssignments[dir][id]), account, userStep, memberships, targets.Aws, links, own);
                LinkDirectoryRoles(dir, principals, userStep, memberships, links);
                if (azure.Contains(account.User.Id))
                {
                    links.Add(new IdentityLink(Provider.AzureName, account.User.Id, [userStep], MatchKind.ImmutableId));
                    linkedAzure.Add(account.User.Id);
                }
                foreach (var m in memberships)
                {
                    if (azure.Contains(m.Group.Id) && dir.Source == DirectorySource.Entra)
                    {
                        links.Add(new IdentityLink(Provider.AzureName, m.Group.Id, [userStep, .. GroupSteps(m)], MatchKind.ImmutableId));
                        linkedAzure.Add(m.Group.Id);
                    }
                    if (DirectoryUser.Normalize(m.Group.Email) is { } groupMail && gcp.Contains("group:" + groupMail))
                    {
                        links.Add(new IdentityLink(Provider.GcpName, "group:" + groupMail, [userStep, .. GroupSteps(m), new FederationStep("binding member", "group:" + groupMail, "group:" + groupMail)], MatchKind.Email));
                        claimedGcp.Add("group:" + groupMail);
                    }
                }
                foreach (var (address, kind) in AddressesWithKind(account.User))
                {
                    var member = "user:" + address;
                    if (!gcp.Contains(member)) { continue; }
                    var claimants = claims[address];
                    claimedGcp.Add(member);
                    if (claimants.Count > 1)
                    {
                        own.Add(new LinkProblem(LinkProblemKind.Ambiguous, member, $"GCP member `{member}` matches {claimants.Count} people; it is not linked", [.. claimants.Select(c => c.Person.Key).Order(StringComparer.Ordinal)]));
                        continue;
                    }
                    links.Add(new IdentityLink(Provider.GcpName, member, [userStep, new FederationStep("binding member", member, member)], kind));
                }
            }
            own.AddRange(person.Accounts.SelectMany(a => ambiguousByAccount[Describe(a.User)]));
            results.Add(new PersonLink(
                person,
                [.. links.DistinctBy(l => l.IdentityId.StartsWith("user:", StringComparison.Ordinal) ? (l.Cloud, l.IdentityId, "") : (l.Cloud, l.IdentityId, l.ViaText)).OrderBy(l => l.Cloud, StringComparer.Ordinal).ThenBy(l => l.IdentityId, StringComparer.Ordinal).ThenBy(l => l.ViaText, StringComparer.Ordinal)],
                [.. own.DistinctBy(Identify)]));
        }

        var services = LinkServices(directories, people, azure, linkedAzure);
        problems = [.. problems.Concat(results.SelectMany(r => r.Problems)).Concat(services.SelectMany(s => s.Problems)).DistinctBy(Identify)];
        foreach (var member in gcp.Where(m => m.StartsWith("user:", StringComparison.OrdinalIgnoreCase) || m.StartsWith("group:", StringComparison.OrdinalIgnoreCase)).Where(m => !claimedGcp.Contains(m)).Order(StringComparer.Ordinal))
        {
            problems.Add(new LinkProblem(LinkProblemKind.Unmatched, member, $"GCP member `{member}` matches no person or group in the directories", []));
        }
        if (directories.Any(d => d.Source == DirectorySource.Entra))
        {
            var known = directories.Where(d => d.Source == DirectorySource.Entra)
                .SelectMany(d => d.Users.Select(u => u.Id).Concat(d.Groups.Select(g => g.Id)).Concat(d.ServicePrincipals.Select(s => s.Id)))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var id in azure.Where(a => !known.Contains(a)).Order(StringComparer.Ordinal))
            {
                problems.Add(new LinkProblem(LinkProblemKind.Unmatched, id, $"Azure principal `{id}` is not in the Entra export", []));
            }
        }
        return new IdentityLinkResult(results.ToImmutable(), services, [.. problems]);
    }

    /// <summary>Whether an AWS identity is a role IAM Identity Center provisioned (`AWSReservedSSO_…` under `/aws-reserved/sso.amazonaws.com/`).</summary>
    public static bool IsSsoRole(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Name.StartsWith(SsoRolePrefix, StringComparison.Ordinal) && identity.Id.Contains(SsoRolePath, StringComparison.Ordinal);
    }

    /// <summary>The permission set name in `AWSReservedSSO_{Name}_{hash}`, or null when the role name does not have that shape.</summary>
    public static string? PermissionSetNameOf(string roleName)
    {
        ArgumentNullException.ThrowIfNull(roleName);
        if (!roleName.StartsWith(SsoRolePrefix, StringComparison.Ordinal)) { return null; }
        var last = roleName.LastIndexOf('_');
        return last <= SsoRolePrefix.Length ? null : roleName[SsoRolePrefix.Length..last];
    }

    private static void LinkAws(DirectorySnapshot dir, IEnumerable<AccountAssignment> assignments, PersonAccount account, FederationStep userStep, ImmutableArray<GroupMembership> memberships, ILookup<string, Identity> ssoRoles, List<IdentityLink> links, List<LinkProblem> problems)
    {
        var match = account.JoinedBy ?? MatchKind.ImmutableId;
        var byGroup = memberships.ToDictionary(m => m.Group.Id, StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            ImmutableArray<FederationStep> path;
            if (a.PrincipalType == AssignmentPrincipalType.User && a.PrincipalId == account.User.Id) { path = [userStep]; }
            else if (a.PrincipalType == AssignmentPrincipalType.Group && byGroup.TryGetValue(a.PrincipalId, out var m)) { path = [userStep, .. GroupSteps(m)]; }
            else { continue; }
            var set = dir.PermissionSets.FirstOrDefault(p => p.Arn == a.PermissionSetArn);
            if (set is null)
            {
                problems.Add(new LinkProblem(LinkProblemKind.Unmatched, a.PermissionSetArn, $"account assignment in `{a.AccountId}` refers to permission set `{a.PermissionSetArn}`, which is not in the Identity Center export", []));
                continue;
            }
            var roles = ssoRoles[a.AccountId].Where(r => PermissionSetNameOf(r.Name) == set.Name).ToList();
            ImmutableArray<FederationStep> chain = [.. path, new FederationStep("permission set", set.Arn, set.Name), new FederationStep("account", a.AccountId, a.AccountId)];
            if (roles.Count == 1)
            {
                links.Add(new IdentityLink(Provider.AwsName, roles[0].Id, chain, match));
            }
            else if (roles.Count == 0)
            {
                problems.Add(new LinkProblem(LinkProblemKind.Unmatched, $"{a.AccountId}/{set.Name}", $"permission set `{set.Name}` is assigned in account `{a.AccountId}` but no `{SsoRolePrefix}{set.Name}_…` role is in the AWS import (account not imported, or not provisioned)", []));
            }
            else
            {
                problems.Add(new LinkProblem(LinkProblemKind.Ambiguous, $"{a.AccountId}/{set.Name}", $"permission set `{set.Name}` in account `{a.AccountId}` matches {roles.Count} roles; none is linked", [.. roles.Select(r => r.Id).Order(StringComparer.Ordinal)]));
            }
        }
    }

    /// <summary>AWS SAML apps (Okta): each role an app assignment of the user or one of their groups names.</summary>
    private static void LinkSaml(IEnumerable<AppAssignment> assignments, PersonAccount account, FederationStep userStep, ImmutableArray<GroupMembership> memberships, ImmutableArray<Identity> aws, List<IdentityLink> links, List<LinkProblem> problems)
    {
        var match = account.JoinedBy ?? MatchKind.ImmutableId;
        var byGroup = memberships.ToDictionary(m => m.Group.Id, StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            ImmutableArray<FederationStep> path;
            if (a.PrincipalType == AssignmentPrincipalType.User && a.PrincipalId == account.User.Id) { path = [userStep]; }
            else if (a.PrincipalType == AssignmentPrincipalType.Group && byGroup.TryGetValue(a.PrincipalId, out var m)) { path = [userStep, .. GroupSteps(m)]; }
            else { continue; }
            foreach (var role in a.Roles)
            {
                // An ARN names one role (its path aside); a bare name (Okta's "join all roles") names that role in every account.
                var parts = role.Split(':');
                var (roleAccount, name) = parts.Length >= 6 && IsRoleArn(role) ? (parts[4], RoleName(role)) : ((string?)null, role);
                var candidates = aws.Where(i => IsRoleArn(i.Id) && i.Name == name && (roleAccount is null || i.Scope == roleAccount)).ToList();
                if (candidates.Count == 0)
                {
                    problems.Add(new LinkProblem(LinkProblemKind.Unmatched, role, $"app `{a.AppName}` maps to role `{role}`, which is not in the AWS import", []));
                    continue;
                }
                foreach (var c in candidates.DistinctBy(c => c.Id))
                {
                    links.Add(new IdentityLink(Provider.AwsName, c.Id, [.. path, new FederationStep("saml app", a.AppId, a.AppName), new FederationStep("role", role, role)], match));
                }
            }
        }
    }

    /// <summary>Entra directory roles held directly or through a role-assignable group.</summary>
    private static void LinkDirectoryRoles(DirectorySnapshot dir, string[] principals, FederationStep userStep, ImmutableArray<GroupMembership> memberships, List<IdentityLink> links)
    {
        foreach (var role in dir.DirectoryRoles)
        {
            foreach (var member in role.Members.Where(m => principals.Contains(m.Id, StringComparer.OrdinalIgnoreCase)))
            {
                var groups = memberships.FirstOrDefault(m => string.Equals(m.Group.Id, member.Id, StringComparison.OrdinalIgnoreCase));
                ImmutableArray<FederationStep> via = groups is null ? [userStep] : [userStep, .. GroupSteps(groups)];
                links.Add(new IdentityLink(Entra, role.TemplateId ?? role.Id, [.. via, new FederationStep("directory role", role.Id, role.Name)], MatchKind.ImmutableId));
            }
        }
    }

    private static bool IsRoleArn(string arn) => arn.Contains(":role/", StringComparison.Ordinal);

    private static string RoleName(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    private static (LinkProblemKind, string, string) Identify(LinkProblem p) => (p.Kind, p.Subject, p.Message);

    internal static FederationStep UserStep(DirectoryUser user) =>
        new($"{DirectorySources.Name(user.Source)} user", user.Id, user.UserName ?? user.Email ?? user.Id);

    internal static IEnumerable<FederationStep> GroupSteps(GroupMembership m) =>
        m.Path.Select(g => new FederationStep(g.IsDynamic ? "dynamic group" : "group", g.Id, g.DisplayName));

    private static IEnumerable<(string Address, MatchKind Kind)> AddressesWithKind(DirectoryUser u)
    {
        var emails = new[] { u.Email }.Concat(u.OtherEmails).Select(DirectoryUser.Normalize).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var a in u.Addresses()) { yield return (a, emails.Contains(a) ? MatchKind.Email : MatchKind.Upn); }
    }

    private static string Describe(DirectoryUser u) => $"{DirectorySources.Name(u.Source)} user `{u.UserName ?? u.Email ?? u.Id}` ({u.Id})";

    private static List<Person> ResolvePeople(IReadOnlyList<DirectorySnapshot> directories, List<LinkProblem> problems)
    {
        var users = directories.SelectMany(d => d.Users).ToList();
        var parent = Enumerable.Range(0, users.Count).ToArray();
        var joined = new MatchKind?[users.Count];
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        var members = Enumerable.Range(0, users.Count).ToDictionary(i => i, i => new List<int> { i });

        void Union(int a, int b, MatchKind kind, string reason)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra == rb) { return; }
            var clash = members[ra].Select(i => users[i]).Join(members[rb].Select(i => users[i]), u => u.Source, u => u.Source, (x, y) => (x, y)).FirstOrDefault();
            if (clash != default)
            {
                problems.Add(new LinkProblem(LinkProblemKind.Ambiguous, reason,
                    $"{reason} would join {Describe(users[a])} and {Describe(users[b])}, but that person already has {Describe(clash.x)} and {Describe(clash.y)} in the same directory; they are kept apart",
                    [Describe(users[a]), Describe(users[b])]));
                return;
            }
            parent[rb] = ra;
            members[ra].AddRange(members[rb]);
            members.Remove(rb);
            joined[a] ??= kind;
            joined[b] ??= kind;
        }

        // 1. Immutable ids: an external id equal to another directory's user id.
        var byId = users.Select((u, i) => (u, i)).ToLookup(x => x.u.Id, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < users.Count; i++)
        {
            foreach (var ext in users[i].ExternalIds)
            {
                var candidates = byId[ext.Id].Where(x => x.u.Source != users[i].Source).ToList();
                if (candidates.Count == 1) { Union(i, candidates[0].i, MatchKind.ImmutableId, $"external id `{ext.Id}`"); }
                else if (candidates.Count > 1)
                {
                    problems.Add(new LinkProblem(LinkProblemKind.Ambiguous, ext.Id, $"external id `{ext.Id}` of {Describe(users[i])} matches {candidates.Count} users; none is joined", [.. candidates.Select(c => Describe(c.u))]));
                }
            }
        }

        // 2. Email, then 3. any address including sign-in names.
        foreach (var kind in new[] { MatchKind.Email, MatchKind.Upn })
        {
            var index = users.Select((u, i) => (u, i))
                .SelectMany(x => (kind == MatchKind.Email ? new[] { x.u.Email }.Concat(x.u.OtherEmails).Select(DirectoryUser.Normalize).OfType<string>().Distinct(StringComparer.Ordinal) : x.u.Addresses()).Select(a => (Address: a, x.u, x.i)))
                .GroupBy(x => x.Address, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var g in index)
            {
                var list = g.ToList();
                var duplicated = list.GroupBy(x => x.u.Source).FirstOrDefault(s => s.Count() > 1);
                if (duplicated is not null)
                {
                    var p = new LinkProblem(LinkProblemKind.Ambiguous, g.Key, $"address `{g.Key}` belongs to {duplicated.Count()} {DirectorySources.Name(duplicated.Key)} users; it joins nothing", [.. duplicated.Select(x => Describe(x.u))]);
                    problems.Add(p);
                    continue;
                }
                for (var k = 1; k < list.Count; k++) { Union(list[0].i, list[k].i, kind, $"address `{g.Key}`"); }
            }
        }

        return [.. members.Values
            .Select(ix => ix.Order().Select(i => new PersonAccount(users[i], ix.Count == 1 ? null : joined[i])).OrderBy(a => a.User.Source).ThenBy(a => a.User.Id, StringComparer.Ordinal).ToImmutableArray())
            .Select(accounts => new Person(KeyOf(accounts), accounts.Select(a => a.User.DisplayName).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? KeyOf(accounts), accounts))
            .OrderBy(p => p.Key, StringComparer.Ordinal)];
    }

    private static string KeyOf(ImmutableArray<PersonAccount> accounts) =>
        accounts.Select(a => DirectoryUser.Normalize(a.User.Email)).FirstOrDefault(e => e is not null)
        ?? accounts.SelectMany(a => a.User.Addresses()).FirstOrDefault()
        ?? string.Create(CultureInfo.InvariantCulture, $"{DirectorySources.Name(accounts[0].User.Source)}:{accounts[0].User.Id}");

    private static ImmutableArray<ServiceIdentityLink> LinkServices(IReadOnlyList<DirectorySnapshot> directories, List<Person> people, HashSet<string> azure, HashSet<string> linkedAzure)
    {
        var personOf = people.SelectMany(p => p.Accounts.Select(a => (a.User.Id, p.Key))).GroupBy(x => x.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.OrdinalIgnoreCase);
        var result = ImmutableArray.CreateBuilder<ServiceIdentityLink>();
        foreach (var dir in directories)
        {
            var appOwners = dir.Applications.GroupBy(a => a.AppId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.SelectMany(a => a.Owners).ToList(), StringComparer.OrdinalIgnoreCase);
            foreach (var sp in dir.ServicePrincipals.OrderBy(s => s.DisplayName, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal))
            {
                var ownerIds = sp.Owners.Concat(sp.AppId is not null && appOwners.TryGetValue(sp.AppId, out var o) ? o : []).Distinct(StringComparer.OrdinalIgnoreCase);
                var owners = ownerIds.Select(id => personOf.GetValueOrDefault(id) ?? id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
                var step = new FederationStep($"{DirectorySources.Name(dir.Source)} service principal", sp.Id, sp.DisplayName);
                ImmutableArray<IdentityLink> links =
                [
                    .. azure.Contains(sp.Id) ? [new IdentityLink(Provider.AzureName, sp.Id, [step], MatchKind.ImmutableId)] : Array.Empty<IdentityLink>(),
                    .. dir.DirectoryRoles.Where(r => r.Members.Any(m => string.Equals(m.Id, sp.Id, StringComparison.OrdinalIgnoreCase)))
                        .Select(r => new IdentityLink(Entra, r.TemplateId ?? r.Id, [step, new FederationStep("directory role", r.Id, r.Name)], MatchKind.ImmutableId)),
                ];
                if (links.Any(l => l.Cloud == Provider.AzureName)) { linkedAzure.Add(sp.Id); }
                ImmutableArray<LinkProblem> own = owners.IsEmpty && sp.Kind != ServicePrincipalKind.ManagedIdentity
                    ? [new LinkProblem(LinkProblemKind.NoOwner, sp.Id, $"service principal `{sp.DisplayName}` ({sp.Id}) has no owner in {DirectorySources.Name(dir.Source)}, nor has its application", [])]
                    : [];
                result.Add(new ServiceIdentityLink(sp, owners, links, own));
            }
        }
        return result.ToImmutable();
    }
}
