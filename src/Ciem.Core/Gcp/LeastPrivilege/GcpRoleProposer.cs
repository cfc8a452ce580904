using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Core.Gcp.LeastPrivilege;

/// <summary>A permission the member was seen using on a resource (full resource name), and how many times.</summary>
public sealed record GcpObservedPermission(string Permission, string Resource, long Count);

/// <summary>Why a permission is in the proposed role: its calls and the resources it was seen on.</summary>
public sealed record GcpPermissionEvidence(string Permission, long Count, ImmutableArray<string> Resources);

/// <summary>
/// A role bound to <see cref="Member"/> at <see cref="Resource"/>: a custom role with exactly the used permissions
/// (<see cref="IsPredefined"/> false), or the smallest predefined role covering them with at most 10 % more.
/// <see cref="Json"/> is the custom role as `gcloud iam roles create --file` reads it (for a predefined role, the
/// binding); <see cref="Terraform"/> the `google_project_iam_custom_role` and `google_project_iam_member`.
/// </summary>
public sealed record GcpRoleProposal(
    string Member,
    string Role,
    bool IsPredefined,
    string Resource,
    string Project,
    ImmutableArray<string> Permissions,
    string Json,
    string Terraform,
    ImmutableArray<GcpPermissionEvidence> Evidence,
    int GrantedBefore,
    int GrantedAfter,
    string Note);

/// <summary>The proposal, or null when it was not emitted; <see cref="Failures"/> says why.</summary>
public sealed record GcpRoleProposalResult(GcpRoleProposal? Proposal, ImmutableArray<string> Failures)
{
    public bool IsEmitted => Proposal is not null;
}

/// <summary>
/// Proposes, for one member, a role with exactly the permissions observed, bound at the longest common ancestor of the
/// observed resources. Verification replays every observed permission on its resource through
/// <see cref="GcpAuthorizer"/> with the member's bindings (direct and through groups) replaced by the proposed one
/// (deny policies kept): any permission not allowed means no proposal.
/// </summary>
public static class GcpRoleProposer
{
    /// <summary>A predefined role is proposed instead of a custom one when it adds at most this share of permissions.</summary>
    public const double PredefinedExtraShare = 0.10;

    public static GcpRoleProposalResult Propose(GcpPolicySet policies, string member, IEnumerable<GcpObservedPermission> used, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(used);
        var observed = used.Where(u => u.Count > 0).ToList();
        if (observed.Count == 0) { return new(null, [$"no observed permission for member `{member}`"]); }
        var evidence = observed.GroupBy(o => o.Permission, StringComparer.Ordinal)
            .Select(g => new GcpPermissionEvidence(g.Key, g.Sum(o => o.Count),
                [.. g.Select(o => policies.Canonical(o.Resource)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))
            .OrderBy(e => e.Permission, StringComparer.Ordinal).ToImmutableArray();
        var permissions = evidence.Select(e => e.Permission).ToImmutableArray();

        if (NarrowestResource(policies, observed.Select(o => o.Resource)) is not { } resource)
        {
            return new(null, [$"observed resources of `{member}` share no ancestor in the inventory"]);
        }
        if (policies.Ancestry(resource).FirstOrDefault(a => GcpResource.KindOf(a) == GcpResourceKind.Project) is not { } project)
        {
            return new(null, [$"observed resources of `{member}` span projects (common ancestor `{resource}`), so no project custom role covers them"]);
        }
        var projectId = project[(project.LastIndexOf('/') + 1)..];

        var predefined = SmallestPredefined(policies.Catalog, permissions);
        var roleId = "ciem_lp_" + new string([.. GcpMembers.Canonical(member).Split(':').Last().Split('@')[0].Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        var roleName = predefined?.Name ?? $"projects/{projectId}/roles/{roleId}";
        var title = $"Least privilege for {member}";
        var description = string.Create(CultureInfo.InvariantCulture, $"permissions used by {member} up to {asOf:yyyy-MM-dd}, proposed by OpenCIEM");
        var note = predefined is null
            ? $"custom role with the {permissions.Length} used permissions"
            : $"predefined role `{predefined.Name}` covers the {permissions.Length} used permissions with {predefined.PermissionCount - permissions.Length} more (at most {PredefinedExtraShare:P0}), so it is proposed instead of a custom role";

        var replaced = Replace(policies, member, resource, roleName, predefined is null ? new CustomRoleDefinition(roleName, title, "GA", permissions, false) : null);
        var principal = new GcpPrincipal(member);
        var failures = new List<string>();
        foreach (var o in observed)
        {
            var result = GcpAuthorizer.Evaluate(new GcpRequest(principal, o.Permission, o.Resource), replaced);
            if (!result.IsAllowed) { failures.Add($"observed permission `{o.Permission}` on `{o.Resource}` is {result.Decision} with the proposed role in place"); }
        }
        if (failures.Count > 0) { return new(null, [.. failures]); }

        var json = predefined is null ? RoleJson(title, description, permissions) : BindingJson(roleName, member, resource);
        var terraform = Terraform(projectId, resource, project, roleId, roleName, predefined is not null, title, description, permissions, member);
        return new(new GcpRoleProposal(member, roleName, predefined is not null, resource, project, permissions, json, terraform, evidence,
            GcpEffectiveAccess.Compute(policies, member).GrantedCount, GcpEffectiveAccess.Compute(replaced, member).GrantedCount, note), []);
    }

    /// <summary>The nearest resource that is, or is an ancestor of, every given resource; null when there is none.</summary>
    public static string? NarrowestResource(GcpPolicySet policies, IEnumerable<string> resources)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(resources);
        ImmutableArray<string>? first = null;
        HashSet<string>? common = null;
        foreach (var r in resources)
        {
            var ancestry = policies.Ancestry(r);
            first ??= ancestry;
            if (common is null) { common = new(ancestry, StringComparer.Ordinal); }
            else { common.IntersectWith(ancestry); }
        }
        return first?.FirstOrDefault(a => common!.Contains(a));
    }

    /// <summary>The predefined role with fewest permissions that includes all of them and adds at most 10 %; null when none does.</summary>
    public static GcpRole? SmallestPredefined(GcpRoleCatalog catalog, IReadOnlyCollection<string> permissions)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(permissions);
        var limit = (int)Math.Floor(permissions.Count * (1 + PredefinedExtraShare));
        return catalog.Roles
            .Where(r => !r.IsCustom && !r.Deleted && !string.Equals(r.Stage, "DEPRECATED", StringComparison.OrdinalIgnoreCase) && r.PermissionCount <= limit)
            .Where(r => permissions.All(r.Includes))
            .OrderBy(r => r.PermissionCount).ThenBy(r => r.Name, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static GcpPolicySet Replace(GcpPolicySet policies, string member, string resource, string role, CustomRoleDefinition? custom)
    {
        var canonical = GcpMembers.Canonical(member);
        bool Other(string m) => !string.Equals(GcpMembers.Canonical(m), canonical, StringComparison.Ordinal);
        var inventory = policies.Inventory;
        return GcpPolicySet.Create(inventory with
        {
            Policies = [.. inventory.Policies.Select(p => p with { Bindings = [.. p.Bindings.Select(b => b with { Members = [.. b.Members.Where(Other)] })] }),
                new IamPolicy(resource, [new IamBinding(role, [canonical])])],
            Groups = [.. inventory.Groups.Select(g => g with { Members = [.. g.Members.Where(Other)] })],
            CustomRoles = custom is null ? inventory.CustomRoles : [.. inventory.CustomRoles, custom],
        }, policies.Catalog);
    }

    private static string RoleJson(string title, string description, ImmutableArray<string> permissions) =>
        JsonSerializer.Serialize(new { title, description, stage = "GA", includedPermissions = permissions }, Indented) + "\n";

    private static string BindingJson(string role, string member, string resource) =>
        JsonSerializer.Serialize(new { resource, role, members = new[] { member } }, Indented) + "\n";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Terraform(string projectId, string resource, string project, string roleId, string roleName, bool predefined, string title, string description,
        ImmutableArray<string> permissions, string member)
    {
        var text = new StringBuilder();
        var roleRef = Quote(roleName);
        if (!predefined)
        {
            text.Append(CultureInfo.InvariantCulture, $"resource \"google_project_iam_custom_role\" \"{roleId}\" {{\n");
            text.Append(CultureInfo.InvariantCulture, $"  project     = {Quote(projectId)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  role_id     = {Quote(roleId)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  title       = {Quote(title)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  description = {Quote(description)}\n");
            text.Append("  stage       = \"GA\"\n");
            text.Append(CultureInfo.InvariantCulture, $"  permissions = [{string.Join(", ", permissions.Select(Quote))}]\n}}\n\n");
            roleRef = $"google_project_iam_custom_role.{roleId}.name";
        }
        if (!string.Equals(resource, project, StringComparison.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"# narrowest resource observed is {resource}: bind there with its own *_iam_member resource;\n");
            text.Append("# the project binding below is the project-wide fallback\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"resource \"google_project_iam_member\" \"{roleId}\" {{\n");
        text.Append(CultureInfo.InvariantCulture, $"  project = {Quote(projectId)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  role    = {roleRef}\n");
        text.Append(CultureInfo.InvariantCulture, $"  member  = {Quote(GcpMembers.Canonical(member))}\n}}\n");
        return text.ToString();
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value).Replace("${", "$${", StringComparison.Ordinal);
}
