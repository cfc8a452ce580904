using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Text;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Gcp.Usage;
using Ciem.Core.Model;

namespace Ciem.Core.Gcp.LeastPrivilege;

/// <summary>A permission the member was seen using on a resource (full resource name), and how many times.</summary>
public sealed record GcpObservedPermission(string Permission, string Resource, long Count);

/// <summary>
/// Why a permission is in the proposed role: its calls and the resources it was seen on, and the reason it is kept —
/// used in the window, seasonal (used only in the lookback), an exception, or unknown (not recorded by the logs).
/// </summary>
public sealed record GcpPermissionEvidence(string Permission, long Count, ImmutableArray<string> Resources, KeepReason Reason = KeepReason.Used);

/// <summary>
/// What a proposal takes beyond the window's usage (all optional, so callers of the first API keep working):
/// <see cref="Lookback"/> usage before the window (seasonal permissions are kept, marked); <see cref="KeepPermissions"/>
/// exceptions kept when granted (`ciem propose --keep`, as for AWS); <see cref="Recording"/> which granted permissions
/// the audit logs cannot show used — kept, marked <see cref="KeepReason.NotRecorded"/>, for the services the member was
/// seen using, unless <see cref="DropUnknown"/>; and the window and the days with logged usage in it, for the confidence.
/// Calling the proposer without options proposes exactly the observed permissions.
/// </summary>
public sealed record GcpProposalOptions
{
    public IReadOnlyList<GcpObservedPermission> Lookback { get; init; } = [];

    public ImmutableHashSet<string> KeepPermissions { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    public GcpUsageRecording Recording { get; init; } = GcpUsageRecording.AdminActivityOnly;

    public bool DropUnknown { get; init; }

    public int WindowDays { get; init; } = 90;

    /// <summary>Days of the window with logged usage of the provider; null counts the whole window as covered.</summary>
    public int? ObservedDays { get; init; }
}

/// <summary>
/// A role bound to <see cref="Member"/> at <see cref="Resource"/>: a custom role with exactly the used permissions
/// (<see cref="IsPredefined"/> false), or the smallest predefined role covering them with at most 10 % more.
/// <see cref="Json"/> is the custom role as `gcloud iam roles create --file` reads it (for a predefined role, the
/// binding); <see cref="Terraform"/> the custom role (`google_project_iam_custom_role`, or
/// `google_organization_iam_custom_role` when the binding is on a folder or the organisation, where a project role
/// cannot be granted) and the member binding at <see cref="Resource"/>: `google_project_iam_member`,
/// `google_storage_bucket_iam_member`, `google_service_account_iam_member`, `google_folder_iam_member` or
/// `google_organization_iam_member`.
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
    string Note,
    ProposalConfidence? Confidence = null)
{
    /// <summary>The permissions granted before and not after (what `ciem reductions` follows once delivered), ordinal order.</summary>
    public ImmutableArray<string> Removed { get; init; } = [];
}

/// <summary>The proposal, or null when it was not emitted; <see cref="Failures"/> says why.</summary>
public sealed record GcpRoleProposalResult(GcpRoleProposal? Proposal, ImmutableArray<string> Failures)
{
    public bool IsEmitted => Proposal is not null;
}

/// <summary>
/// Proposes, for one member, a role with the permissions observed in the window and, with
/// <see cref="GcpProposalOptions"/>, the seasonal ones, the configured exceptions and the granted permissions the audit
/// logs cannot show used (unknown) for the services it used — each marked — bound at the longest common ancestor of the
/// observed resources (a bucket, a service account, a project, a folder or the organisation). Verification replays every
/// observed permission (window and lookback) on its resource through <see cref="GcpAuthorizer"/> with the member's
/// bindings (direct and through groups) replaced by the proposed one (deny policies kept): any permission not allowed
/// means no proposal.
/// </summary>
public static class GcpRoleProposer
{
    /// <summary>A predefined role is proposed instead of a custom one when it adds at most this share of permissions.</summary>
    public const double PredefinedExtraShare = 0.10;

    public static GcpRoleProposalResult Propose(GcpPolicySet policies, string member, IEnumerable<GcpObservedPermission> used, DateTimeOffset asOf) =>
        Propose(policies, member, used, asOf, null);

    public static GcpRoleProposalResult Propose(GcpPolicySet policies, string member, IEnumerable<GcpObservedPermission> used, DateTimeOffset asOf, GcpProposalOptions? options)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(used);
        // Without options, exactly the permissions observed, as before options existed.
        options ??= new GcpProposalOptions { DropUnknown = true };
        var window = used.Where(u => u.Count > 0).ToList();
        var windowPermissions = window.Select(o => o.Permission).ToHashSet(StringComparer.Ordinal);
        var seasonal = options.Lookback.Where(u => u.Count > 0 && !windowPermissions.Contains(u.Permission)).ToList();
        var observed = window.Concat(seasonal).ToList();
        if (observed.Count == 0) { return new(null, [$"no observed permission for member `{member}`"]); }
        var kept = Evidence(policies, window, KeepReason.Used).Concat(Evidence(policies, seasonal, KeepReason.Seasonal)).ToList();
        var keys = kept.Select(e => e.Permission).ToHashSet(StringComparer.Ordinal);
        var usedServices = observed.Select(o => GcpUsageRecording.ServiceOf(o.Permission)).ToHashSet(StringComparer.Ordinal);
        var before = GcpEffectiveAccess.Compute(policies, member);
        foreach (var permission in before.Grants.Select(g => g.Permission).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (keys.Contains(permission)) { continue; }
            KeepReason? reason = options.KeepPermissions.Contains(permission) ? KeepReason.Exception
                : !options.DropUnknown && usedServices.Contains(GcpUsageRecording.ServiceOf(permission)) && !options.Recording.Recording(permission).Recorded ? KeepReason.NotRecorded
                : null;
            if (reason is { } r && keys.Add(permission)) { kept.Add(new GcpPermissionEvidence(permission, 0, [], r)); }
        }
        var evidence = kept.OrderBy(e => e.Permission, StringComparer.Ordinal).ToImmutableArray();
        var permissions = evidence.Select(e => e.Permission).ToImmutableArray();

        if (NarrowestResource(policies, observed.Select(o => o.Resource)) is not { } resource)
        {
            return new(null, [$"observed resources of `{member}` share no ancestor in the inventory"]);
        }
        var ancestry = policies.Ancestry(resource);
        var project = ancestry.FirstOrDefault(a => GcpResource.KindOf(a) == GcpResourceKind.Project);
        var organization = ancestry.FirstOrDefault(a => GcpResource.KindOf(a) == GcpResourceKind.Organization);
        if (ancestry.All(a => GcpResource.KindOf(a) == GcpResourceKind.Resource))
        {
            return new(null, [$"observed resources of `{member}` share no ancestor in the inventory (`{resource}` is under no project, folder or organisation it holds)"]);
        }
        if (project is null && organization is null)
        {
            return new(null, [$"observed resources of `{member}` span projects (common ancestor `{resource}`) outside any organisation in the inventory, so no custom role can be granted there"]);
        }
        // Never beyond the original: a binding on a folder or the organisation (usage spread over projects) must not reach
        // further than the member's own grants there — usage in two projects each granted separately, or through a grant
        // not imported, would otherwise become access to every project of the folder.
        if (project is null)
        {
            var reach = ancestry.ToHashSet(StringComparer.Ordinal);
            var held = before.Grants.Where(g => reach.Contains(g.Scope)).Select(g => g.Permission).ToHashSet(StringComparer.Ordinal);
            var beyond = evidence.Where(e => e.Reason is KeepReason.Used or KeepReason.Seasonal).Select(e => e.Permission).Where(p => !held.Contains(p)).ToList();
            if (beyond.Count > 0)
            {
                return new(null, [$"observed resources of `{member}` span projects (common ancestor `{resource}`) and it holds `{beyond[0]}`{(beyond.Count > 1 ? $" and {beyond.Count - 1} more" : "")} on none of the ancestors of that common ancestor: a binding there would reach beyond what it holds today"]);
            }
        }
        var projectId = project is null ? null : ProjectIdOf(policies, project);
        var projectKey = projectId ?? project?[(project.LastIndexOf('/') + 1)..] ?? "";
        var orgId = organization is null ? "" : organization[(organization.LastIndexOf('/') + 1)..];

        var predefined = SmallestPredefined(policies.Catalog, permissions);
        var roleId = "ciem_lp_" + HclText.Identifier(GcpMembers.Canonical(member).Split(':').Last().Split('@')[0], 'm');
        // GCP names a project's custom role by the project id; the number stands in only when the id is unknown (said below).
        var roleName = predefined?.Name
            ?? (project is null ? $"organizations/{orgId}/roles/{roleId}" : $"projects/{projectKey}/roles/{roleId}");
        var title = $"Least privilege for {member}";
        var description = string.Create(CultureInfo.InvariantCulture, $"permissions used by {member} up to {asOf:yyyy-MM-dd}, proposed by OpenCIEM");
        var note = predefined is null
            ? $"custom role with the {permissions.Length} kept permissions"
            : $"predefined role `{predefined.Name}` covers the {permissions.Length} used permissions with {predefined.PermissionCount - permissions.Length} more (at most {PredefinedExtraShare:P0}), so it is proposed instead of a custom role";
        var target = new TerraformTarget(projectId, projectKey, orgId, resource, project);
        if (project is not null && projectId is null && NamesTheProject(target, predefined is not null))
        {
            note += $"; the project id of project number `{projectKey}` is not in the inventory (only its number is): the Terraform "
                + $"asks for it (`var.{ProjectVariable(projectKey)}`) and GCP will name the role `projects/PROJECT_ID/roles/{roleId}`; "
                + "import the project's record (a Cloud Asset resource export, or `gcloud projects list --format=json`) to name it";
        }

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
        var terraform = Terraform(target, roleId, roleName, predefined is not null, title, description, permissions, member);
        var confidence = ProposalConfidence.Compute(options.WindowDays, options.ObservedDays ?? options.WindowDays, window.Sum(o => o.Count),
            evidence.Count(e => e.Reason == KeepReason.NotRecorded), evidence.Length);
        var after = GcpEffectiveAccess.Compute(replaced, member);
        var keptAfter = after.Grants.Select(g => g.Permission).ToHashSet(StringComparer.Ordinal);
        return new(new GcpRoleProposal(member, roleName, predefined is not null, resource, project ?? organization!, permissions, json, terraform, evidence,
            before.GrantedCount, after.GrantedCount, note, confidence)
        {
            Removed = [.. before.Grants.Select(g => g.Permission).Where(p => !keptAfter.Contains(p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        }, []);
    }

    private static IEnumerable<GcpPermissionEvidence> Evidence(GcpPolicySet policies, IEnumerable<GcpObservedPermission> observed, KeepReason reason) => observed
        .GroupBy(o => o.Permission, StringComparer.Ordinal)
        .Select(g => new GcpPermissionEvidence(g.Key, g.Sum(o => o.Count),
            [.. g.Select(o => policies.Canonical(o.Resource)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], reason));

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

    /// <summary>
    /// The id of a project (`acme-prod`): the last segment of its name or of an alias (the reader keeps the id of a
    /// project named by number as an alias) that is not all digits — a project number is, a project id starts with a
    /// letter; null when the inventory knows the project only by its number.
    /// </summary>
    public static string? ProjectIdOf(GcpPolicySet policies, string project)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(project);
        var names = policies.TryGetResource(project, out var node) ? node.Aliases.Prepend(node.Name) : [GcpResource.FullName(project)];
        return names.Where(n => GcpResource.KindOf(n) == GcpResourceKind.Project)
            .Select(n => n[(n.LastIndexOf('/') + 1)..])
            .FirstOrDefault(s => s.Length > 0 && !s.All(char.IsAsciiDigit));
    }

    /// <summary>
    /// Where a proposal is bound: the project id (null when unknown), the project's id or else its number (the key of the
    /// variable that asks for the id), the organisation id (empty when not in the ancestry), the resource, the project's full name.
    /// </summary>
    private sealed record TerraformTarget(string? ProjectId, string ProjectKey, string OrgId, string Resource, string? Project)
    {
        /// <summary>How the Terraform names the project: its id, or the variable that asks for it (none outside a project).</summary>
        public string ProjectReference =>
            ProjectId is { } id ? Quote(id) : Project is null ? Quote("") : "var." + ProjectVariable(ProjectKey);
    }

    private static string ProjectVariable(string projectNumber) => HclText.Identifier("project_id_" + projectNumber);

    /// <summary>Whether the Terraform names the project: a project custom role, or a binding on the project itself.</summary>
    private static bool NamesTheProject(TerraformTarget target, bool predefined) =>
        target.Project is not null && (!predefined || Binding(target).Attribute == "project");

    private static string Terraform(TerraformTarget target, string roleId, string roleName, bool predefined, string title, string description,
        ImmutableArray<string> permissions, string member)
    {
        var text = new StringBuilder();
        if (target.ProjectId is null && NamesTheProject(target, predefined))
        {
            // Never a number where Terraform wants the id: the inventory does not say it, so Terraform asks for it.
            text.Append(CultureInfo.InvariantCulture,
                $"# the project id of project number {HclText.Comment(target.ProjectKey)} is not in the imported inventory\n");
            text.Append(CultureInfo.InvariantCulture, $"variable \"{ProjectVariable(target.ProjectKey)}\" {{\n");
            text.Append(CultureInfo.InvariantCulture, $"  description = {Quote($"the id of GCP project number {target.ProjectKey}")}\n");
            text.Append("  type        = string\n}\n\n");
        }
        var roleRef = Quote(roleName);
        if (!predefined)
        {
            var orgRole = target.Project is null;
            var type = orgRole ? "google_organization_iam_custom_role" : "google_project_iam_custom_role";
            text.Append(CultureInfo.InvariantCulture, $"resource \"{type}\" \"{roleId}\" {{\n");
            text.Append(orgRole ? $"  org_id      = {Quote(target.OrgId)}\n" : $"  project     = {target.ProjectReference}\n");
            text.Append(CultureInfo.InvariantCulture, $"  role_id     = {Quote(roleId)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  title       = {Quote(title)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  description = {Quote(description)}\n");
            text.Append("  stage       = \"GA\"\n");
            text.Append(CultureInfo.InvariantCulture, $"  permissions = [{string.Join(", ", permissions.Select(Quote))}]\n}}\n\n");
            roleRef = $"{type}.{roleId}.name";
        }
        var (binding, attribute, value) = Binding(target);
        if (binding == "google_project_iam_member" && !string.Equals(target.Resource, target.Project, StringComparison.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"# narrowest resource observed is {HclText.Comment(target.Resource)}, which has no IAM member resource here: bound on its project\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"resource \"{binding}\" \"{roleId}\" {{\n");
        var bound = binding == "google_project_iam_member" ? target.ProjectReference : Quote(value);
        text.Append(CultureInfo.InvariantCulture, $"  {attribute} = {bound}\n");
        text.Append(CultureInfo.InvariantCulture, $"  role{new string(' ', attribute.Length - 4)} = {roleRef}\n");
        text.Append(CultureInfo.InvariantCulture, $"  member{new string(' ', attribute.Length - 6)} = {Quote(GcpMembers.Canonical(member))}\n}}\n");
        return text.ToString();
    }

    /// <summary>
    /// The Terraform IAM member resource for the binding's resource: a bucket (`//storage.googleapis.com/…`), a service
    /// account (`//iam.googleapis.com/projects/…/serviceAccounts/…`), a folder, the organisation, else its project.
    /// </summary>
    private static (string Resource, string Attribute, string Value) Binding(TerraformTarget target)
    {
        var resource = target.Resource;
        switch (GcpResource.KindOf(resource))
        {
            case GcpResourceKind.Organization: return ("google_organization_iam_member", "org_id", resource[(resource.LastIndexOf('/') + 1)..]);
            case GcpResourceKind.Folder: return ("google_folder_iam_member", "folder", "folders/" + resource[(resource.LastIndexOf('/') + 1)..]);
            case GcpResourceKind.Project: return ("google_project_iam_member", "project", target.ProjectKey);
        }
        const string storage = "//storage.googleapis.com/";
        const string iam = "//iam.googleapis.com/";
        if (resource.StartsWith(storage, StringComparison.Ordinal))
        {
            var rest = resource[storage.Length..];
            var buckets = rest.IndexOf("buckets/", StringComparison.Ordinal);
            var bucket = (buckets >= 0 ? rest[(buckets + "buckets/".Length)..] : rest).Split('/')[0];
            return ("google_storage_bucket_iam_member", "bucket", bucket);
        }
        if (resource.StartsWith(iam, StringComparison.Ordinal) && resource.Contains("/serviceAccounts/", StringComparison.Ordinal))
        {
            return ("google_service_account_iam_member", "service_account_id", resource[iam.Length..]);
        }
        return ("google_project_iam_member", "project", target.ProjectKey);
    }

    private static string Quote(string value) => HclText.Quoted(value);
}
