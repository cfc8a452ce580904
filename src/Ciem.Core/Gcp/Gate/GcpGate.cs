using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Gcp.Gate;

/// <summary>
/// The gate for GCP IAM changes: applies each side of a <see cref="GcpGateChange"/> to the imported inventory (bindings
/// the change removes are taken out of the after side; `_iam_binding` replaces a role's members, `_iam_policy` a whole
/// policy), computes every touched member's effective access on both sides with <see cref="GcpEffectiveAccess"/>
/// (predefined roles from the shipped catalog, custom roles from the change and the inventory), and applies the gate's
/// provider-neutral rules to what the change adds.
/// </summary>
public static class GcpGate
{

    public static readonly ImmutableArray<string> EscalationPermissions =
    [
        "iam.serviceAccounts.actAs", "iam.serviceAccounts.getAccessToken", "iam.serviceAccounts.signJwt", "iam.serviceAccounts.signBlob",
        "iam.serviceAccounts.implicitDelegation", "iam.serviceAccounts.getOpenIdToken", "iam.serviceAccountKeys.create",
        "iam.roles.create", "iam.roles.update",
    ];

    public static readonly ImmutableHashSet<string> AdministrativeRoles = ["roles/owner", "roles/editor"];

    public static readonly ImmutableHashSet<string> SensitiveServices = ["iam", "resourcemanager", "cloudkms", "secretmanager", "storage"];

    /// <summary>Consumer account domains: outside any organisation by definition.</summary>
    public static readonly ImmutableHashSet<string> ConsumerDomains = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "gmail.com", "googlemail.com");

    private static readonly string[] AdminPermissions =
        ["resourcemanager.organizations.setIamPolicy", "resourcemanager.folders.setIamPolicy", "resourcemanager.projects.setIamPolicy"];

    public static CloudGateResult Evaluate(GcpGateChange change, GcpInventory? inventory, GcpRoleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(catalog);
        if (change.IsEmpty) { return CloudGateResult.Empty; }
        change = new GcpGateChange(Concrete(change.Before), Concrete(change.After));
        var inv = inventory ?? GcpInventory.Empty;
        var imported = GcpPolicySet.Create(inv, catalog);
        var diags = new DiagnosticBag();
        var before = GcpPolicySet.Create(Apply(inv, imported, change.Before, change.Before, removeStated: false), catalog);
        var after = GcpPolicySet.Create(Apply(inv, imported, change.After, change.Before, removeStated: true), catalog);
        foreach (var u in change.After.UnknownPolicies)
        {
            diags.Warning(DiagnosticCodes.GateUnknownPolicy, $"the policy `{u.Address}` sets on `{u.Resource}` is unknown ({u.Why}): every binding there is indeterminate", u.Location);
        }
        foreach (var r in change.After.Roles.Where(r => r.Unknown is not null))
        {
            diags.Warning(DiagnosticCodes.GateUnknownPolicy, $"the permissions of custom role `{r.Role.Name}` are unknown ({r.Unknown}): what it grants is indeterminate", r.Location);
        }

        var changedRoles = ChangedRoles(change);
        var members = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        // A member bound the same on both sides (an unchanged resource, a no-op in a plan) is not touched.
        var beforeKeys = change.Before.Bindings.SelectMany(b => b.Members.Select(m => b.Key(GcpMembers.Canonical(m)))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var afterKeys = change.After.Bindings.SelectMany(b => b.Members.Select(m => b.Key(GcpMembers.Canonical(m)))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var b in change.Before.Bindings)
        {
            members.UnionWith(b.Members.Select(GcpMembers.Canonical).Where(m => !afterKeys.Contains(b.Key(m))));
        }
        foreach (var b in change.After.Bindings)
        {
            members.UnionWith(b.Members.Select(GcpMembers.Canonical).Where(m => !beforeKeys.Contains(b.Key(m)) || UnknownOn(change, b.Resource)));
        }
        foreach (var p in before.Inventory.Policies.Concat(after.Inventory.Policies))
        {
            foreach (var b in p.Bindings.Where(b => changedRoles.Contains(b.Role))) { members.UnionWith(b.Members.Select(GcpMembers.Canonical)); }
        }
        var known = KnownDomains(inv, change);
        var deltas = ImmutableArray.CreateBuilder<CloudPrincipalDelta>();
        var findings = ImmutableArray.CreateBuilder<GateFinding>();
        var inInventory = inv.Policies.SelectMany(p => p.Bindings).SelectMany(b => b.Members).Select(GcpMembers.Canonical).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var member in members)
        {
            var b = GcpEffectiveAccess.Compute(before, member);
            var a = GcpEffectiveAccess.Compute(after, member);
            diags.AddRange(a.Diagnostics);
            var delta = CloudPrincipalDelta.Create(Provider.GcpName, $"gcp:{Display(member)}", b, a, inInventory.Contains(member));
            deltas.Add(delta);
            var had = change.Before.Bindings.Where(x => Names(x, member)).Select(x => x.Key(member)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var added = change.After.Bindings.Where(x => Names(x, member) && !had.Contains(x.Key(member))).ToList();
            findings.AddRange(Findings(delta, member, added, after, known, change));
        }
        foreach (var u in change.After.UnknownPolicies.Where(u => !change.Before.UnknownPolicies.Any(b => b.Address == u.Address)))
        {
            findings.Add(new GateFinding(GateRules.IndeterminateChange, GateRules.Find(GateRules.IndeterminateChange).DefaultSeverity, $"gcp:{u.Address}",
                $"`{u.Address}` replaces the whole IAM policy of `{u.Resource}` with content known only after apply", [u.Why], u.Location, Indeterminate: true));
        }
        return new CloudGateResult(deltas.ToImmutable(), findings.ToImmutable(), [.. diags.Distinct()]);
    }

    private const string SymbolicPrefix = "principal://terraform/";

    /// <summary>
    /// A member known only after apply (`{google_service_account.x.member}`) is one principal, not possibly anyone: it is
    /// evaluated as an exact identifier of its own, so it neither gains nor lends the grants of others.
    /// </summary>
    private static GcpGateSide Concrete(GcpGateSide side) => side with
    {
        Bindings = [.. side.Bindings.Select(b => b with { Members = [.. b.Members.Select(m => GcpMembers.KindOf(m) == GcpMemberKind.Unknown && m.Contains('{', StringComparison.Ordinal) ? SymbolicPrefix + m : m)] })],
    };

    private static string Display(string member) => member.StartsWith(SymbolicPrefix, StringComparison.Ordinal) ? member[SymbolicPrefix.Length..] : member;

    private static bool UnknownOn(GcpGateChange change, string resource) =>
        change.After.UnknownPolicies.Any(u => u.Resource == resource) && !change.Before.UnknownPolicies.Any(u => u.Resource == resource);

    private static bool Names(GateBinding binding, string member) => binding.Members.Any(m => string.Equals(GcpMembers.Canonical(m), member, StringComparison.OrdinalIgnoreCase));

    /// <summary>The inventory with one side of the change applied; on the after side, what the before side stated is taken out first.</summary>
    private static GcpInventory Apply(GcpInventory inv, GcpPolicySet imported, GcpGateSide side, GcpGateSide before, bool removeStated)
    {
        var bindings = inv.Policies.SelectMany(p => p.Bindings.Select(b => (Resource: imported.Canonical(p.Resource), Binding: b))).ToList();
        string Canon(string r) => imported.Canonical(r);
        bool Same(IamBinding b, GateBinding g) => b.Role == g.Role && b.Condition?.Expression == g.Condition?.Expression;
        void Remove(GcpGateSide s, bool membersOnly)
        {
            var policies = s.PolicyResources.Concat(s.UnknownPolicies.Select(u => u.Resource)).Select(Canon).ToHashSet(StringComparer.Ordinal);
            bindings.RemoveAll(x => policies.Contains(x.Resource));
            foreach (var g in s.Bindings)
            {
                var resource = Canon(g.Resource);
                if (g.Mode == GcpBindingMode.Binding || !membersOnly)
                {
                    bindings.RemoveAll(x => x.Resource == resource && Same(x.Binding, g));
                    continue;
                }
                for (var i = 0; i < bindings.Count; i++)
                {
                    if (bindings[i].Resource != resource || !Same(bindings[i].Binding, g)) { continue; }
                    var gone = g.Members.Select(GcpMembers.Canonical).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    bindings[i] = (resource, bindings[i].Binding with { Members = [.. bindings[i].Binding.Members.Where(m => !gone.Contains(GcpMembers.Canonical(m)))] });
                }
            }
        }
        if (removeStated) { Remove(before, membersOnly: true); }
        // `_iam_policy` and `_iam_binding` are authoritative for what they state; `_iam_member` only adds.
        Remove(side with { Bindings = [.. side.Bindings.Where(b => b.Mode == GcpBindingMode.Binding)] }, membersOnly: false);
        bindings.AddRange(side.Bindings.Select(g => (Canon(g.Resource), new IamBinding(g.Role, g.Members, g.Condition))));
        var policies = bindings.GroupBy(x => x.Resource, StringComparer.Ordinal)
            .Select(g => new IamPolicy(g.Key, [.. g.Select(x => x.Binding).Where(b => !b.Members.IsEmpty)], 3))
            .ToImmutableArray();
        var replaced = side.Roles.Select(r => r.Role.Name).Concat(removeStated ? before.Roles.Select(r => r.Role.Name) : []).ToHashSet(StringComparer.Ordinal);
        var roles = inv.CustomRoles.Where(r => !replaced.Contains(r.Name)).Concat(side.Roles.Where(r => r.Unknown is null).Select(r => r.Role)).ToImmutableArray();
        return inv with { Policies = policies, CustomRoles = roles };
    }

    private static HashSet<string> ChangedRoles(GcpGateChange change)
    {
        static string Content(GateCustomRole r) => r.Unknown ?? string.Join(',', r.Role.IncludedPermissions.Order(StringComparer.Ordinal)) + (r.Role.Deleted ? "|deleted" : "");
        var before = change.Before.Roles.ToDictionary(r => r.Role.Name, Content, StringComparer.Ordinal);
        var after = change.After.Roles.ToDictionary(r => r.Role.Name, Content, StringComparer.Ordinal);
        return [.. before.Keys.Union(after.Keys).Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b)];
    }

    private static IEnumerable<GateFinding> Findings(CloudPrincipalDelta delta, string member, List<GateBinding> added, GcpPolicySet after, HashSet<string> known, GcpGateChange change)
    {
        var id = delta.Id;
        var at = added.FirstOrDefault()?.Location ?? change.After.Roles.Concat(change.Before.Roles).FirstOrDefault()?.Location;
        var indeterminate = !delta.After.Indeterminate.IsEmpty || !change.After.UnknownPolicies.IsEmpty;
        GateFinding Finding(string rule, string message, IEnumerable<string> evidence, SourceLocation? location, bool onPermissions = true) =>
            new(rule, GateRules.Find(rule).DefaultSeverity, id, message, [.. evidence], location ?? at, onPermissions && indeterminate);
        static string Where(GateBinding b) => $"`{b.Role}` on `{b.Resource}`{(b.Condition is { } c ? $" if {c.Expression}" : "")}";

        var adminBindings = added.Where(b => AdministrativeRoles.Contains(b.Role)
            || (after.TryGetRole(b.Role, out var role) && AdminPermissions.Any(role.Includes))).ToList();
        if (delta.BecameAdministrator || adminBindings.Count > 0)
        {
            var evidence = adminBindings.Select(Where).ToList();
            if (evidence.Count == 0) { evidence.AddRange(delta.After.Grants.Where(g => AdminPermissions.Contains(g.Permission) && g.Condition is null).SelectMany(g => g.Sources).Distinct(StringComparer.Ordinal)); }
            var conditional = !delta.BecameAdministrator && adminBindings.All(b => b.Condition is not null);
            var f = Finding(GateRules.NewAdmin, $"`{id}` becomes administrative{(conditional ? " under a condition" : "")}: {string.Join(", ", evidence.Take(3))}", evidence, adminBindings.FirstOrDefault()?.Location);
            yield return conditional ? f with { Severity = FindingSeverity.High } : f;
        }
        var escalation = delta.NewPermissions.Where(p => EscalationPermissions.Contains(p) || p.EndsWith(".setIamPolicy", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        if (escalation.Count > 0)
        {
            yield return Finding(GateRules.NewEscalation, $"`{id}` gains {escalation.Count} privilege-escalation permission(s): {string.Join(", ", escalation.Take(5))}",
                escalation.Select(p => $"{p} via {string.Join(", ", delta.After.Grants.Where(g => g.Permission == p).SelectMany(g => g.Sources).Distinct(StringComparer.Ordinal).Take(2))}"), null);
        }
        foreach (var b in added.Where(b => IsSensitiveAdminRole(b.Role)))
        {
            yield return Finding(GateRules.SensitiveWildcard, $"`{id}` gets the administrator role {Where(b)} of a sensitive service", [b.Address], b.Location, onPermissions: false);
        }
        foreach (var b in added.Where(b => GcpResource.KindOf(b.Resource) is GcpResourceKind.Organization or GcpResourceKind.Folder))
        {
            yield return Finding(GateRules.BroadScope, $"`{id}` is granted {Where(b)} ({(GcpResource.KindOf(b.Resource) == GcpResourceKind.Organization ? "an organization" : "a folder")})", [b.Address], b.Location, onPermissions: false);
        }
        if (GcpMembers.IsPublic(member))
        {
            foreach (var b in added)
            {
                var f = Finding(GateRules.NewPublicTrust, $"{Where(b)} is granted to `{member}`: {(member == GcpMembers.AllUsers ? "anyone on the internet" : "anyone with a Google account")}", [b.Address], b.Location, onPermissions: false);
                yield return b.Condition is null ? f : f with { Severity = FindingSeverity.High };
            }
        }
        else if (ForeignDomain(member, known) is { } domain)
        {
            yield return Finding(GateRules.NewCrossAccountTrust, $"`{member}` of domain `{domain}` (outside the organisation's known domains) is granted {string.Join(", ", added.Select(Where).Take(3))}",
                added.Select(b => b.Address), added.FirstOrDefault()?.Location, onPermissions: false);
        }
        var newIndeterminate = delta.After.Indeterminate.Except(delta.Before.Indeterminate, StringComparer.Ordinal).ToList();
        var unknownPolicies = change.After.UnknownPolicies.Where(u => !change.Before.UnknownPolicies.Any(b => b.Address == u.Address)).ToList();
        if (newIndeterminate.Count > 0 || (unknownPolicies.Count > 0 && added.Count > 0))
        {
            var evidence = newIndeterminate.Select(i => $"unknown role: {i}").Concat(unknownPolicies.Select(u => $"policy `{u.Address}` on `{u.Resource}`: {u.Why}")).ToList();
            yield return Finding(GateRules.IndeterminateChange, $"{evidence.Count} grant(s) of `{id}` depend on content known only after apply", evidence, unknownPolicies.FirstOrDefault()?.Location) with { Indeterminate = true };
        }
    }

    /// <summary>`roles/SERVICE.…admin` of a sensitive service: (nearly) every permission of that service, the GCP form of `service:*`.</summary>
    public static bool IsSensitiveAdminRole(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!role.StartsWith("roles/", StringComparison.Ordinal) || !role.EndsWith("admin", StringComparison.OrdinalIgnoreCase)) { return false; }
        var dot = role.IndexOf('.', StringComparison.Ordinal);
        return dot > 6 && SensitiveServices.Contains(role[6..dot]);
    }

    /// <summary>The member's domain when it is outside the known ones (consumer domains always are); null when inside or not decidable.</summary>
    public static string? ForeignDomain(string member, IReadOnlySet<string> known)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(known);
        var kind = GcpMembers.KindOf(member);
        if (kind is not (GcpMemberKind.User or GcpMemberKind.Group or GcpMemberKind.Domain or GcpMemberKind.ServiceAccount)) { return null; }
        var value = member[(member.IndexOf(':', StringComparison.Ordinal) + 1)..];
        if (value.Contains('{', StringComparison.Ordinal)) { return null; }
        var domain = kind == GcpMemberKind.Domain ? value : value[(value.LastIndexOf('@') + 1)..];
        if (ConsumerDomains.Contains(domain)) { return domain; }
        if (known.Count == 0) { return null; }
        if (kind == GcpMemberKind.ServiceAccount)
        {
            // Google-managed service agents (`…@gcp-sa-x.iam.gserviceaccount.com`, `…@cloudservices.gserviceaccount.com`) belong to no customer domain.
            if (!domain.EndsWith(".iam.gserviceaccount.com", StringComparison.OrdinalIgnoreCase) || domain.StartsWith("gcp-sa-", StringComparison.OrdinalIgnoreCase)) { return null; }
            return known.Contains(domain) ? null : domain;
        }
        return known.Contains(domain) ? null : domain;
    }

    /// <summary>Domains of the inventory's members, and the service-account domains of its and the change's projects.</summary>
    private static HashSet<string> KnownDomains(GcpInventory inv, GcpGateChange change)
    {
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (inv.Policies.IsEmpty && inv.Resources.IsEmpty) { return known; }
        foreach (var m in inv.Policies.SelectMany(p => p.Bindings).SelectMany(b => b.Members).Concat(inv.Groups.SelectMany(g => g.Members.Append(g.Group))).Select(GcpMembers.Canonical))
        {
            var at = m.LastIndexOf('@');
            if (at > 0) { known.Add(m[(at + 1)..]); }
            else if (m.StartsWith("domain:", StringComparison.Ordinal)) { known.Add(m["domain:".Length..]); }
        }
        var projects = inv.Resources.SelectMany(r => r.Aliases.Append(r.Name))
            .Concat(change.Before.Bindings.Concat(change.After.Bindings).Select(b => b.Resource))
            .Where(n => GcpResource.KindOf(n) == GcpResourceKind.Project)
            .Select(n => n[(n.LastIndexOf('/') + 1)..]);
        foreach (var p in projects) { known.Add($"{p}.iam.gserviceaccount.com"); }
        return known;
    }
}
