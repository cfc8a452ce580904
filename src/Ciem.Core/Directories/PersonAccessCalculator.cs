using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.Core.Directories;

/// <summary>
/// What the person view reads: the directories, each cloud's estate (null when not imported), the usage rollups of the
/// window, and the addresses more than one person holds (<see cref="PersonUsageAttribution.SharedAddresses"/>).
/// </summary>
public sealed record PersonAccessInputs(
    IReadOnlyList<DirectorySnapshot> Directories,
    AwsEstate? Aws,
    AzureEstate? Azure,
    GcpPolicySet? Gcp,
    IReadOnlyList<PersonUsageRecord> Usage,
    IReadOnlySet<string> SharedAddresses)
{
    /// <summary>
    /// The identities' administrator standings decided on the attack graphs (docs/attack-paths.md); without them a cloud's
    /// administrator flag is the grant-based reading of its effective access.
    /// </summary>
    public AdminStandings? Administrators { get; init; }
}

/// <summary>
/// A person's effective rights in AWS, Azure and GCP as one union per cloud, each right with the paths that grant it,
/// and their usage over the window (docs/directory.md, "One person across clouds"). The engines do the evaluation:
/// <list type="bullet">
/// <item>AWS: every role linked to the person (Identity Center permission-set roles, SAML roles) through
/// <see cref="AwsEffectivePermissionCalculator"/>; one path per link.</item>
/// <item>Azure: each Entra account of the person through <see cref="AzureEffectiveAccess"/>, with the groups it is in
/// transitively in Entra (nested groups) added to those the Azure import knows; one path per role assignment that reaches
/// the account, PIM-eligible roles as separate paths that grant nothing until activated.</item>
/// <item>GCP: each `user:` member linked to the person (else their Google account) with every bound group the person
/// is in, through <see cref="GcpEffectiveAccess"/>; one path per binding that names the person or one of those groups.</item>
/// </list>
/// Deny assignments, deny rules, SCPs and boundaries apply exactly as the engines apply them; a path whose grants are
/// all removed keeps a granted count of zero.
/// </summary>
public sealed class PersonAccessCalculator
{
    /// <summary>An Entra sign-in in the activity rollups: activity, not a permission.</summary>
    public const string SignInAction = "entra:signIn";

    private static readonly string[] ImpersonationPermissions =
    [
        "iam.serviceAccounts.getAccessToken", "iam.serviceAccounts.actAs", "iam.serviceAccounts.implicitDelegation",
        "iam.serviceAccounts.signBlob", "iam.serviceAccounts.signJwt", "iam.serviceAccounts.getOpenIdToken",
    ];

    private readonly PersonAccessInputs _inputs;
    private readonly AwsEffectivePermissionCalculator _aws;
    private readonly AzureOperationCatalog _azureCatalog;
    private readonly Dictionary<string, AwsIdentityContext> _awsContexts;
    private readonly Dictionary<string, AwsEffectivePermissions> _awsCache = new(StringComparer.Ordinal);
    private readonly Dictionary<DirectoryUser, (DirectorySnapshot Snapshot, GroupGraph Graph)> _snapshotOf;

    public PersonAccessCalculator(PersonAccessInputs inputs, AwsActionCatalog? awsCatalog = null, AzureOperationCatalog? azureCatalog = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        _inputs = inputs;
        _aws = new AwsEffectivePermissionCalculator(awsCatalog ?? AwsActionCatalog.Default);
        _azureCatalog = azureCatalog ?? AzureOperationCatalog.Default;
        _awsContexts = inputs.Aws?.Identities.ToDictionary(i => i.Identity.Id, StringComparer.Ordinal) ?? [];
        _snapshotOf = new(ReferenceEqualityComparer.Instance);
        foreach (var d in inputs.Directories)
        {
            var graph = new GroupGraph(d.Groups);
            foreach (var u in d.Users) { _snapshotOf[u] = (d, graph); }
        }
    }

    public PersonAccessResult Compute(PersonLink person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var attributed = PersonUsageAttribution.Attribute(person, _inputs.Usage, _inputs.SharedAddresses);
        var clouds = ImmutableArray.CreateBuilder<PersonCloudAccess>();
        foreach (var (cloud, compute) in new (string, Func<PersonLink, CloudRights>)[] { (Provider.AwsName, Aws), (Provider.AzureName, Azure), (Provider.GcpName, Gcp) })
        {
            var rights = compute(person);
            var rows = attributed.Where(a => a.Row.Cloud == cloud).ToList();
            if (rights.Paths.IsEmpty && rights.Eligible.IsEmpty && rows.Count == 0) { continue; }
            var notes = new List<string>(rights.Notes);
            notes.AddRange(UsageNotes(cloud, person, rights, rows));
            clouds.Add(new PersonCloudAccess(cloud, rights.Paths, rights.Rights, rights.Eligible, rights.IsAdministrator, rights.Indeterminate,
                Usage(rows, rights.Rights, notes))
            {
                Category = rights.Category ?? (rights.IsAdministrator ? AdminCategory.Administrator : AdminCategory.None),
            });
        }
        return new PersonAccessResult(person, clouds.ToImmutable());
    }

    private sealed record CloudRights(ImmutableArray<AccessPath> Paths, ImmutableArray<PersonRight> Rights, ImmutableArray<AccessPath> Eligible, bool IsAdministrator, ImmutableArray<string> Indeterminate, ImmutableArray<string> Notes)
    {
        public static readonly CloudRights None = new([], [], [], false, [], []);

        /// <summary>The highest category of the person's identities in the cloud, decided on the graphs (null without standings).</summary>
        public AdminCategory? Category { get; init; }
    }

    /// <summary>The engine-decided standing of one identity, or null when the inputs carry no standings.</summary>
    private AdminFlag? Standing(string provider, string id) => _inputs.Administrators?.Of(provider, id);

    private static AdminCategory? Highest(AdminCategory? a, AdminFlag? b) =>
        b is not { } flag ? a : a is { } x && x > flag.Category ? x : flag.Category;

    private CloudRights Aws(PersonLink person)
    {
        if (_inputs.Aws is null) { return CloudRights.None; }
        var paths = new List<AccessPath>();
        var sets = new List<ActionSet>();
        var indeterminate = new List<string>();
        AdminCategory? category = null;
        foreach (var link in person.Links.Where(l => l.Cloud == Provider.AwsName))
        {
            if (!_awsContexts.TryGetValue(link.IdentityId, out var context)) { continue; }
            if (!_awsCache.TryGetValue(link.IdentityId, out var effective)) { _awsCache[link.IdentityId] = effective = _aws.Compute(context); }
            var standing = Standing(Provider.AwsName, link.IdentityId);
            category = Highest(category, standing);
            paths.Add(new AccessPath(paths.Count + 1, Provider.AwsName, link.IdentityId, link.Via, $"role {context.Identity.Name}", context.Identity.Scope,
                effective.GrantedCount, standing?.IsAdministrator ?? effective.IsAdministrator, false, null));
            sets.Add(effective.Allowed);
            if (effective.Indeterminate.Count > 0 && !indeterminate.Any(i => i.Contains(context.Identity.Id, StringComparison.Ordinal)))
            {
                indeterminate.Add($"{effective.Indeterminate.Count} actions of `{context.Identity.Id}` depend on policy content that could not be evaluated");
            }
        }
        if (sets.Count == 0) { return CloudRights.None; }
        var union = sets.Skip(1).Aggregate(sets[0], (a, b) => a.Union(b));
        var rights = union.Select(action => new PersonRight(action.FullName, [.. paths.Where((_, i) => sets[i].Contains(action.Id)).Select(p => p.Id)]))
            .OrderBy(r => r.Permission, StringComparer.OrdinalIgnoreCase).ToImmutableArray();
        return new CloudRights([.. paths], rights, [], paths.Any(p => p.IsAdministrator), [.. indeterminate], []) { Category = category };
    }

    private CloudRights Azure(PersonLink person)
    {
        if (_inputs.Azure is not { } estate) { return CloudRights.None; }
        var paths = new List<AccessPath>();
        var eligible = new List<AccessPath>();
        var rights = new SortedDictionary<string, SortedSet<int>>(StringComparer.OrdinalIgnoreCase);
        var indeterminate = new List<string>();
        var admin = false;
        AdminCategory? category = null;
        foreach (var account in person.Person.Accounts.Where(a => a.User.Source == DirectorySource.Entra))
        {
            var user = account.User;
            var userStep = IdentityLinker.UserStep(user);
            var entraGroups = _snapshotOf.TryGetValue(user, out var dir) ? dir.Graph.GroupsOf(user.Id) : [];
            var chains = entraGroups.ToDictionary(m => m.Group.Id, m => IdentityLinker.GroupSteps(m).ToImmutableArray(), StringComparer.OrdinalIgnoreCase);
            var groups = estate.Groups.GroupsOf(user.Id).Concat(chains.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToImmutableArray();
            var withGroups = WithGroups(estate, user.Id, groups);
            var result = AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(user.Id, "User", withGroups), withGroups, _azureCatalog);
            var standing = Standing(Provider.AzureName, user.Id);
            category = Highest(category, standing);
            var isAdministrator = standing?.IsAdministrator ?? result.Access.IsAdministrator;
            ImmutableArray<FederationStep> ViaOf(string? group) =>
                group is null ? [userStep]
                : chains.TryGetValue(group, out var steps) ? [userStep, .. steps]
                : [userStep, new FederationStep("group", group, group)];

            var bySource = new Dictionary<string, List<AccessPath>>(StringComparer.Ordinal);
            var first = paths.Count;
            foreach (var assignment in estate.RoleAssignments)
            {
                string? group;
                if (string.Equals(assignment.PrincipalId, user.Id, StringComparison.OrdinalIgnoreCase)) { group = null; }
                else if (groups.Contains(assignment.PrincipalId, StringComparer.OrdinalIgnoreCase)) { group = assignment.PrincipalId; }
                else { continue; }
                var role = estate.FindRole(assignment.RoleDefinitionId);
                var roleName = role?.RoleName ?? assignment.RoleDefinitionName ?? assignment.RoleDefinitionGuid;
                var path = new AccessPath(paths.Count + 1, Provider.AzureName, user.Id, ViaOf(group),
                    role is null ? $"role assignment `{roleName}` (role definition not imported)" : $"role assignment `{roleName}`",
                    assignment.Scope, 0, false, false, assignment.Condition);
                paths.Add(path);
                var key = AzureEffectiveAccess.Source(roleName, assignment.Scope, group);
                if (!bySource.TryGetValue(key, out var list)) { bySource[key] = list = []; }
                list.Add(path);
            }
            var counts = new Dictionary<int, HashSet<string>>();
            var adminPaths = new HashSet<int>();
            foreach (var grant in result.Access.Grants)
            {
                foreach (var source in grant.Sources)
                {
                    if (!bySource.TryGetValue(source, out var list)) { continue; }
                    foreach (var path in list)
                    {
                        Add(rights, grant.Permission, path.Id);
                        if (!counts.TryGetValue(path.Id, out var set)) { counts[path.Id] = set = new(StringComparer.OrdinalIgnoreCase); }
                        set.Add(grant.Permission);
                        if (isAdministrator && grant.Condition is null && grant.LimitedBy.IsEmpty
                            && string.Equals(grant.Permission, AzureEffectiveAccess.RoleAssignmentsWrite, StringComparison.OrdinalIgnoreCase) && AzureEffectiveAccess.IsAdminScope(grant.Scope))
                        {
                            adminPaths.Add(path.Id);
                        }
                    }
                }
            }
            for (var i = first; i < paths.Count; i++)
            {
                paths[i] = paths[i] with { Granted = counts.TryGetValue(paths[i].Id, out var set) ? set.Count : 0, IsAdministrator = adminPaths.Contains(paths[i].Id) };
            }
            admin |= isAdministrator;
            indeterminate.AddRange(result.Access.Indeterminate);
            foreach (var e in result.Eligible)
            {
                eligible.Add(new AccessPath(-(eligible.Count + 1), Provider.AzureName, user.Id, ViaOf(e.ViaGroup), $"eligible role `{e.RoleName}` (PIM)", e.Scope,
                    e.OperationCount, e.IsAdministrator, true, e.Condition));
            }
        }
        return new CloudRights([.. paths], [.. rights.Select(r => new PersonRight(r.Key, [.. r.Value]))], [.. eligible], admin,
            [.. indeterminate.Distinct(StringComparer.Ordinal)], []) { Category = category };
    }

    private CloudRights Gcp(PersonLink person)
    {
        if (_inputs.Gcp is not { } policies) { return CloudRights.None; }
        var gcpLinks = person.Links.Where(l => l.Cloud == Provider.GcpName).ToList();
        var groupLinks = gcpLinks.Where(l => l.IdentityId.StartsWith("group:", StringComparison.OrdinalIgnoreCase)).GroupBy(l => l.IdentityId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var userLinks = gcpLinks.Where(l => l.IdentityId.StartsWith("user:", StringComparison.OrdinalIgnoreCase)).ToList();
        if (userLinks.Count == 0 && groupLinks.Count == 0) { return CloudRights.None; }
        var google = person.Person.Accounts.FirstOrDefault(a => a.User.Source == DirectorySource.Google) ?? person.Person.Accounts[0];
        var members = userLinks.Count > 0
            ? userLinks.Select(l => (Member: l.IdentityId, Via: WithoutMember(l.Via))).ToList()
            : [("user:" + (DirectoryUser.Normalize(google.User.Email) ?? person.Person.Key), [IdentityLinker.UserStep(google.User)])];
        ImmutableArray<string> groups = [.. groupLinks.Keys];
        var paths = new List<AccessPath>();
        var rights = new SortedDictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        var indeterminate = new List<string>();
        var admin = false;
        AdminCategory? category = null;
        foreach (var (member, userVia) in members.DistinctBy(m => m.Member, StringComparer.OrdinalIgnoreCase))
        {
            var principal = policies.WithGroups(new GcpPrincipal(GcpMembers.Canonical(member), groups));
            var access = GcpEffectiveAccess.Compute(policies, member, groups);
            var bySource = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var first = paths.Count;
            foreach (var policy in policies.Inventory.Policies)
            {
                var scope = policies.Canonical(policy.Resource);
                foreach (var binding in policy.Bindings)
                {
                    if (GcpEffectiveAccess.BindingMember(binding, principal) is not var (truth, via)) { continue; }
                    ImmutableArray<FederationStep> chain = string.Equals(via, principal.Member, StringComparison.OrdinalIgnoreCase) ? userVia
                        : groupLinks.TryGetValue(via, out var g) ? WithoutMember(g.Via)
                        : [.. userVia, new FederationStep("group", via, via)];
                    var condition = binding.Condition?.Expression ?? (truth == Truth.Unknown ? $"membership of `{via}` is undecidable" : null);
                    paths.Add(new AccessPath(paths.Count + 1, Provider.GcpName, principal.Member, chain, $"binding `{binding.Role}`", scope, 0, false, false, condition));
                    var key = GcpEffectiveAccess.Source(binding.Role, scope, via, principal.Member);
                    if (!bySource.TryGetValue(key, out var list)) { bySource[key] = list = []; }
                    list.Add(paths[^1].Id);
                }
            }
            var counts = new Dictionary<int, HashSet<string>>();
            foreach (var grant in access.Grants)
            {
                foreach (var id in grant.Sources.SelectMany(s => bySource.TryGetValue(s, out var list) ? list : []))
                {
                    Add(rights, grant.Permission, id);
                    if (!counts.TryGetValue(id, out var set)) { counts[id] = set = new(StringComparer.Ordinal); }
                    set.Add(grant.Permission);
                }
            }
            for (var i = first; i < paths.Count; i++) { paths[i] = paths[i] with { Granted = counts.TryGetValue(paths[i].Id, out var set) ? set.Count : 0 }; }
            var standing = Standing(Provider.GcpName, GcpMembers.Canonical(member));
            category = Highest(category, standing);
            admin |= standing?.IsAdministrator ?? access.IsAdministrator;
            indeterminate.AddRange(access.Indeterminate);
        }
        return new CloudRights([.. paths], [.. rights.Select(r => new PersonRight(r.Key, [.. r.Value]))], [], admin,
            [.. indeterminate.Distinct(StringComparer.Ordinal)], []) { Category = category };
    }

    private IEnumerable<string> UsageNotes(string cloud, PersonLink person, CloudRights rights, List<PersonUsageAttribution.Attributed> rows)
    {
        var held = person.Person.Addresses().Where(_inputs.SharedAddresses.Contains).ToList();
        foreach (var address in held)
        {
            yield return $"address `{address}` is held by more than one person: usage naming it is attributed to no one";
        }
        if (cloud == Provider.AwsName)
        {
            var roles = rights.Paths.Select(p => p.IdentityId).ToHashSet(StringComparer.Ordinal);
            var mine = rows.Select(r => r.Row).ToHashSet();
            var others = _inputs.Usage.Where(u => u.Cloud == Provider.AwsName && roles.Contains(u.Identity) && !mine.Contains(u)).Sum(u => u.Count);
            if (others > 0) { yield return $"{others:N0} call(s) on the same roles by other sessions (other people, or sessions not named after the person) are not counted"; }
        }
        if (cloud == Provider.GcpName)
        {
            var can = ImpersonationPermissions.Where(p => rights.Rights.Any(r => r.Permission == p)).ToList();
            var unchained = _inputs.Usage.Where(u => u.Cloud == Provider.GcpName && u.Identity.StartsWith("serviceAccount:", StringComparison.OrdinalIgnoreCase) && u.Person.Length == 0).Sum(u => u.Count);
            if (can.Count > 0 && unchained > 0)
            {
                yield return $"the person can act as service accounts (`{string.Join("`, `", can)}`); {unchained:N0} call(s) by service accounts carry no delegation chain, so none of them is attributed to anyone";
            }
            var impersonated = rows.Where(r => r.Impersonated).Select(r => r.As).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
            if (impersonated.Count > 0) { yield return $"usage as {string.Join(", ", impersonated.Select(i => $"`{i}`"))} is attributed through the delegation chain of the audit entries"; }
        }
    }

    private static PersonCloudUsage Usage(List<PersonUsageAttribution.Attributed> rows, ImmutableArray<PersonRight> rights, List<string> notes)
    {
        var granted = rights.Select(r => r.Permission).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var actions = rows.GroupBy(r => r.Row.Action, StringComparer.OrdinalIgnoreCase)
            .Select(g => new PersonActionUse(g.Key, g.Sum(r => r.Row.Count), g.Max(r => r.Row.LastSeen), [.. g.Select(r => r.As).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], granted.Contains(g.Key)))
            .OrderByDescending(a => a.Count).ThenBy(a => a.Action, StringComparer.Ordinal).ToImmutableArray();
        var used = actions.Count(a => a.Granted);
        return new PersonCloudUsage(used, granted.Count - used, actions.Count(a => !a.Granted && a.Action != SignInAction), rows.Sum(r => r.Row.Count),
            rows.Count == 0 ? null : rows.Max(r => r.Row.LastSeen), actions, [.. notes]);
    }

    private static void Add(SortedDictionary<string, SortedSet<int>> rights, string permission, int path)
    {
        if (!rights.TryGetValue(permission, out var set)) { rights[permission] = set = []; }
        set.Add(path);
    }

    private static AzureEstate WithGroups(AzureEstate estate, string principalId, ImmutableArray<string> groups)
    {
        var memberships = estate.Groups.Principals.Select(p => KeyValuePair.Create(p, estate.Groups.GroupsOf(p))).Append(KeyValuePair.Create(principalId, groups));
        return new AzureEstate(estate.RoleDefinitions, estate.RoleAssignments, estate.DenyAssignments, estate.EligibleAssignments, estate.Hierarchy, new GroupMemberships(memberships));
    }

    private static ImmutableArray<FederationStep> WithoutMember(ImmutableArray<FederationStep> via) => [.. via.Where(s => s.Kind != "binding member")];
}
