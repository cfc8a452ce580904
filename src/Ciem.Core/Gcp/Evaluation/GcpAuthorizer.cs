using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Gcp.Evaluation;

/// <summary>
/// One access question: may <see cref="Principal"/> use <see cref="Permission"/> (v1, `storage.objects.get`) on
/// <see cref="Resource"/> (a full resource name)? <see cref="Attributes"/> supplies what conditions may ask (time,
/// tags); resource name, type and service default to what the resource name and the inventory say.
/// <see cref="Ancestors"/>, when given, replaces the inventory's ancestry above the resource (nearest first).
/// </summary>
public sealed record GcpRequest(
    GcpPrincipal Principal,
    string Permission,
    string Resource,
    ConditionAttributes? Attributes = null,
    ImmutableArray<string> Ancestors = default);

/// <summary>An allow binding that took part in a decision: where it is attached, its index, role, the member that matched, its condition.</summary>
public sealed record BindingRef(string Resource, int Binding, string Role, string Member, IamCondition? Condition);

/// <summary>A deny rule that took part in a decision: its policy, attachment point, 0-based rule index and condition.</summary>
public sealed record DenyRuleRef(string Policy, string AttachmentPoint, int Rule, IamCondition? Condition);

/// <summary>
/// The decision and why: for <see cref="Decision.ExplicitDeny"/> the deny rules that apply; for
/// <see cref="Decision.Allow"/> every binding that grants; for <see cref="Decision.Indeterminate"/> the bindings and deny
/// rules whose outcome could not be decided (their reasons are in <see cref="Diagnostics"/>).
/// <see cref="IsPublic"/>: access is granted through `allUsers` or `allAuthenticatedUsers`.
/// </summary>
public sealed record GcpEvaluationResult(
    Decision Decision,
    ImmutableArray<BindingRef> Bindings,
    ImmutableArray<DenyRuleRef> DenyRules,
    bool IsPublic,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool IsAllowed => Decision == Decision.Allow;
}

/// <summary>
/// Google Cloud's documented evaluation: deny policies attached to the resource's project, folders and organisation
/// are checked first, and a deny rule that applies (principal denied and not excepted, permission denied and not
/// excepted, condition true or absent) denies whatever any allow policy says. Otherwise the request is allowed when a
/// binding on the resource or any ancestor grants a role that includes the permission to a member that denotes the
/// principal, with its condition true or absent. Anything that cannot be decided (a condition outside the supported
/// subset or needing an unknown attribute, an unknown role, an undecidable member) makes the decision
/// <see cref="Decision.Indeterminate"/> when it could change the outcome.
/// </summary>
public static class GcpAuthorizer
{
    public static GcpEvaluationResult Evaluate(GcpRequest request, GcpPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policies);
        var principal = policies.WithGroups(request.Principal);
        var identities = GcpMembers.Identities(principal);
        var ancestry = request.Ancestors.IsDefault
            ? policies.Ancestry(request.Resource)
            : [policies.Canonical(request.Resource), .. request.Ancestors.Select(policies.Canonical)];
        var attributes = Attributes(request, policies, ancestry[0]);
        var diagnostics = new DiagnosticBag();

        var denies = ImmutableArray.CreateBuilder<DenyRuleRef>();
        var maybeDenies = ImmutableArray.CreateBuilder<DenyRuleRef>();
        foreach (var node in ancestry)
        {
            foreach (var rule in policies.DenyRulesOn(node))
            {
                var truth = DenyApplies(rule, identities, principal, request.Permission, attributes, policies, diagnostics);
                if (truth == Truth.False) { continue; }
                var reference = new DenyRuleRef(rule.Policy.Name, rule.Policy.AttachmentPoint, rule.Index, rule.Rule.DenialCondition);
                (truth == Truth.True ? denies : maybeDenies).Add(reference);
            }
        }
        if (denies.Count > 0)
        {
            return new GcpEvaluationResult(Decision.ExplicitDeny, [], denies.ToImmutable(), false, diagnostics.ToImmutable());
        }

        var allows = ImmutableArray.CreateBuilder<BindingRef>();
        var maybeAllows = ImmutableArray.CreateBuilder<BindingRef>();
        foreach (var node in ancestry)
        {
            foreach (var policy in policies.PoliciesOn(node))
            {
                for (var i = 0; i < policy.Bindings.Length; i++)
                {
                    var binding = policy.Bindings[i];
                    var (truth, member) = BindingGrants(policy, i, binding, identities, principal, request.Permission, attributes, policies, diagnostics);
                    if (truth == Truth.False) { continue; }
                    (truth == Truth.True ? allows : maybeAllows).Add(new BindingRef(policy.Resource, i, binding.Role, member, binding.Condition));
                }
            }
        }
        if (allows.Count > 0)
        {
            if (maybeDenies.Count > 0)
            {
                return new GcpEvaluationResult(Decision.Indeterminate, allows.ToImmutable(), maybeDenies.ToImmutable(), false, diagnostics.ToImmutable());
            }
            var isPublic = allows.Any(b => GcpMembers.IsPublic(b.Member));
            return new GcpEvaluationResult(Decision.Allow, allows.ToImmutable(), [], isPublic, diagnostics.ToImmutable());
        }
        if (maybeAllows.Count > 0)
        {
            return new GcpEvaluationResult(Decision.Indeterminate, maybeAllows.ToImmutable(), maybeDenies.ToImmutable(), false, diagnostics.ToImmutable());
        }
        return new GcpEvaluationResult(Decision.ImplicitDeny, [], [], false, diagnostics.ToImmutable());
    }

    /// <summary>
    /// The attributes conditions see: the request's, with resource name, service and type filled in when absent.
    /// `resource.service` is the host of the full name; `resource.name` the rest of it (for Cloud Storage,
    /// `projects/_/buckets/…` as IAM conditions spell it); `resource.type` the asset type from the inventory.
    /// </summary>
    public static ConditionAttributes Attributes(GcpRequest request, GcpPolicySet policies, string resource)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policies);
        var given = request.Attributes ?? ConditionAttributes.None;
        string? service = null, name = null;
        if (resource.StartsWith("//", StringComparison.Ordinal) && resource.IndexOf('/', 2) is var slash && slash > 2)
        {
            service = resource[2..slash];
            name = resource[(slash + 1)..];
            if (service == "storage.googleapis.com" && !name.StartsWith("projects/", StringComparison.Ordinal))
            {
                name = "projects/_/buckets/" + name;
            }
        }
        var type = policies.TryGetResource(resource, out var node) ? node.AssetType : null;
        return given with
        {
            ResourceName = given.ResourceName ?? name,
            ResourceService = given.ResourceService ?? service,
            ResourceType = given.ResourceType ?? type,
        };
    }

    internal static Truth DenyApplies(CompiledDenyRule rule, GcpMembers.PrincipalIdentities identities, GcpPrincipal principal, string permission,
        ConditionAttributes attributes, GcpPolicySet policies, DiagnosticBag diagnostics)
    {
        string where = rule.Where;
        var permissionTruth = And(AnyPattern(rule.Denied, permission), Not(AnyPattern(rule.Excepted, permission)));
        if (permissionTruth == Truth.False) { return Truth.False; }
        var deniedTruth = AnyMember(rule.Rule.DeniedPrincipals, identities, principal, where, diagnostics);
        if (deniedTruth == Truth.False) { return Truth.False; }
        var principalTruth = And(deniedTruth, Not(AnyMember(rule.Rule.ExceptionPrincipals, identities, principal, where, diagnostics)));
        if (principalTruth == Truth.False) { return Truth.False; }
        if (rule.Denied is null || rule.Excepted is null)
        {
            diagnostics.Warning(DiagnosticCodes.GcpBadPermission, $"{where} has a malformed permission; whether it denies `{permission}` is unknown");
        }
        var conditionTruth = rule.Condition is null ? Truth.True : Condition(rule.Condition, attributes, where, diagnostics);
        return And(And(principalTruth, permissionTruth), conditionTruth);
    }

    private static (Truth, string) BindingGrants(IamPolicy policy, int index, IamBinding binding, GcpMembers.PrincipalIdentities identities, GcpPrincipal principal,
        string permission, ConditionAttributes attributes, GcpPolicySet policies, DiagnosticBag diagnostics)
    {
        var member = "";
        var memberTruth = Truth.False;
        foreach (var m in binding.Members)
        {
            var t = GcpMembers.Match(identities, m);
            if (t == Truth.True) { memberTruth = Truth.True; member = m; break; }
            if (t == Truth.Unknown && memberTruth == Truth.False) { memberTruth = Truth.Unknown; member = m; }
        }
        if (memberTruth == Truth.False) { return (Truth.False, ""); }
        var where = $"binding {index} (`{binding.Role}`) on `{policy.Resource}`";
        Truth roleTruth;
        if (policies.TryGetRole(binding.Role, out var role))
        {
            roleTruth = !role.Deleted && role.Includes(permission) ? Truth.True : Truth.False;
        }
        else
        {
            roleTruth = Truth.Unknown;
            diagnostics.Warning(DiagnosticCodes.GcpUnknownRole, $"role `{binding.Role}` of {where} is neither predefined nor an imported custom role; whether it includes `{permission}` is unknown");
        }
        if (roleTruth == Truth.False) { return (Truth.False, ""); }
        if (memberTruth == Truth.Unknown)
        {
            diagnostics.Warning(DiagnosticCodes.GcpMemberUndecidable, $"whether member `{member}` of {where} includes `{principal.Member}` cannot be decided from the inputs");
        }
        var conditionTruth = binding.Condition is null ? Truth.True : Condition(policies.Condition(binding.Condition), attributes, where, diagnostics);
        return (And(And(memberTruth, roleTruth), conditionTruth), member);
    }

    private static Truth Condition(ConditionExpression condition, ConditionAttributes attributes, string where, DiagnosticBag diagnostics)
    {
        var result = condition.Evaluate(attributes);
        if (result.Truth == Truth.Unknown)
        {
            diagnostics.Warning(result.Unsupported ? DiagnosticCodes.GcpConditionUnsupported : DiagnosticCodes.GcpConditionAttributeMissing,
                $"condition of {where} is indeterminate: {result.Reason}");
        }
        return result.Truth;
    }

    private static Truth AnyMember(ImmutableArray<string> members, GcpMembers.PrincipalIdentities identities, GcpPrincipal principal, string where, DiagnosticBag diagnostics)
    {
        var result = Truth.False;
        foreach (var m in members)
        {
            var t = GcpMembers.Match(identities, m);
            if (t == Truth.True) { return Truth.True; }
            if (t == Truth.Unknown)
            {
                result = Truth.Unknown;
                diagnostics.Warning(DiagnosticCodes.GcpMemberUndecidable, $"whether `{m}` in {where} includes `{principal.Member}` cannot be decided from the inputs");
            }
        }
        return result;
    }

    private static Truth AnyPattern(ImmutableArray<string>? patterns, string permission)
    {
        if (patterns is not { } list) { return Truth.Unknown; }
        foreach (var p in list)
        {
            if (GcpPermission.Matches(p, permission)) { return Truth.True; }
        }
        return Truth.False;
    }

    internal static Truth And(Truth a, Truth b) =>
        a == Truth.False || b == Truth.False ? Truth.False : a == Truth.True && b == Truth.True ? Truth.True : Truth.Unknown;

    internal static Truth Not(Truth a) => a switch { Truth.True => Truth.False, Truth.False => Truth.True, _ => Truth.Unknown };
}
