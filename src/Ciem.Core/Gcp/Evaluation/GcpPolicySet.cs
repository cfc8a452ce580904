using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Core.Gcp.Evaluation;

/// <summary>A deny rule with its permissions mapped to v1 patterns (null: a malformed permission, so the rule's reach is unknown).</summary>
internal sealed record CompiledDenyRule(
    DenyPolicy Policy,
    int Index,
    DenyRule Rule,
    ImmutableArray<string>? Denied,
    ImmutableArray<string>? Excepted,
    ConditionExpression? Condition)
{
    /// <summary>How diagnostics name the rule.</summary>
    public string Where { get; } = $"rule {Index} of deny policy `{Policy.Name}`";
}

/// <summary>
/// Every GCP input in memory, indexed for evaluation: the hierarchy (with aliases), allow policies by resource, deny
/// policies by attachment point, predefined and custom roles, transitive group memberships, compiled conditions.
/// Problems found while indexing (a parent cycle, a malformed deny permission) are in <see cref="Diagnostics"/>.
/// </summary>
public sealed class GcpPolicySet
{
    private readonly FrozenDictionary<string, GcpResource> _nodes;
    private readonly FrozenDictionary<string, string> _canonical;
    private readonly FrozenDictionary<string, ImmutableArray<IamPolicy>> _allow;
    private readonly FrozenDictionary<string, ImmutableArray<CompiledDenyRule>> _deny;
    private readonly FrozenDictionary<string, GcpRole> _customRoles;
    private readonly FrozenDictionary<string, ImmutableArray<string>> _directGroups;
    private readonly ConcurrentDictionary<string, ConditionExpression> _conditions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<string>> _ancestry = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<string>> _groupsOf = new(StringComparer.OrdinalIgnoreCase);

    private GcpPolicySet(GcpInventory inventory, GcpRoleCatalog catalog)
    {
        Inventory = inventory;
        Catalog = catalog;
        var diagnostics = new DiagnosticBag();
        var nodes = new Dictionary<string, GcpResource>(StringComparer.Ordinal);
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in inventory.Resources)
        {
            // A later record of the same node completes an earlier one (an IAM-policy asset has no parent).
            if (nodes.TryGetValue(resource.Name, out var known))
            {
                nodes[resource.Name] = known with
                {
                    Parent = known.Parent ?? resource.Parent,
                    Aliases = [.. known.Aliases.Union(resource.Aliases)],
                    DisplayName = known.DisplayName ?? resource.DisplayName,
                    Labels = known.Labels ?? resource.Labels,
                };
            }
            else { nodes[resource.Name] = resource; }
        }
        foreach (var node in nodes.Values)
        {
            canonical.TryAdd(node.Name, node.Name);
            foreach (var alias in node.Aliases) { canonical.TryAdd(alias, node.Name); }
        }
        _nodes = nodes.ToFrozenDictionary(StringComparer.Ordinal);
        _canonical = canonical.ToFrozenDictionary(StringComparer.Ordinal);

        _allow = inventory.Policies.GroupBy(p => Canonical(p.Resource), StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _deny = inventory.DenyPolicies
            .SelectMany(p => p.Rules.Select((rule, i) => Compile(p, i, rule, diagnostics)))
            .GroupBy(r => Canonical(r.Policy.AttachmentPoint), StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _customRoles = inventory.CustomRoles
            .Select(r => catalog.CreateRole(r.Name, r.Title, r.Stage, r.IncludedPermissions, isCustom: true, r.Deleted))
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        _directGroups = inventory.Groups
            .SelectMany(g => g.Members.Select(m => (Member: GcpMembers.Canonical(m), Group: GcpMembers.Canonical(Prefixed(g.Group)))))
            .GroupBy(p => p.Member, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Group).Distinct(StringComparer.OrdinalIgnoreCase).ToImmutableArray(), StringComparer.OrdinalIgnoreCase);

        foreach (var node in _nodes.Values)
        {
            if (node.Parent is { } parent && !_canonical.ContainsKey(parent))
            {
                diagnostics.Add(Diagnostic.Info(DiagnosticCodes.GcpDanglingParent,
                    $"the parent `{parent}` of `{node.Name}` is not in the inventory; policies above it are not seen"));
            }
        }
        foreach (var node in _nodes.Keys)
        {
            if (HasCycle(node)) { diagnostics.Error(DiagnosticCodes.GcpHierarchyCycle, $"the parents of `{node}` form a cycle; its ancestry stops where the cycle begins"); }
        }
        Diagnostics = diagnostics.ToImmutable();
    }

    public static GcpPolicySet Create(GcpInventory inventory, GcpRoleCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return new GcpPolicySet(inventory, catalog ?? GcpRoleCatalog.Default);
    }

    public GcpInventory Inventory { get; }

    public GcpRoleCatalog Catalog { get; }

    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public IEnumerable<GcpResource> Resources => _nodes.Values;

    /// <summary>The node's own name when <paramref name="name"/> is one of its aliases (a project id for its number), else the name itself.</summary>
    public string Canonical(string name)
    {
        var full = GcpResource.FullName(name);
        return _canonical.TryGetValue(full, out var c) ? c : full;
    }

    public bool TryGetResource(string name, [NotNullWhen(true)] out GcpResource? resource) => _nodes.TryGetValue(Canonical(name), out resource);

    /// <summary>
    /// The resource and its ancestors, nearest first, ending at the organisation when the hierarchy is complete. A
    /// resource not in the inventory whose name contains `projects/ID/` is placed under that project.
    /// </summary>
    public ImmutableArray<string> Ancestry(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return _ancestry.GetOrAdd(Canonical(resource), ComputeAncestry);
    }

    /// <summary>A predefined role from the catalog or a custom role from the inventory.</summary>
    public bool TryGetRole(string name, [NotNullWhen(true)] out GcpRole? role) =>
        _customRoles.TryGetValue(name, out role) || Catalog.TryGetRole(name, out role);

    public IEnumerable<GcpRole> CustomRoles => _customRoles.Values;

    /// <summary>The allow policies attached to exactly this node (canonical name).</summary>
    public ImmutableArray<IamPolicy> PoliciesOn(string resource) => _allow.TryGetValue(Canonical(resource), out var p) ? p : [];

    internal ImmutableArray<CompiledDenyRule> DenyRulesOn(string resource) => _deny.TryGetValue(Canonical(resource), out var r) ? r : [];

    internal IEnumerable<KeyValuePair<string, ImmutableArray<CompiledDenyRule>>> AllDenyRules => _deny;

    /// <summary>Every group the member belongs to, directly or through nested groups (canonical `group:` identifiers).</summary>
    public ImmutableArray<string> GroupsOf(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return _directGroups.Count == 0 ? [] : _groupsOf.GetOrAdd(member, ComputeGroups);
    }

    private ImmutableArray<string> ComputeGroups(string member)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>();
        queue.Enqueue(GcpMembers.Canonical(member));
        while (queue.Count > 0)
        {
            if (!_directGroups.TryGetValue(queue.Dequeue(), out var groups)) { continue; }
            foreach (var g in groups)
            {
                if (seen.Add(g)) { result.Add(g); queue.Enqueue(g); }
            }
        }
        return [.. result];
    }

    /// <summary>The principal with its group memberships from the inventory added to those it already lists.</summary>
    public GcpPrincipal WithGroups(GcpPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var groups = GroupsOf(principal.Member);
        foreach (var g in principal.Groups) { groups = groups.AddRange(GroupsOf(g)); }
        return groups.IsEmpty ? principal : principal with { Groups = [.. principal.Groups.Concat(groups).Distinct(StringComparer.OrdinalIgnoreCase)] };
    }

    internal ConditionExpression Condition(IamCondition condition) => _conditions.GetOrAdd(condition.Expression, ConditionExpression.Parse);

    private ImmutableArray<string> ComputeAncestry(string name)
    {
        var chain = ImmutableArray.CreateBuilder<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = name;
        while (current is not null && seen.Add(current))
        {
            chain.Add(current);
            current = _nodes.TryGetValue(current, out var node) && node.Parent is { } parent ? Canonical(parent) : ImpliedBucket(current) ?? ImpliedProject(current);
        }
        return chain.ToImmutable();
    }

    /// <summary>
    /// Cloud Storage names not in the inventory: an object's parent is its bucket, and a bucket named as audit logs name it
    /// (`//storage.googleapis.com/projects/_/buckets/B`) is the inventory's `//storage.googleapis.com/B` when that is known.
    /// </summary>
    private string? ImpliedBucket(string name)
    {
        const string Storage = "//storage.googleapis.com/";
        if (!name.StartsWith(Storage, StringComparison.Ordinal)) { return null; }
        var path = name[Storage.Length..];
        var logged = path.StartsWith("projects/_/buckets/", StringComparison.Ordinal);
        if (logged) { path = path["projects/_/buckets/".Length..]; }
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && path.AsSpan(slash).StartsWith("/objects/", StringComparison.Ordinal))
        {
            // An object (`B/objects/…`): its bucket, in the form the name used.
            return Canonical(Storage + (logged ? "projects/_/buckets/" : "") + path[..slash]);
        }
        return logged && _nodes.ContainsKey(Storage + path) ? Storage + path : null;
    }

    private string? ImpliedProject(string name)
    {
        if (GcpResource.KindOf(name) != GcpResourceKind.Resource) { return null; }
        var at = name.IndexOf("/projects/", StringComparison.Ordinal);
        if (at < 0) { return null; }
        var start = at + "/projects/".Length;
        var end = name.IndexOf('/', start);
        var id = end < 0 ? name[start..] : name[start..end];
        if (id == "-" && end > 0 && name.AsSpan(end).StartsWith("/serviceAccounts/", StringComparison.Ordinal))
        {
            // `projects/-/serviceAccounts/NAME@PROJECT.iam.gserviceaccount.com`: the project is in the address (a numeric
            // unique id names no project, so it stays without one).
            const string Domain = ".iam.gserviceaccount.com";
            var email = name[(end + "/serviceAccounts/".Length)..];
            var sign = email.IndexOf('@', StringComparison.Ordinal);
            if (sign > 0 && email.EndsWith(Domain, StringComparison.Ordinal) && email.Length > sign + 1 + Domain.Length)
            {
                id = email[(sign + 1)..^Domain.Length];
            }
        }
        return id is "" or "_" or "-" ? null : Canonical(GcpResource.ResourceManager + "projects/" + id);
    }

    private bool HasCycle(string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = start; current is not null;)
        {
            if (!seen.Add(current)) { return current == start; }
            current = _nodes.TryGetValue(current, out var node) && node.Parent is { } p ? Canonical(p) : null;
        }
        return false;
    }

    private static string Prefixed(string group) =>
        group.Contains(':', StringComparison.Ordinal) ? group : "group:" + group;

    private CompiledDenyRule Compile(DenyPolicy policy, int index, DenyRule rule, DiagnosticBag diagnostics)
    {
        ImmutableArray<string>? Patterns(ImmutableArray<string> permissions, string field)
        {
            var patterns = ImmutableArray.CreateBuilder<string>(permissions.Length);
            foreach (var permission in permissions)
            {
                if (!GcpPermission.TryToV1Pattern(permission, out var pattern))
                {
                    diagnostics.Error(DiagnosticCodes.GcpBadPermission,
                        $"`{permission}` in `{field}` of rule {index} of deny policy `{policy.Name}` is not a permission; the rule is indeterminate");
                    return null;
                }
                patterns.Add(pattern);
            }
            return patterns.MoveToImmutable();
        }
        var condition = rule.DenialCondition is { } c ? _conditions.GetOrAdd(c.Expression, ConditionExpression.Parse) : null;
        if (condition?.Error is { } error)
        {
            diagnostics.Warning(DiagnosticCodes.GcpConditionUnsupported,
                $"denial condition of rule {index} of deny policy `{policy.Name}` is outside the supported subset: {error}");
        }
        return new CompiledDenyRule(policy, index, rule, Patterns(rule.DeniedPermissions, "deniedPermissions"),
            Patterns(rule.ExceptionPermissions, "exceptionPermissions"), condition);
    }
}
