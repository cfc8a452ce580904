using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Collections;
using Ciem.Core.Model;

namespace Ciem.Core.Paths;

/// <summary>
/// Builds the <see cref="AttackGraph"/> of an estate once, without trying every pair of principals: trust policies are
/// indexed by the principals and services they name, each source's grants say which targets its actions can reach,
/// and a grant that does not depend on the target (every statement on `Resource: *`, no resource condition) is decided
/// once and reaches a hub of targets. Sources run in parallel. See docs/attack-paths.md.
/// </summary>
public static class AttackGraphBuilder
{
    private const string ClassMemberId = "class-member";

    /// <summary>The edge from a hub to each of its members (the decision is on the edge into the hub).</summary>
    public static readonly AwsTechnique ClassMember = new(ClassMemberId, "a target of the class", TechniqueKind.Become, [], null, false,
        null, "graph construction");

    private static readonly string[] RoleWrites = ["iam:PutRolePolicy", "iam:AttachRolePolicy"];
    private static readonly string[] UserWrites = ["iam:PutUserPolicy", "iam:AttachUserPolicy"];
    private static readonly string[] GroupWrites = ["iam:PutGroupPolicy", "iam:AttachGroupPolicy"];

    public static AttackGraph Build(AwsEstate estate, IReadOnlyList<AwsEffectivePermissions>? effective = null,
        AttackGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(estate);
        options ??= new AttackGraphOptions();
        var catalog = effective is { Count: > 0 } ? effective[0].Allowed.Catalog : AwsActionCatalog.Default;
        if (effective is null)
        {
            var calculator = new AwsEffectivePermissionCalculator(catalog);
            var computed = new AwsEffectivePermissions[estate.Identities.Length];
            Parallel.For(0, computed.Length, i => computed[i] = calculator.Compute(estate.Identities[i]));
            effective = computed;
        }
        if (effective.Count != estate.Identities.Length)
        {
            throw new ArgumentException("one effective-permission result per identity is required", nameof(effective));
        }
        var b = new Builder(estate, effective, options, catalog);
        return b.Run();
    }

    private sealed class Builder
    {
        private readonly AwsEstate _estate;
        private readonly IReadOnlyList<AwsEffectivePermissions> _effective;
        private readonly AttackGraphOptions _options;
        private readonly AwsActionCatalog _catalog;
        private readonly int _n;
        private readonly List<AttackNode> _nodes = [];
        private readonly Dictionary<(string Account, string Class), int> _hubs = [];
        private readonly Dictionary<int, List<int>> _hubMembers = [];
        private readonly Dictionary<int, ImmutableArray<PathCheck>> _memberChecks = [];
        private readonly Dictionary<string, int> _byArn = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<int>> _byAccount = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, AwsAction?> _actions = new(StringComparer.OrdinalIgnoreCase);
        private AdminDecision[] _admins = [];
        private Decision[] _madeAdmin = [];
        private Decision[] _madeAdminNoBoundary = [];
        private Dictionary<(int Role, string Service), PathCheck> _serviceTrust = [];
        private readonly Dictionary<string, List<int>> _groupMembers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<int>> _policyHolders = new(StringComparer.Ordinal);
        private readonly HashSet<int> _hasProfile = [];
        private readonly Dictionary<string, Aws.Inventory.IamUser> _users = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _adminGroups = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _regions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ulong[]> _assumersByAccount = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Account, string Class), ulong[]> _bounded = [];
        private readonly GrantResourceIndex _index;

        public Builder(AwsEstate estate, IReadOnlyList<AwsEffectivePermissions> effective, AttackGraphOptions options,
            AwsActionCatalog catalog)
        {
            _estate = estate;
            _effective = effective;
            _options = options;
            _catalog = catalog;
            _n = estate.Identities.Length;
            _index = new GrantResourceIndex(estate, effective, ActionOf);
        }

        private AwsIdentityContext Who(int i) => _estate.Identities[i];

        private string RegionOf(int i) => _regions.TryGetValue(Who(i).Identity.Scope, out var r) ? r : AwsAdminProbe.DefaultRegion;

        private (Decision Decision, ImmutableArray<PathCheck> Checks) Probe(int i, AwsIdentityContext subject) =>
            AwsAdminProbe.Evaluate(_estate, subject, _options.Session, RegionOf(i));

        public AttackGraph Run()
        {
            for (var i = 0; i < _n; i++)
            {
                var id = Who(i).Identity;
                _nodes.Add(new AttackNode(i, AttackNodeKind.Principal, id.Id, id.Scope, Who(i)));
                _byArn.TryAdd(id.Id, i);
                if (!_byAccount.TryGetValue(id.Scope, out var list)) { _byAccount[id.Scope] = list = []; }
                list.Add(i);
            }
            IndexInventory();
            // 1. Administrators, and what each principal would be with a policy allowing everything (for policy writes).
            _admins = new AdminDecision[_n];
            _madeAdmin = new Decision[_n];
            _madeAdminNoBoundary = new Decision[_n];
            Parallel.For(0, _n, i =>
            {
                var who = Who(i);
                _admins[i] = MaybeAdmin(i) ? Admin(i) : new AdminDecision(Decision.ImplicitDeny, []);
                if (who.IsServiceLinked) { _madeAdmin[i] = _madeAdminNoBoundary[i] = Decision.ImplicitDeny; return; }
                _madeAdmin[i] = Probe(i, AwsAdminProbe.WithFullPolicy(who, removeBoundary: false)).Decision;
                _madeAdminNoBoundary[i] = who.Boundaries.IsEmpty ? _madeAdmin[i] : Probe(i, AwsAdminProbe.WithFullPolicy(who,
                    removeBoundary: true)).Decision;
            });
            // 2. Which roles trust which compute services (the engine decides with the service as caller).
            IndexServiceTrust();
            CreateHubs();

            // 3. Every source's techniques, in parallel; then the trust side (sts:AssumeRole) from each role.
            var edges = new Dictionary<int, AttackEdge>[_nodes.Count];
            var grants = new List<GrantEdge>[_n];
            Parallel.For(0, _n, i =>
            {
                var local = new Dictionary<int, AttackEdge>();
                var localGrants = new List<GrantEdge>();
                Source(i, local, localGrants);
                edges[i] = local;
                grants[i] = localGrants;
            });
            IndexAssumers();
            var assumes = new List<AttackEdge>[_n];
            Parallel.For(0, _n, r => assumes[r] = AssumeEdges(r));
            foreach (var list in assumes)
            {
                foreach (var e in list) { Add(edges[e.From] ??= [], e); }
            }
            foreach (var (hub, members) in _hubMembers)
            {
                var local = edges[hub] ??= [];
                foreach (var m in members)
                {
                    Add(local, new AttackEdge(hub, m, ClassMember, EdgeCertainty.Certain, _memberChecks.TryGetValue(Key(hub, m), out var c)
                        ? c : []));
                }
            }
            var outgoing = new ImmutableArray<AttackEdge>[_nodes.Count];
            for (var i = 0; i < outgoing.Length; i++)
            {
                outgoing[i] = edges[i] is { } d ? [.. d.Values.OrderBy(e => e.To)] : [];
            }
            return new AttackGraph(_estate, [.. _nodes], outgoing, [.. grants.SelectMany(g => g)], [.. _admins], _options);
        }

        private static int Key(int hub, int member) => HashCode.Combine(hub, member);

        private static void Add(Dictionary<int, AttackEdge> edges, AttackEdge edge)
        {
            if (edge.From == edge.To) { return; }
            if (!edges.TryGetValue(edge.To, out var existing) || edge.Certainty < existing.Certainty) { edges[edge.To] = edge; }
        }

        // ---------- administrators ----------

        private bool MaybeAdmin(int i) => Possible(i, "iam:AttachRolePolicy") && Possible(i, "s3:GetObject");

        private AdminDecision Admin(int i)
        {
            var (decision, checks) = Probe(i, Who(i));
            return new AdminDecision(decision, checks);
        }

        // ---------- indexes ----------

        /// <summary>Group members, holders of each customer-managed policy (directly or through a group), instance profiles.</summary>
        private void IndexInventory()
        {
            foreach (var account in _estate.Inventory.Accounts)
            {
                // The account's home region: where its roles were last used most, for region-restricting SCPs.
                _regions[account.AccountId] = account.Roles.Where(r => r.LastUsed?.Region is { Length: > 0 })
                    .GroupBy(r => r.LastUsed!.Region!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key,
                        StringComparer.Ordinal)
                    .Select(g => g.Key).FirstOrDefault() ?? AwsAdminProbe.DefaultRegion;
                var groups = account.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
                foreach (var u in account.Users) { _users.TryAdd(u.Arn, u); }
                foreach (var r in account.Roles.Where(r => !r.InstanceProfiles.IsEmpty))
                {
                    if (_byArn.TryGetValue(r.Arn, out var i)) { _hasProfile.Add(i); }
                }
                foreach (var u in account.Users)
                {
                    if (!_byArn.TryGetValue(u.Arn, out var i)) { continue; }
                    foreach (var arn in u.AttachedPolicyArns) { Holder(arn, i); }
                    foreach (var g in u.GroupNames)
                    {
                        if (!groups.TryGetValue(g, out var group)) { continue; }
                        if (!_groupMembers.TryGetValue(group.Arn, out var members)) { _groupMembers[group.Arn] = members = []; }
                        members.Add(i);
                        foreach (var arn in group.AttachedPolicyArns) { Holder(arn, i); }
                    }
                }
                foreach (var r in account.Roles.Where(r => !r.IsServiceLinked))
                {
                    if (!_byArn.TryGetValue(r.Arn, out var i)) { continue; }
                    foreach (var arn in r.AttachedPolicyArns) { Holder(arn, i); }
                }
            }
            void Holder(string arn, int i)
            {
                if (!_policyHolders.TryGetValue(arn, out var list)) { _policyHolders[arn] = list = []; }
                if (list.Count == 0 || list[^1] != i) { list.Add(i); }
            }
        }

        private static IEnumerable<string> Services => AwsTechniques.PassRoleTechniques.Concat(AwsTechniques.ExistingResourceTechniques)
            .Select(t => t.Service!).Distinct(StringComparer.Ordinal);

        private void IndexServiceTrust()
        {
            var found = new ConcurrentDictionary<(int, string), PathCheck>();
            Parallel.For(0, _n, r =>
            {
                var role = Who(r);
                if (role.TrustPolicy is not { } trust || role.IsServiceLinked) { return; }
                foreach (var service in Services)
                {
                    if (!NamesService(trust, service)) { continue; }
                    if (!AwsPrincipal.TryParse(service, out var principal, out _)) { continue; }
                    var request = AwsRequest.Create(principal, "sts:AssumeRole", role.Identity.Id, role.Identity.Scope);
                    var result = AwsAuthorizer.Evaluate(request, new AwsPolicySet { ResourcePolicy = trust });
                    if (result.Decision is Decision.Allow or Decision.Indeterminate) { found[(r, service)] = PathCheck.From(request, result,
                        $"the trust policy lets `{service}` assume the role"); }
                }
            });
            _serviceTrust = new Dictionary<(int, string), PathCheck>(found);
        }

        private static bool NamesService(CompiledPolicy trust, string service) => trust.Statements.Any(st =>
            st.Statement.Principal is { } p && (p.IsWildcard || p.Values.Any(v => v.Type == PrincipalType.Service && string.Equals(v.Value,
                service, StringComparison.OrdinalIgnoreCase))));

        private int Hub(string account, string cls)
        {
            if (_hubs.TryGetValue((account, cls), out var hub)) { return hub; }
            hub = _nodes.Count;
            _nodes.Add(new AttackNode(hub, AttackNodeKind.Hub, $"{cls} of {account}", account, null));
            _hubs[(account, cls)] = hub;
            _hubMembers[hub] = [];
            return hub;
        }

        private int? FindHub(string account, string cls) => _hubs.TryGetValue((account, cls), out var h) ? h : null;

        private void CreateHubs()
        {
            foreach (var (account, members) in _byAccount)
            {
                foreach (var i in members)
                {
                    var who = Who(i);
                    if (who.IsServiceLinked) { continue; }
                    _hubMembers[Hub(account, "principals")].Add(i);
                    if (who.Principal.Kind == AwsPrincipalKind.User)
                    {
                        _hubMembers[Hub(account, "users")].Add(i);
                        var password = who.Identity.Credentials?.ConsolePassword;
                        if (password != true) { _hubMembers[Hub(account, "users without a console password")].Add(i); }
                        if (password != false) { _hubMembers[Hub(account, "users with a console password")].Add(i); }
                        continue;
                    }
                    _hubMembers[Hub(account, "roles")].Add(i);
                    foreach (var service in Services)
                    {
                        if (!_serviceTrust.TryGetValue((i, service), out var check)) { continue; }
                        var hub = Hub(account, $"roles trusting {service}");
                        _hubMembers[hub].Add(i);
                        _memberChecks[Key(hub, i)] = [check];
                        if (service == "ec2.amazonaws.com" && _hasProfile.Contains(i))
                        {
                            var profiled = Hub(account, "roles with an instance profile trusting ec2.amazonaws.com");
                            _hubMembers[profiled].Add(i);
                            _memberChecks[Key(profiled, i)] = [check];
                        }
                    }
                }
            }
        }

        // ---------- one source ----------

        private void Source(int x, Dictionary<int, AttackEdge> edges, List<GrantEdge> grants)
        {
            var who = Who(x);
            // A service-linked role acts only for its service: nobody can obtain its credentials to start a path.
            if (who.IsServiceLinked) { return; }
            var account = who.Identity.Scope;
            var admin = _admins[x];
            if (admin.MaybeAdministrator && FindHub(account, "principals") is { } adminHub)
            {
                Add(edges, new AttackEdge(x, adminHub, AwsTechniques.AccountAdministrator, Certainty(admin.Decision, null), admin.Checks));
                if (admin.IsAdministrator) { return; }
            }
            Credentials(x, edges);
            PassRoles(x, edges);
            ExistingResources(x, edges);
            PolicyWrites(x, grants);
        }

        private void Credentials(int x, Dictionary<int, AttackEdge> edges)
        {
            var account = Who(x).Identity.Scope;
            Targets(x, AwsTechniques.CreateAccessKey, "iam:CreateAccessKey", "users", RequestContext.Empty, [], edges);
            Targets(x, AwsTechniques.CreateLoginProfile, "iam:CreateLoginProfile", "users without a console password", RequestContext.Empty,
                [], edges);
            Targets(x, AwsTechniques.UpdateLoginProfile, "iam:UpdateLoginProfile", "users with a console password", RequestContext.Empty,
                [], edges);
            Targets(x, AwsTechniques.UpdateAssumeRolePolicy, "iam:UpdateAssumeRolePolicy", "roles", RequestContext.Empty, [], edges);
            _ = account;
        }

        /// <summary>
        /// Decides <paramref name="action"/> by <paramref name="x"/> on the members of a hub: once, with an edge to the hub,
        /// when the decision cannot depend on the target; else per member whose ARN its grants can match.
        /// </summary>
        private void Targets(int x, AwsTechnique technique, string action, string cls, RequestContext context,
            ImmutableArray<PathCheck> before,
            Dictionary<int, AttackEdge> edges, string? needs = null)
        {
            if (!Possible(x, action)) { return; }
            var who = Who(x);
            if (FindHub(who.Identity.Scope, cls) is not { } hub) { return; }
            var members = _hubMembers[hub];
            if (members.Count == 0) { return; }
            var prior = Combine(before);
            if (TargetIndependent(x, action))
            {
                var representative = members.FirstOrDefault(m => m != x, members[0]);
                var check = Check(x, action, Who(representative).Identity.Id, context);
                if (check.Decision is Decision.Allow or Decision.Indeterminate)
                {
                    var note = check with
                    {
                        Note = $"decided once for every member of `{cls}` (the statements do not depend on the target; "
                            + $"shown for `{Who(representative).Identity.Name}`)",
                    };
                    Add(edges, new AttackEdge(x, hub, technique, Certainty(AwsAdminProbe.Combine(prior, check.Decision), needs
                        ?? technique.Needs), [.. before, note]));
                }
                return;
            }
            foreach (var m in members)
            {
                if (m == x || !CouldMatchPrincipal(x, action, m)) { continue; }
                var check = Check(x, action, Who(m).Identity.Id, context);
                if (check.Decision is not (Decision.Allow or Decision.Indeterminate)) { continue; }
                var memberChecks = _memberChecks.TryGetValue(Key(hub, m), out var mc) ? mc : [];
                Add(edges, new AttackEdge(x, m, technique, Certainty(AwsAdminProbe.Combine(prior, check.Decision), needs
                    ?? technique.Needs), [.. before, check, .. memberChecks]));
            }
        }

        private void PassRoles(int x, Dictionary<int, AttackEdge> edges)
        {
            if (!Possible(x, "iam:PassRole")) { return; }
            var account = Who(x).Identity.Scope;
            foreach (var t in AwsTechniques.PassRoleTechniques)
            {
                if (ActionGroups(x, t) is not { } checks) { continue; }
                var service = t.Service!;
                var context = RequestContext.Create([new("iam:PassedToService", ContextValue.Single(service))]);
                var cls = $"roles trusting {service}";
                if (service == "ec2.amazonaws.com")
                {
                    var create = ActionGroups(x, ["iam:CreateInstanceProfile"], ["iam:AddRoleToInstanceProfile"],
                        $"arn:aws:iam::{account}:instance-profile/*");
                    if (create is { } c && Combine(c) == Decision.Allow) { checks = [.. checks, .. c]; }
                    else { cls = "roles with an instance profile trusting ec2.amazonaws.com"; }
                }
                Targets(x, t, "iam:PassRole", cls, context, checks, edges);
            }
        }

        private void ExistingResources(int x, Dictionary<int, AttackEdge> edges)
        {
            foreach (var t in AwsTechniques.ExistingResourceTechniques)
            {
                if (ActionGroups(x, t) is not { } checks) { continue; }
                var cls = t.Service == "ec2.amazonaws.com" ? "roles with an instance profile trusting ec2.amazonaws.com"
                    : $"roles trusting {t.Service}";
                if (FindHub(Who(x).Identity.Scope, cls) is not { } hub || _hubMembers[hub].Count == 0) { continue; }
                var decision = Combine(checks);
                Add(edges, new AttackEdge(x, hub, t, Certainty(decision, t.Needs), checks));
            }
        }

        // ---------- policy writes ----------

        private void PolicyWrites(int x, List<GrantEdge> grants)
        {
            var who = Who(x);
            var account = who.Identity.Scope;
            if (!_byAccount.TryGetValue(account, out var principals)) { return; }
            var snapshot = _estate.Inventory.FindAccount(account);
            var attach = RequestContext.Create([new("iam:PolicyARN", ContextValue.Single(AwsAdminProbe.AdministratorAccessArn))]);
            foreach (var action in RoleWrites.Concat(UserWrites))
            {
                var cls = action.Contains("Role", StringComparison.Ordinal) ? "roles" : "users";
                var ctx = action.Contains("Attach", StringComparison.Ordinal) ? attach : RequestContext.Empty;
                WriteTargets(x, AwsTechniques.WritePolicy, action, cls, ctx, grants);
            }
            // Boundary removal: the target's own policies make it an administrator once its boundary is gone.
            foreach (var action in new[] { "iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary" })
            {
                if (!Possible(x, action)) { continue; }
                var cls = action.Contains("Role", StringComparison.Ordinal) ? "roles" : "users";
                var bounded = Bounded(account, cls);
                var targets = new ulong[BitWords.WordCount(_n)];
                var checks = ImmutableArray.CreateBuilder<PathCheck>();
                var decision = Decision.ImplicitDeny;
                foreach (var y in bounded)
                {
                    if (!CouldMatchPrincipal(x, action, y)) { continue; }
                    var without = Probe(y, Who(y) with { Boundaries = [] }).Decision;
                    if (without is not (Decision.Allow or Decision.Indeterminate)) { continue; }
                    var check = Check(x, action, Who(y).Identity.Id, RequestContext.Empty);
                    if (check.Decision is not (Decision.Allow or Decision.Indeterminate)) { continue; }
                    BitWords.Set(targets, y);
                    if (checks.Count == 0) { checks.Add(check); }
                    decision = decision == Decision.ImplicitDeny ? AwsAdminProbe.Combine(without, check.Decision) : decision;
                }
                if (checks.Count > 0) { grants.Add(new GrantEdge(x, AwsTechniques.RemoveBoundary, Certainty(decision, null),
                    checks.ToImmutable(), targets)); }
            }
            if (snapshot is null) { return; }
            // Groups: writing a group's policy reaches its members; adding a user to an administrators' group reaches any user.
            var (groups, policies) = WriteTargetsOf(snapshot);
            foreach (var action in GroupWrites)
            {
                var ctx = action.Contains("Attach", StringComparison.Ordinal) ? attach : RequestContext.Empty;
                GrantOn(x, AwsTechniques.WritePolicy, action, groups, ctx, grants);
            }
            // Customer-managed policies attached to principals: a new default version rewrites their rights.
            GrantOn(x, AwsTechniques.CreatePolicyVersion, "iam:CreatePolicyVersion", policies, RequestContext.Empty, grants);
            GrantOn(x, AwsTechniques.SetDefaultPolicyVersion, "iam:SetDefaultPolicyVersion", policies, RequestContext.Empty, grants);
            if (Possible(x, "iam:AddUserToGroup"))
            {
                GrantOn(x, AwsTechniques.AddUserToGroup, "iam:AddUserToGroup", AdministratorsGroupsOf(snapshot, principals),
                    RequestContext.Empty, grants);
            }
        }

        private readonly ConcurrentDictionary<string, (List<(string, List<int>)> Groups, List<(string,
            List<int>)> Policies)> _writeTargets = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, List<(string, List<int>)>> _adminGroupTargets = new(StringComparer.Ordinal);

        /// <summary>The account's administrators' groups, each reaching every user of the account without a boundary (listed
        /// once).</summary>
        private List<(string, List<int>)> AdministratorsGroupsOf(Aws.Inventory.AwsAccountSnapshot snapshot, List<int> principals) =>
            _adminGroupTargets.GetOrAdd(snapshot.AccountId, _ =>
            {
                var users = principals.Where(p => Who(p).Principal.Kind == AwsPrincipalKind.User && Who(p).Boundaries.IsEmpty).ToList();
                return [.. snapshot.Groups.Where(IsAdministratorsGroup).Select(g => (g.Arn, users))];
            });

        /// <summary>The account's groups with members and customer-managed policies with holders, listed once per account.</summary>
        private (List<(string, List<int>)> Groups, List<(string,
            List<int>)> Policies) WriteTargetsOf(Aws.Inventory.AwsAccountSnapshot snapshot) =>
            _writeTargets.GetOrAdd(snapshot.AccountId, _ => (
                [.. snapshot.Groups.Where(g => _groupMembers.ContainsKey(g.Arn)).Select(g => (g.Arn, _groupMembers[g.Arn]))],
                [.. snapshot.Policies.Where(p => !p.IsAwsManaged && _policyHolders.ContainsKey(p.Arn)).Select(p => (p.Arn,
                    _policyHolders[p.Arn]))]));

        /// <summary>
        /// A group whose policies alone make a member an administrator: decided on a member that has no policy of its own,
        /// no other group and no boundary (the engine's probes on that member); unknown otherwise, and then not counted.
        /// </summary>
        private bool IsAdministratorsGroup(Aws.Inventory.IamGroup group) => _adminGroups.GetOrAdd(group.Arn, _ =>
        {
            if (!_groupMembers.TryGetValue(group.Arn, out var members)) { return false; }
            foreach (var m in members)
            {
                var user = _users[Who(m).Identity.Id];
                if (!user.InlinePolicies.IsEmpty || !user.AttachedPolicyArns.IsEmpty || user.GroupNames.Length != 1) { continue; }
                return Probe(m, Who(m) with { Boundaries = [] }).Decision == Decision.Allow;
            }
            return false;
        });

        /// <summary>The principals of a class with a permissions boundary, in index order (listed once per class).</summary>
        private List<int> Bounded(string account, string cls)
        {
            lock (_bounded)
            {
                if (!_bounded.TryGetValue((account, cls), out var mask))
                {
                    mask = new ulong[BitWords.WordCount(_n)];
                    if (FindHub(account, cls) is { } h)
                    {
                        foreach (var p in _hubMembers[h]) { if (!Who(p).Boundaries.IsEmpty) { BitWords.Set(mask, p); } }
                    }
                    _bounded[(account, cls)] = mask;
                }
                return [.. BitWords.Bits(mask)];
            }
        }

        /// <summary>Policy writes on each target principal of a class (its own user or role ARN is the resource).</summary>
        private void WriteTargets(int x, AwsTechnique technique, string action, string cls, RequestContext context, List<GrantEdge> grants)
        {
            if (!Possible(x, action)) { return; }
            var who = Who(x);
            if (FindHub(who.Identity.Scope, cls) is not { } hub) { return; }
            var members = _hubMembers[hub];
            if (members.Count == 0) { return; }
            var removable = CanRemoveBoundaries(x, cls);
            var targets = new ulong[BitWords.WordCount(_n)];
            var decision = Decision.ImplicitDeny;
            PathCheck? shown = null;
            if (TargetIndependent(x, action))
            {
                var check = Check(x, action, Who(members.FirstOrDefault(m => m == x, members[0])).Identity.Id, context);
                if (check.Decision is not (Decision.Allow or Decision.Indeterminate)) { return; }
                shown = check with { Note = $"decided once for every member of `{cls}` (the statements do not depend on the target)" };
                foreach (var m in members)
                {
                    var made = removable ? _madeAdminNoBoundary[m] : _madeAdmin[m];
                    if (made is Decision.Allow or Decision.Indeterminate) { BitWords.Set(targets, m); decision = Weaker(decision,
                        AwsAdminProbe.Combine(made, check.Decision)); }
                }
            }
            else
            {
                foreach (var m in members)
                {
                    var made = removable ? _madeAdminNoBoundary[m] : _madeAdmin[m];
                    if (made is not (Decision.Allow or Decision.Indeterminate) || !CouldMatchPrincipal(x, action, m)) { continue; }
                    var check = Check(x, action, Who(m).Identity.Id, context);
                    if (check.Decision is not (Decision.Allow or Decision.Indeterminate)) { continue; }
                    BitWords.Set(targets, m);
                    shown ??= check;
                    decision = Weaker(decision, AwsAdminProbe.Combine(made, check.Decision));
                }
            }
            if (shown is not null && !BitWords.IsZero(targets))
            {
                grants.Add(new GrantEdge(x, technique, Certainty(decision, technique.Needs), [shown], targets));
            }
        }

        /// <summary>The best decision seen so far (Allow over Indeterminate), starting from a deny.</summary>
        private static Decision Weaker(Decision current, Decision next) =>
            current == Decision.Allow || next == Decision.Allow ? Decision.Allow
            : current == Decision.Indeterminate || next == Decision.Indeterminate ? Decision.Indeterminate : current;

        private bool CanRemoveBoundaries(int x, string cls)
        {
            var action = cls == "roles" ? "iam:DeleteRolePermissionsBoundary" : "iam:DeleteUserPermissionsBoundary";
            return Possible(x, action) && TargetIndependent(x, action)
                && Check(x, action, $"arn:aws:iam::{Who(x).Identity.Scope}:{(cls == "roles" ? "role" : "user")}/ciem-admin-probe",
                    RequestContext.Empty).Decision == Decision.Allow;
        }

        /// <summary>
        /// A policy write on resources (groups, managed policies) that each reach several principals: one grant edge per
        /// technique with the union of the targets. When the decision cannot depend on the resource it is taken once.
        /// </summary>
        private void GrantOn(int x, AwsTechnique technique, string action, List<(string Resource, List<int> Holders)> items,
            RequestContext context,
            List<GrantEdge> grants)
        {
            if (items.Count == 0 || !Possible(x, action)) { return; }
            var targets = new ulong[BitWords.WordCount(_n)];
            var decision = Decision.ImplicitDeny;
            var shown = new List<PathCheck>();
            var independent = TargetIndependent(x, action);
            var decidedOnce = (PathCheck?)null;
            var matching = _options.Exhaustive ? null : _index.CouldMatch(x, action, items);
            for (var i = 0; i < items.Count; i++)
            {
                var (resource, holders) = items[i];
                PathCheck check;
                if (independent && decidedOnce is not null) { check = decidedOnce; }
                else
                {
                    if (matching is not null && !BitWords.Contains(matching, i)) { continue; }
                    check = Check(x, action, resource, context);
                    if (independent) { decidedOnce = check with { Note = "decided once: the statements do not depend on the resource" }; }
                }
                if (check.Decision is not (Decision.Allow or Decision.Indeterminate)) { if (independent) { return; } continue; }
                var any = false;
                foreach (var h in holders)
                {
                    var made = _madeAdmin[h];
                    if (made is Decision.Allow or Decision.Indeterminate)
                    {
                        BitWords.Set(targets, h);
                        decision = Weaker(decision, AwsAdminProbe.Combine(made, check.Decision));
                        any = true;
                    }
                }
                if (any && shown.Count < 3) { shown.Add(shown.Count == 0 && independent ? decidedOnce! : check); }
            }
            if (BitWords.IsZero(targets)) { return; }
            grants.Add(new GrantEdge(x, technique, Certainty(decision, technique.Needs), [.. shown], targets));
        }

        // ---------- sts:AssumeRole from the trust side ----------

        private List<AttackEdge> AssumeEdges(int r)
        {
            var result = new List<AttackEdge>();
            var role = Who(r);
            if (role.TrustPolicy is not { } trust || role.IsServiceLinked) { return result; }
            var candidates = new ulong[BitWords.WordCount(_n)];
            // A trust statement naming `*` lets a principal of the role's own account in without any grant of its own
            // (a resource policy naming the principal suffices there): every principal is a candidate, decided by the engine.
            var open = _options.Exhaustive;
            foreach (var st in trust.Statements)
            {
                if (st.Effect != Effect.Allow && !st.Statement.EffectUnknown) { continue; }
                if (!st.MatchesAction("sts:AssumeRole")) { continue; }
                if (st.Statement.Principal is not { } principal) { continue; }
                if (principal.IsWildcard || st.Statement.NotPrincipal)
                {
                    open = true;
                    continue;
                }
                foreach (var v in principal.Values.Where(v => v.Type == PrincipalType.Aws))
                {
                    if (v.Value == "*")
                    {
                        open = true;
                    }
                    else if (AccountOf(v.Value) is { } account && IsAccountPrincipal(v.Value))
                    {
                        if (_assumersByAccount.TryGetValue(account, out var members)) { BitWords.OrInPlace(candidates, members); }
                    }
                    else if (_byArn.TryGetValue(v.Value, out var direct)) { BitWords.Set(candidates, direct); }
                    else if (AccountOf(v.Value) is { } acct && _byAccount.TryGetValue(acct, out var same))
                    {
                        // A principal ARN without the path the export shows: the engine decides on the exact ARN.
                        var name = v.Value[(v.Value.LastIndexOf('/') + 1)..];
                        foreach (var p in same) { if (Who(p).Identity.Name == name) { BitWords.Set(candidates, p); } }
                    }
                }
            }
            if (open) { for (var p = 0; p < _n; p++) { BitWords.Set(candidates, p); } }
            var named = Named(trust);
            foreach (var p in BitWords.Bits(candidates))
            {
                if (p == r || Who(p).IsServiceLinked || _admins[p].IsAdministrator
                    && Who(p).Identity.Scope == role.Identity.Scope) { continue; }
                if (!open && !named.Contains(Who(p).Identity.Id) && !CouldMatchPrincipal(p, "sts:AssumeRole", r)) { continue; }
                var check = Check(p, "sts:AssumeRole", role.Identity.Id, RequestContext.Empty, role.Identity.Scope);
                if (check.Decision is Decision.Allow or Decision.Indeterminate)
                {
                    result.Add(new AttackEdge(p, r, AwsTechniques.AssumeRole, Certainty(check.Decision, null), [check]));
                }
            }
            return result;
        }

        /// <summary>Every principal value a trust policy names (a principal named there is decided by the engine, grant or not).</summary>
        private static HashSet<string> Named(CompiledPolicy trust) =>
            [.. trust.Statements.SelectMany(st => st.Statement.Principal is { } p ? p.Values.Select(v => v.Value) : [])];

        private static string? AccountOf(string value)
        {
            if (AwsPrincipal.IsAccountId(value)) { return value; }
            var parts = value.Split(':');
            return parts.Length >= 6 && AwsPrincipal.IsAccountId(parts[4]) ? parts[4] : null;
        }

        private static bool IsAccountPrincipal(string value) => AwsPrincipal.IsAccountId(value) || value.EndsWith(":root",
            StringComparison.Ordinal);

        // ---------- engine and pre-filters ----------

        private PathCheck Check(int x, string action, string resource, RequestContext context, string? resourceAccount = null)
        {
            var who = Who(x);
            var session = AwsAdminProbe.WithRegion(_options.Session, resource, RegionOf(x));
            var request = _estate.CreateRequest(who, action, resource, resourceAccount ?? who.Identity.Scope, AwsAdminProbe.Merge(session,
                context));
            var result = AwsAuthorizer.Evaluate(request, _estate.PolicySetFor(who, request));
            return PathCheck.From(request, result);
        }

        /// <summary>
        /// Each group of a compute technique decided on a placeholder resource (the first alternative the engine allows,
        /// else an indeterminate one); null when a group is denied. A grant naming particular resources only makes the
        /// step indeterminate: the technique works on those resources if they fit.
        /// </summary>
        private ImmutableArray<PathCheck>? ActionGroups(int x, AwsTechnique t) =>
            ActionGroups(x, [.. t.Actions.Select(g => g.ToArray())], null);

        private ImmutableArray<PathCheck>? ActionGroups(int x, string[] first, string[] second, string resource) => ActionGroups(x, [first,
            second], resource);

        private ImmutableArray<PathCheck>? ActionGroups(int x, string[][] groups, string? resource)
        {
            var checks = ImmutableArray.CreateBuilder<PathCheck>();
            var account = Who(x).Identity.Scope;
            foreach (var group in groups)
            {
                PathCheck? best = null;
                foreach (var action in group)
                {
                    if (!Possible(x, action)) { continue; }
                    var check = Check(x, action, resource ?? AwsTechniques.PlaceholderResource(action, account), RequestContext.Empty);
                    if (check.Decision == Decision.Allow) { best = check; break; }
                    if (check.Decision == Decision.Indeterminate) { best ??= check; continue; }
                    if (check.Decision == Decision.ImplicitDeny && OnNamedResources(x, action))
                    {
                        best ??= check with { Decision = Decision.Indeterminate,
                            Note = "allowed only on named resources: possible if one of them fits" };
                    }
                }
                if (best is null) { return null; }
                checks.Add(best);
            }
            return checks.ToImmutable();
        }

        private bool OnNamedResources(int x, string action) =>
            ActionOf(action) is { } a && _effective[x].Grants.Any(g => !g.OnAllResources && g.Actions.Contains(a));

        private static Decision Combine(IEnumerable<PathCheck> checks)
        {
            var d = Decision.Allow;
            foreach (var c in checks) { d = AwsAdminProbe.Combine(d, c.Decision); }
            return d;
        }

        private static EdgeCertainty Certainty(Decision decision, string? needs) =>
            decision == Decision.Indeterminate ? EdgeCertainty.Indeterminate : needs is null ? EdgeCertainty.Certain
                : EdgeCertainty.NeedsResource;

        private AwsAction? ActionOf(string name) => _actions.GetOrAdd(name, n => _catalog.TryGetAction(n, out var a) ? a : null);

        /// <summary>
        /// The effective permissions allow the action somewhere, or unknown content might (always, when the graph is
        /// built exhaustively: every question then goes to the engine).
        /// </summary>
        private bool Possible(int x, string action)
        {
            if (ActionOf(action) is not { } a) { return false; }
            if (_options.Exhaustive) { return true; }
            var e = _effective[x];
            return e.Allowed.Contains(a) || e.Indeterminate.Contains(a);
        }

        /// <summary>Whether one of the source's grants of the action can match the target principal's ARN.</summary>
        private bool CouldMatchPrincipal(int x, string action, int target) => _options.Exhaustive || _index.CouldMatchPrincipal(x, action,
            target);

        /// <summary>The principals allowed sts:AssumeRole somewhere, per account (a trust naming the account reaches them).</summary>
        private void IndexAssumers()
        {
            for (var p = 0; p < _n; p++)
            {
                if (!Possible(p, "sts:AssumeRole")) { continue; }
                var account = Who(p).Identity.Scope;
                if (!_assumersByAccount.TryGetValue(account,
                    out var mask)) { _assumersByAccount[account] = mask = new ulong[BitWords.WordCount(_n)]; }
                BitWords.Set(mask, p);
            }
        }

        /// <summary>
        /// True when no statement that could decide the action by the source depends on the target: every matching
        /// statement of its identity policies, boundary and SCPs applies to `*` without a resource condition.
        /// </summary>
        private bool TargetIndependent(int x, string action)
        {
            var who = Who(x);
            IEnumerable<CompiledPolicy> policies = who.IdentityPolicies.Concat(who.Boundaries).Concat(who.Scps.SelectMany(l => l.Policies));
            foreach (var p in policies)
            {
                foreach (var st in p.Statements)
                {
                    if (!st.MatchesAction(action)) { continue; }
                    var s = st.Statement;
                    if (s.Defect is not null || s.NotResource) { return false; }
                    if (s.HasResourceElement && !s.Resources.All(r => r == "*")) { return false; }
                    if (s.Conditions.Any(c => c.Key.Contains("Resource", StringComparison.OrdinalIgnoreCase) || c.Key.StartsWith("iam:",
                        StringComparison.OrdinalIgnoreCase)
                        && !c.Key.Equals("iam:PassedToService", StringComparison.OrdinalIgnoreCase) && !c.Key.Equals("iam:PolicyARN",
                            StringComparison.OrdinalIgnoreCase)))
                    {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
