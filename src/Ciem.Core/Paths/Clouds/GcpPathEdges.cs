using System.Collections.Immutable;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Paths.Clouds;

/// <summary>A GCP principal of the graph: the node's member id and who asks (with the groups or pool sets it belongs to).</summary>
internal sealed record GcpActor(string Id, GcpPrincipal Principal, string? Name = null);

/// <summary>A service account of the estate: its member, email, the resource its IAM policy is attached to, its unique id.</summary>
internal sealed record GcpServiceAccountNode(string Member, string Email, string Resource, string? UniqueId,
    ImmutableHashSet<string> Ancestry, string? Project);

/// <summary>
/// The GCP edges, each decided by <see cref="GcpAuthorizer"/> (allow bindings with their conditions, deny policies, the
/// hierarchy): token creation (`getAccessToken`, `signJwt`, `signBlob`), implicit delegation, key creation, a service
/// account's own `setIamPolicy`, `actAs` with a compute service, `setIamPolicy` on a project, folder or organisation,
/// updates of a custom role the principal holds, and administrators. Candidate pairs come from the bindings whose roles
/// include a technique's permission (a member matched to the principals, the service accounts under the resource), so
/// pairs no binding can name are never tried.
/// </summary>
internal sealed class GcpPathEdges
{
    private const string GetAccessToken = "iam.serviceAccounts.getAccessToken";
    private const string SignJwt = "iam.serviceAccounts.signJwt";
    private const string SignBlob = "iam.serviceAccounts.signBlob";
    private const string ImplicitDelegation = "iam.serviceAccounts.implicitDelegation";
    private const string KeysCreate = "iam.serviceAccountKeys.create";
    private const string SaSetIamPolicy = "iam.serviceAccounts.setIamPolicy";
    private const string ActAs = "iam.serviceAccounts.actAs";
    private const string RolesUpdate = "iam.roles.update";

    private static readonly string[] ServiceAccountPermissions = [GetAccessToken, SignJwt, SignBlob, ImplicitDelegation, KeysCreate,
        SaSetIamPolicy, ActAs];

    private static readonly (CloudTechnique Technique, string[][] Permissions)[] Compute =
    [
        (CloudTechniques.GcpActAsCompute, [["compute.instances.create"], ["compute.disks.create"], ["compute.subnetworks.use"]]),
        (CloudTechniques.GcpActAsFunctions, [["cloudfunctions.functions.create", "cloudfunctions.functions.sourceCodeSet"]]),
        (CloudTechniques.GcpActAsRun, [["run.services.create", "run.jobs.create"]]),
        (CloudTechniques.GcpActAsCloudBuild, [["cloudbuild.builds.create"]]),
        (CloudTechniques.GcpActAsDataflow, [["dataflow.jobs.create"]]),
        (CloudTechniques.GcpActAsComposer, [["composer.environments.create"]]),
    ];

    private readonly CloudGraphDraft _g;
    private readonly GcpPolicySet _policies;
    private readonly ConditionAttributes _attributes;
    private readonly List<GcpActor> _actors;
    private readonly Dictionary<string, GcpActor> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<GcpServiceAccountNode> _accounts = [];

    private GcpPathEdges(CloudGraphDraft graph, GcpPolicySet policies, DateTimeOffset asOf, IEnumerable<GcpActor> extra)
    {
        _g = graph;
        _policies = policies;
        _attributes = new ConditionAttributes(RequestTime: asOf);
        ServiceAccounts();
        var members = GcpEffectiveAccess.Members(policies).Concat(_accounts.Select(a => a.Member))
            .Where(m => GcpMembers.KindOf(m) is GcpMemberKind.User or GcpMemberKind.ServiceAccount or GcpMemberKind.Principal)
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        _actors = [.. members.Select(m => new GcpActor(m, new GcpPrincipal(m))), .. extra];
        foreach (var a in _actors) { _byId.TryAdd(a.Id, a); }
    }

    /// <summary>The service accounts of the estate, as GCP actors see them (used for cross-cloud edges too).</summary>
    public IReadOnlyList<GcpServiceAccountNode> Accounts => _accounts;

    public static IReadOnlyList<GcpServiceAccountNode> Add(CloudGraphDraft graph, GcpPolicySet policies, DateTimeOffset asOf,
        IEnumerable<GcpActor> extra)
    {
        var edges = new GcpPathEdges(graph, policies, asOf, extra);
        edges.Run();
        return edges.Accounts;
    }

    private int Node(GcpActor actor) => _g.Node(CloudNodeKind.Principal, Provider.GcpName, actor.Id, actor.Name ?? actor.Id);

    private int Node(GcpServiceAccountNode sa) => _g.Node(CloudNodeKind.Principal, Provider.GcpName, sa.Member, sa.Email);

    private void ServiceAccounts()
    {
        var known = new Dictionary<string, ServiceAccount>(StringComparer.OrdinalIgnoreCase);
        foreach (var sa in _policies.Inventory.ServiceAccounts) { known.TryAdd(sa.Email, sa); }
        var emails = known.Keys.Concat(GcpEffectiveAccess.Members(_policies).Where(m =>
            GcpMembers.KindOf(m) == GcpMemberKind.ServiceAccount)
            .Select(m => m["serviceAccount:".Length..])).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        foreach (var email in emails)
        {
            known.TryGetValue(email, out var sa);
            var project = sa?.ProjectId ?? ProjectOfEmail(email);
            var candidates = new List<string> { $"//iam.googleapis.com/projects/{project ?? "-"}/serviceAccounts/{email}" };
            if (sa?.UniqueId is { } id
                && project is not null) { candidates.Add($"//iam.googleapis.com/projects/{project}/serviceAccounts/{id}"); }
            var resource = candidates.FirstOrDefault(c => !_policies.PoliciesOn(c).IsEmpty) ?? candidates[0];
            var ancestry = _policies.Ancestry(resource);
            var projectNode = ancestry.FirstOrDefault(a => GcpResource.KindOf(a) == GcpResourceKind.Project);
            _accounts.Add(new GcpServiceAccountNode("serviceAccount:" + email, email, resource, sa?.UniqueId,
                ancestry.ToImmutableHashSet(StringComparer.Ordinal), projectNode));
        }
    }

    /// <summary>`my-project` of `name@my-project.iam.gserviceaccount.com`; null for Google-managed and default
    /// accounts' other domains.</summary>
    private static string? ProjectOfEmail(string email)
    {
        const string Domain = ".iam.gserviceaccount.com";
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && email.EndsWith(Domain, StringComparison.OrdinalIgnoreCase) && email.Length > at + 1 + Domain.Length
            ? email[(at + 1)..^Domain.Length] : null;
    }

    private void Run()
    {
        foreach (var a in _actors) { Node(a); }
        foreach (var sa in _accounts) { Node(sa); }
        var pairs = new Dictionary<string, HashSet<int>>(StringComparer.OrdinalIgnoreCase);
        var adminScopes = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        var customRoles = new Dictionary<string, List<(string Resource, IamBinding Binding)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var policy in _policies.Inventory.Policies)
        {
            var resource = _policies.Canonical(policy.Resource);
            var hierarchy = GcpResource.KindOf(resource) != GcpResourceKind.Resource;
            var targets = Enumerable.Range(0, _accounts.Count).Where(i => _accounts[i].Ancestry.Contains(resource)).ToList();
            foreach (var binding in policy.Bindings)
            {
                var role = _policies.TryGetRole(binding.Role, out var r) ? r : null;
                var saRelevant = targets.Count > 0 && (role is null || ServiceAccountPermissions.Any(role.Includes));
                var custom = role is { IsCustom: true };
                if (!saRelevant && !hierarchy && !custom) { continue; }
                foreach (var actor in Matching(binding))
                {
                    if (saRelevant)
                    {
                        if (!pairs.TryGetValue(actor.Id, out var set)) { pairs[actor.Id] = set = []; }
                        set.UnionWith(targets);
                    }
                    if (hierarchy)
                    {
                        if (!adminScopes.TryGetValue(actor.Id,
                            out var scopes)) { adminScopes[actor.Id] = scopes = new(StringComparer.Ordinal); }
                        scopes.Add(resource);
                    }
                    if (custom && hierarchy)
                    {
                        if (!customRoles.TryGetValue(actor.Id, out var list)) { customRoles[actor.Id] = list = []; }
                        list.Add((resource, binding));
                    }
                }
            }
        }
        // A binding on an organisation or folder reaches the folders and projects below, whose own setIamPolicy it may hold
        // (roles/owner on an organisation holds projects' setIamPolicy, not the organisation's): probed there too.
        var below = Below();
        foreach (var scopes in adminScopes.Values)
        {
            foreach (var scope in scopes.ToList())
            {
                if (below.TryGetValue(scope, out var nodes)) { scopes.UnionWith(nodes); }
            }
        }
        var delegations = new List<(GcpActor Actor, GcpServiceAccountNode Via, ImmutableArray<string> Evidence, EdgeCertainty Certainty)>();
        var tokens = new Dictionary<string, List<(GcpServiceAccountNode To, ImmutableArray<string> Evidence,
            EdgeCertainty Certainty)>>(StringComparer.OrdinalIgnoreCase);
        var gate = new Lock();
        Parallel.ForEach(_actors, actor =>
        {
            if (pairs.TryGetValue(actor.Id, out var targets))
            {
                foreach (var i in targets.Order())
                {
                    var sa = _accounts[i];
                    if (string.Equals(sa.Member, actor.Id, StringComparison.OrdinalIgnoreCase)) { continue; }
                    var token = ServiceAccountEdges(actor, sa);
                    if (Decide(actor, [[ImplicitDelegation]], sa.Resource) is { } d)
                    {
                        lock (gate) { delegations.Add((actor, sa, d.Evidence, d.Certainty)); }
                    }
                    if (token is { } t)
                    {
                        lock (gate)
                        {
                            if (!tokens.TryGetValue(actor.Id, out var list)) { tokens[actor.Id] = list = []; }
                            list.Add((sa, t.Evidence, t.Certainty));
                        }
                    }
                }
            }
            if (adminScopes.TryGetValue(actor.Id,
                out var scopes)) { foreach (var scope in scopes.Order(StringComparer.Ordinal)) { Administration(actor, scope); } }
            if (customRoles.TryGetValue(actor.Id, out var roles)) { foreach (var (resource, binding) in roles) { CustomRole(actor,
                resource, binding); } }
        });
        // Implicit delegation: the actor asks for a token of C through B when it may delegate through B and B may mint C's.
        foreach (var (actor, via, evidence, certainty) in delegations)
        {
            if (!tokens.TryGetValue(via.Member, out var reachable)) { continue; }
            foreach (var (to, evidence2, certainty2) in reachable)
            {
                if (string.Equals(to.Member, actor.Id, StringComparison.OrdinalIgnoreCase)) { continue; }
                _g.Edge(new CloudEdge(Node(actor), Node(to), CloudTechniques.GcpImplicitDelegation, AzurePathEdges.Weakest(certainty,
                    certainty2),
                    [$"delegates through `{via.Email}`", .. evidence, .. evidence2]));
            }
        }
    }

    /// <summary>The folders and projects below each organisation and folder (of the inventory and of the policies).</summary>
    private Dictionary<string, List<string>> Below()
    {
        var nodes = _policies.Resources.Select(r => _policies.Canonical(r.Name))
            .Concat(_policies.Inventory.Policies.Select(p => _policies.Canonical(p.Resource)))
            .Where(r => GcpResource.KindOf(r) is GcpResourceKind.Folder or GcpResourceKind.Project)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var below = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var ancestor in _policies.Ancestry(node).Skip(1))
            {
                if (!below.TryGetValue(ancestor, out var list)) { below[ancestor] = list = []; }
                list.Add(node);
            }
        }
        return below;
    }

    /// <summary>The actors a binding's member names: exact members directly, groups, domains and sets through the
    /// engine's member match.</summary>
    private IEnumerable<GcpActor> Matching(IamBinding binding)
    {
        foreach (var member in binding.Members)
        {
            var canonical = GcpMembers.Canonical(member);
            var kind = GcpMembers.KindOf(canonical);
            if (kind is GcpMemberKind.User or GcpMemberKind.ServiceAccount or GcpMemberKind.Principal)
            {
                if (_byId.TryGetValue(canonical, out var exact)) { yield return exact; }
                if (kind != GcpMemberKind.Principal) { continue; }
            }
            if (kind is GcpMemberKind.Deleted) { continue; }
            foreach (var actor in _actors)
            {
                if (GcpMembers.Match(_policies.WithGroups(actor.Principal), canonical) != Truth.False) { yield return actor; }
            }
        }
    }

    /// <summary>Token creation, key creation, the account's own policy and actAs with compute: the best edge to the
    /// account (null when none).</summary>
    private (ImmutableArray<string> Evidence, EdgeCertainty Certainty)? ServiceAccountEdges(GcpActor actor, GcpServiceAccountNode sa)
    {
        var from = Node(actor);
        var to = Node(sa);
        (ImmutableArray<string> Evidence, EdgeCertainty Certainty)? token = null;
        foreach (var (technique, permission) in new[]
        {
            (CloudTechniques.GcpGetAccessToken, GetAccessToken), (CloudTechniques.GcpSignJwt, SignJwt), (CloudTechniques.GcpSignBlob,
                SignBlob),
        })
        {
            if (Decide(actor, [[permission]], sa.Resource) is not { } d) { continue; }
            _g.Edge(new CloudEdge(from, to, technique, d.Certainty, d.Evidence));
            if (token is null || d.Certainty < token.Value.Certainty) { token = (d.Evidence, d.Certainty); }
        }
        if (Decide(actor, [[KeysCreate]], sa.Resource) is { } key)
        {
            _g.Edge(new CloudEdge(from, to, CloudTechniques.GcpServiceAccountKey, key.Certainty,
                [.. key.Evidence, "organisation policy constraints (iam.disableServiceAccountKeyCreation) are not imported"]));
        }
        if (Decide(actor, [[SaSetIamPolicy]], sa.Resource) is { } own)
        {
            _g.Edge(new CloudEdge(from, to, CloudTechniques.GcpServiceAccountSetIamPolicy, own.Certainty, own.Evidence));
        }
        if (Decide(actor, [[ActAs]], sa.Resource) is { } actAs && sa.Project is { } project)
        {
            foreach (var (technique, permissions) in Compute)
            {
                if (Decide(actor, permissions, project) is not { } run) { continue; }
                _g.Edge(new CloudEdge(from, to, technique, AzurePathEdges.Weakest(actAs.Certainty, run.Certainty),
                    [.. actAs.Evidence, .. run.Evidence,
                        $"the resource is created in the account's project `{project}` (other projects are not tried)"]));
            }
        }
        return token;
    }

    private static string SetIamPolicyOf(string resource) => GcpResource.KindOf(resource) switch
    {
        GcpResourceKind.Organization => "resourcemanager.organizations.setIamPolicy",
        GcpResourceKind.Folder => "resourcemanager.folders.setIamPolicy",
        _ => "resourcemanager.projects.setIamPolicy",
    };

    private int Goal(string resource)
    {
        var name = _policies.TryGetResource(resource, out var r) && r.DisplayName is { } display ? $"{resource} ({display})" : resource;
        return _g.Administrator(Provider.GcpName, resource, $"administrator of `{name}`");
    }

    private void Administration(GcpActor actor, string resource)
    {
        var from = Node(actor);
        // Every administrator probe includes setIamPolicy: without it, neither administrator nor grantor.
        if (Decide(actor, [[SetIamPolicyOf(resource)]], resource) is not { } set) { return; }
        _g.Grant(new CloudGrant(from, Goal(resource), CloudTechniques.GcpSetIamPolicy, set.Certainty, [.. set.Evidence,
            "grants any role on it to any member"]));
        string[][] probes = [[SetIamPolicyOf(resource)], [ActAs], ["compute.instances.create"], ["storage.buckets.delete"]];
        if (Decide(actor, probes, resource) is { } admin)
        {
            _g.Edge(new CloudEdge(from, Goal(resource), CloudTechniques.GcpAdministrator, admin.Certainty, admin.Evidence, Hops: 0));
            return;
        }
        _g.Edge(new CloudEdge(from, Goal(resource), CloudTechniques.GcpSetIamPolicy, set.Certainty, [.. set.Evidence,
            "grants itself roles/owner"]));
    }

    private void CustomRole(GcpActor actor, string resource, IamBinding binding)
    {
        // `projects/P/roles/R` is updated on project P, `organizations/O/roles/R` on organisation O.
        var slash = binding.Role.IndexOf("/roles/", StringComparison.Ordinal);
        if (slash <= 0) { return; }
        var parent = GcpResource.FullName(binding.Role[..slash]);
        if (Decide(actor, [[RolesUpdate]], parent) is not { } update) { return; }
        var certainty = binding.Condition is null ? update.Certainty : EdgeCertainty.Indeterminate;
        var condition = binding.Condition is null ? "" : $" under condition `{binding.Condition}` (the new permissions are as conditional)";
        _g.Edge(new CloudEdge(Node(actor), Goal(resource), CloudTechniques.GcpUpdateCustomRole, certainty,
            [$"holds custom role `{binding.Role}` on `{resource}`{condition}", .. update.Evidence]));
    }

    private (EdgeCertainty Certainty, ImmutableArray<string> Evidence)? Decide(GcpActor actor, string[][] groups, string resource) =>
        Alternatives.Decide(groups, permission =>
        {
            var result = GcpAuthorizer.Evaluate(new GcpRequest(actor.Principal, permission, resource, _attributes), _policies);
            return (result.Decision, Explain(permission, resource, result));
        });

    internal static string Explain(string permission, string resource, GcpEvaluationResult result)
    {
        var bindings = result.Bindings.Select(b =>
            $"binding of `{b.Role}` to `{b.Member}` on `{b.Resource}`{(b.Condition is null ? "" : $" if `{b.Condition}`")}");
        var denies = result.DenyRules.Select(d => $"deny rule {d.Rule} of `{d.Policy}` (undecided)");
        var verdict = result.Decision == Decision.Allow ? "allowed" : "indeterminate";
        return $"`{permission}` on `{resource}`: {verdict} by {string.Join("; ", bindings.Concat(denies))}";
    }
}
