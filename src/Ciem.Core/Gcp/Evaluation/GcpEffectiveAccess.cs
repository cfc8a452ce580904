using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Gcp.Evaluation;

/// <summary>A binding that grants a role to `allUsers` or `allAuthenticatedUsers`.</summary>
public sealed record PublicBinding(string Resource, int Binding, string Role, string Member, IamCondition? Condition);

/// <summary>
/// What each member can effectively do in GCP: every binding whose members denote it (directly, through a group,
/// its domain, `allAuthenticatedUsers` or `allUsers`) contributes its role's permissions, scoped to the resource
/// where the binding is attached (and so to everything below it). Deny rules then remove or limit grants:
/// an unconditional rule that surely applies to the member, attached at the scope or above it, removes the
/// permission; a rule attached below the scope, with a condition, or whose principals cannot be decided, keeps
/// the grant and is listed in <see cref="PermissionGrant.LimitedBy"/>.
/// <para>
/// Administrator: the member holds, through a binding on an organisation, folder or project that names it surely and
/// has no condition, one of `resourcemanager.organizations.setIamPolicy`, `resourcemanager.folders.setIamPolicy`,
/// `resourcemanager.projects.setIamPolicy`, neither removed nor limited by a deny rule. `roles/owner` qualifies through
/// `resourcemanager.projects.setIamPolicy`; so do `roles/resourcemanager.organizationAdmin`, `folderAdmin`,
/// `projectIamAdmin` and every custom role with one of those permissions.
/// </para>
/// </summary>
public static class GcpEffectiveAccess
{

    private static readonly List<string> NoLimits = [];

    private static readonly string[] AdminPermissions =
        ["resourcemanager.organizations.setIamPolicy", "resourcemanager.folders.setIamPolicy", "resourcemanager.projects.setIamPolicy"];

    /// <summary>Effective access of one member (`user:…`, `serviceAccount:…`, `principal://…`), with extra groups if known.</summary>
    public static EffectiveAccess Compute(GcpPolicySet policies, string member, ImmutableArray<string> groups = default)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(member);
        var principal = policies.WithGroups(new GcpPrincipal(GcpMembers.Canonical(member), groups.IsDefault ? [] : groups));
        var identities = GcpMembers.Identities(principal);
        var diagnostics = new DiagnosticBag();
        var denies = Denies(policies, principal, identities, diagnostics);
        var grants = new Dictionary<(string Permission, string Scope, string? Condition), GrantEntry>();
        var indeterminate = new SortedSet<string>(StringComparer.Ordinal);
        var granted = new HashSet<string>(StringComparer.Ordinal);
        var admin = false;

        var grantedKnown = new PermissionSetBuilder(policies.Catalog);
        var scopes = new Dictionary<string, ScopeDenies>(StringComparer.Ordinal);
        foreach (var policy in policies.Inventory.Policies)
        {
            var scope = policies.Canonical(policy.Resource);
            var isAdminScope = GcpResource.KindOf(scope) != GcpResourceKind.Resource;
            for (var i = 0; i < policy.Bindings.Length; i++)
            {
                var binding = policy.Bindings[i];
                var (memberTruth, via) = MatchBinding(binding, identities, principal);
                if (memberTruth == Truth.False) { continue; }
                if (!policies.TryGetRole(binding.Role, out var role) || role.Deleted)
                {
                    indeterminate.Add($"{binding.Role} on {scope}");
                    diagnostics.Warning(DiagnosticCodes.GcpUnknownRole, $"role `{binding.Role}` of binding {i} on `{scope}` is unknown or deleted; its permissions are not counted");
                    continue;
                }
                if (!scopes.TryGetValue(scope, out var scoped)) { scopes[scope] = scoped = ForScope(denies, scope, policies); }
                var source = Source(binding.Role, scope, via, principal.Member);
                var condition = binding.Condition?.Expression;
                var definite = condition is null && memberTruth == Truth.True;
                string[] bindingLimits = memberTruth == Truth.Unknown ? [$"membership of `{via}` is undecidable"] : [];
                var kept = scoped.Removed.IsEmpty ? role.Permissions : role.Permissions.Except(scoped.Removed);
                foreach (var id in kept.Ids)
                {
                    var permission = policies.Catalog.Permissions[id];
                    var limits = scoped.Limiting.Contains(id) ? scoped.LimitsOf(id) : NoLimits;
                    Add(grants, permission, scope, condition, source, limits, bindingLimits);
                    if (definite && isAdminScope && limits.Count == 0 && AdminPermissions.Contains(permission)) { admin = true; }
                }
                if (definite) { grantedKnown.UnionWith(kept); }
                foreach (var permission in role.UnknownPermissions)
                {
                    var (removed, limits) = Limit(denies, permission, policies.Ancestry(scope), scope, policies);
                    if (removed) { continue; }
                    Add(grants, permission, scope, condition, source, limits, bindingLimits);
                    if (definite) { granted.Add(permission); }
                }
            }
        }
        var grantedCount = grantedKnown.ToPermissionSet().Count + granted.Count;

        var list = grants
            .Select(g => new PermissionGrant(g.Key.Permission, GcpPermission.AccessLevel(g.Key.Permission), g.Key.Scope, g.Key.Condition,
                [.. g.Value.Sources], g.Value.Limits is null ? [] : [.. g.Value.Limits]))
            .OrderBy(g => g.Permission, StringComparer.Ordinal).ThenBy(g => g.Scope, StringComparer.Ordinal).ThenBy(g => g.Condition, StringComparer.Ordinal)
            .ToImmutableArray();
        // A conditional or limited grant still counts when the same permission is also held outright somewhere.
        return new EffectiveAccess(Identity(policies, principal.Member), list, grantedCount, admin, [.. indeterminate], diagnostics.ToImmutable());
    }

    /// <summary>The provenance text of a grant: `roles/viewer on //…/projects/p`, with ` via group:…` when a group (or another member) matched.</summary>
    public static string Source(string role, string scope, string via, string member) =>
        $"{role} on {scope}" + (string.Equals(via, member, StringComparison.OrdinalIgnoreCase) ? "" : $" via {via}");

    /// <summary>
    /// The member of <paramref name="binding"/> that denotes <paramref name="principal"/> (its groups already resolved):
    /// the first surely matching member, else the first that may match; null when none can.
    /// </summary>
    public static (Truth Truth, string Via)? BindingMember(IamBinding binding, GcpPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(principal);
        var (truth, via) = MatchBinding(binding, GcpMembers.Identities(principal), principal);
        return truth == Truth.False ? null : (truth, via);
    }

    /// <summary>Effective access of every individual member found in bindings and group memberships, ordered by id.</summary>
    public static ImmutableArray<EffectiveAccess> ComputeAll(GcpPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return [.. Members(policies).Select(m => Compute(policies, m))];
    }

    /// <summary>The individual members (users, service accounts, single workload/workforce identities) the inputs name.</summary>
    public static ImmutableArray<string> Members(GcpPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var all = policies.Inventory.Policies.SelectMany(p => p.Bindings).SelectMany(b => b.Members)
            .Concat(policies.Inventory.Groups.SelectMany(g => g.Members))
            .Select(GcpMembers.Canonical)
            .Where(m => GcpMembers.KindOf(m) is GcpMemberKind.User or GcpMemberKind.ServiceAccount or GcpMemberKind.Principal);
        return [.. all.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
    }

    /// <summary>Every binding that grants to `allUsers` or `allAuthenticatedUsers`: public access.</summary>
    public static ImmutableArray<PublicBinding> FindPublic(GcpPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var result = ImmutableArray.CreateBuilder<PublicBinding>();
        foreach (var policy in policies.Inventory.Policies)
        {
            for (var i = 0; i < policy.Bindings.Length; i++)
            {
                foreach (var member in policy.Bindings[i].Members.Where(GcpMembers.IsPublic))
                {
                    result.Add(new PublicBinding(policy.Resource, i, policy.Bindings[i].Role, member, policy.Bindings[i].Condition));
                }
            }
        }
        return result.ToImmutable();
    }

    private sealed record DenyEffect(string Attachment, string Description, bool Full, PermissionSet Known, ImmutableArray<string>? Patterns, ImmutableArray<string>? Exceptions);

    private static List<DenyEffect> Denies(GcpPolicySet policies, GcpPrincipal principal, GcpMembers.PrincipalIdentities identities, DiagnosticBag diagnostics)
    {
        var result = new List<DenyEffect>();
        foreach (var (attachment, rules) in policies.AllDenyRules)
        {
            foreach (var rule in rules)
            {
                var denied = Any(rule.Rule.DeniedPrincipals, identities, principal);
                if (denied == Truth.False) { continue; }
                var truth = GcpAuthorizer.And(denied, GcpAuthorizer.Not(Any(rule.Rule.ExceptionPrincipals, identities, principal)));
                if (truth == Truth.False) { continue; }
                var description = $"deny rule {rule.Index} of `{rule.Policy.Name}` on {attachment}"
                    + (rule.Rule.DenialCondition is { } c ? $" when {c.Expression}" : "");
                var known = policies.Catalog.Empty;
                if (rule.Denied is { } patterns && rule.Excepted is { } exceptions)
                {
                    var builder = new PermissionSetBuilder(policies.Catalog);
                    foreach (var p in patterns) { builder.UnionWith(policies.Catalog.Expand(p)); }
                    foreach (var p in exceptions) { builder.ExceptWith(policies.Catalog.Expand(p)); }
                    known = builder.ToPermissionSet();
                }
                else
                {
                    diagnostics.Warning(DiagnosticCodes.GcpBadPermission, $"{description} has a malformed permission; it limits every grant below it");
                    known = policies.Catalog.All;
                }
                var full = truth == Truth.True && rule.Condition is null && rule.Denied is not null && rule.Excepted is not null;
                result.Add(new DenyEffect(attachment, description, full, known, rule.Denied, rule.Excepted));
            }
        }
        return result;
    }

    private static void Add(Dictionary<(string Permission, string Scope, string? Condition), GrantEntry> grants,
        string permission, string scope, string? condition, string source, List<string> limits, string[] bindingLimits)
    {
        var key = (permission, scope, condition);
        if (!grants.TryGetValue(key, out var entry)) { grants[key] = entry = new GrantEntry(source); }
        else if (!entry.Sources.Contains(source)) { entry.Sources.Add(source); }
        if (limits.Count > 0 || bindingLimits.Length > 0)
        {
            entry.Limits ??= new SortedSet<string>(StringComparer.Ordinal);
            entry.Limits.UnionWith(limits);
            entry.Limits.UnionWith(bindingLimits);
        }
    }

    private sealed class GrantEntry(string source)
    {
        public List<string> Sources { get; } = [source];

        public SortedSet<string>? Limits { get; set; }
    }

    /// <summary>For one scope: the permissions surely denied there, and the deny rules that may limit grants there.</summary>
    private sealed class ScopeDenies(PermissionSet removed, PermissionSet limiting, List<DenyEffect> relevant)
    {
        public PermissionSet Removed { get; } = removed;

        public PermissionSet Limiting { get; } = limiting;

        public List<string> LimitsOf(int id) => [.. relevant.Where(d => d.Known.Contains(id)).Select(d => d.Description)];
    }

    private static ScopeDenies ForScope(List<DenyEffect> denies, string scope, GcpPolicySet policies)
    {
        if (denies.Count == 0) { return new ScopeDenies(policies.Catalog.Empty, policies.Catalog.Empty, []); }
        var ancestry = policies.Ancestry(scope);
        var removed = new PermissionSetBuilder(policies.Catalog);
        var limiting = new PermissionSetBuilder(policies.Catalog);
        var relevant = new List<DenyEffect>();
        foreach (var deny in denies)
        {
            var above = ancestry.Contains(deny.Attachment, StringComparer.Ordinal);
            var below = !above && policies.Ancestry(deny.Attachment).Contains(scope, StringComparer.Ordinal);
            if (above && deny.Full) { removed.UnionWith(deny.Known); }
            else if (above || below) { limiting.UnionWith(deny.Known); relevant.Add(deny); }
        }
        var removedSet = removed.ToPermissionSet();
        return new ScopeDenies(removedSet, limiting.ToPermissionSet().Except(removedSet), relevant);
    }

    private static (bool Removed, List<string> Limits) Limit(List<DenyEffect> denies, string permission, ImmutableArray<string> ancestry, string scope, GcpPolicySet policies)
    {
        var limits = new List<string>();
        foreach (var deny in denies)
        {
            if (!Covers(deny, permission, policies.Catalog)) { continue; }
            var above = ancestry.Contains(deny.Attachment, StringComparer.Ordinal);
            var below = !above && policies.Ancestry(deny.Attachment).Contains(scope, StringComparer.Ordinal);
            if (!above && !below) { continue; }
            if (above && deny.Full) { return (true, []); }
            limits.Add(deny.Description);
        }
        return (false, limits);
    }

    private static bool Covers(DenyEffect deny, string permission, GcpRoleCatalog catalog)
    {
        if (catalog.TryGetPermissionId(permission, out var id)) { return deny.Known.Contains(id); }
        if (deny.Patterns is not { } patterns || deny.Exceptions is not { } exceptions) { return true; }
        return patterns.Any(p => GcpPermission.Matches(p, permission)) && !exceptions.Any(p => GcpPermission.Matches(p, permission));
    }

    private static (Truth, string) MatchBinding(IamBinding binding, GcpMembers.PrincipalIdentities identities, GcpPrincipal principal)
    {
        var result = (Truth.False, "");
        foreach (var m in binding.Members)
        {
            var t = GcpMembers.Match(identities, m);
            if (t == Truth.True) { return (Truth.True, GcpMembers.Canonical(m)); }
            if (t == Truth.Unknown && result.Item1 == Truth.False) { result = (Truth.Unknown, m); }
        }
        return result;
    }

    private static Truth Any(ImmutableArray<string> members, GcpMembers.PrincipalIdentities identities, GcpPrincipal principal)
    {
        var result = Truth.False;
        foreach (var m in members)
        {
            var t = GcpMembers.Match(identities, m);
            if (t == Truth.True) { return Truth.True; }
            if (t == Truth.Unknown) { result = Truth.Unknown; }
        }
        return result;
    }

    private static Identity Identity(GcpPolicySet policies, string member)
    {
        var kind = GcpMembers.KindOf(member);
        var colon = member.IndexOf(':', StringComparison.Ordinal);
        var name = kind == GcpMemberKind.Principal ? member[(member.LastIndexOf('/') + 1)..] : colon < 0 ? member : member[(colon + 1)..];
        var identityKind = kind switch
        {
            GcpMemberKind.ServiceAccount => IdentityKind.ServiceIdentity,
            GcpMemberKind.Principal when member.Contains("/workloadIdentityPools/", StringComparison.Ordinal) => IdentityKind.ServiceIdentity,
            _ => IdentityKind.HumanUser,
        };
        var scope = "";
        if (kind == GcpMemberKind.ServiceAccount && name.IndexOf('@', StringComparison.Ordinal) is var at && at > 0)
        {
            var domain = name[(at + 1)..];
            const string suffix = ".iam.gserviceaccount.com";
            scope = domain.EndsWith(suffix, StringComparison.Ordinal) ? "projects/" + domain[..^suffix.Length] : domain;
        }
        else if (policies.Resources.Where(r => r.Kind == GcpResourceKind.Organization).Take(2).ToList() is [var org])
        {
            scope = org.Name;
        }
        return new Identity(Provider.GcpName, member, name, identityKind, scope, [], null, null);
    }
}
