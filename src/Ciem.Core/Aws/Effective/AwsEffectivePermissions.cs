using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Conditions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.Effective;

/// <summary>One identity Allow statement after every limiting layer: the concrete actions it still grants.</summary>
public sealed record AwsGrant(
    ActionSet Actions,
    ImmutableArray<string> Resources,
    bool NotResource,
    ImmutableArray<ConditionEntry> Conditions,
    StatementRef Source,
    ImmutableArray<AwsGrantLimit> Limits)
{
    /// <summary>Applies to every resource (`Resource: *`).</summary>
    public bool OnAllResources => !NotResource && Resources.Contains("*");

    /// <summary>The actions this grant allows on every resource with no condition and no partial limit.</summary>
    public ActionSet Unconditional
    {
        get
        {
            if (!OnAllResources || !Conditions.IsEmpty) { return Actions.Catalog.Empty; }
            var result = Actions;
            foreach (var l in Limits) { result = result.Except(l.Actions); }
            return result;
        }
    }
}

/// <summary>Something that narrows part of a grant without removing it: a deny on some resources or under a condition, a boundary or SCP that allows those actions only partly.</summary>
public sealed record AwsGrantLimit(StatementRef Statement, ActionSet Actions, string Reason);

/// <summary>The effective permissions of one AWS identity.</summary>
public sealed record AwsEffectivePermissions(
    AwsIdentityContext Context,
    ImmutableArray<AwsGrant> Grants,
    ActionSet Allowed,
    ActionSet AllowedUnconditionally,
    ActionSet Indeterminate,
    bool IsAdministrator,
    bool IsFullAdministrator,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The seed metric: distinct concrete actions allowed on at least one resource.</summary>
    public int GrantedCount => Allowed.Count;
}

/// <summary>
/// Computes what each identity can effectively do from its identity policies, limited by explicit denies, its
/// permissions boundary and every SCP level (see docs/effective-permissions.md for the exact rules). Resource-
/// based grants are resource-centric and answered per request by <see cref="AwsAuthorizer"/> (`can`, `who-can`).
/// Thread-safe: one instance can compute many identities in parallel; statement expansions are shared.
/// </summary>
public sealed class AwsEffectivePermissionCalculator
{
    /// <summary>
    /// IAM actions that let their holder grant itself any permission. An identity allowed one of them on every
    /// resource (`Resource: *`, with or without a condition such as MFA) is administrative.
    /// </summary>
    public static readonly ImmutableArray<string> EscalationActions =
    [
        "iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy",
        "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy",
        "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy",
        "iam:AddUserToGroup", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
    ];

    private readonly ConcurrentDictionary<CompiledStatement, ActionSet> _statementActions = new(ReferenceEqualityComparer.Instance);
    private readonly ActionSet _escalation;
    private readonly DateTimeOffset? _asOf;

    /// <param name="catalog">the action catalog.</param>
    /// <param name="asOf">
    /// the time the question is asked: `aws:CurrentTime` and `aws:EpochTime` take it. Without it they are unknown like
    /// every other key a request carries (conditions on them leave grants and denies conditional).
    /// </param>
    public AwsEffectivePermissionCalculator(AwsActionCatalog catalog, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        _asOf = asOf;
        _escalation = catalog.ExpandMany(EscalationActions);
    }

    /// <summary>
    /// What is known of every request <paramref name="identity"/> makes: the keys derived from the principal, its tags,
    /// the as-of time. Every other key is unknown (open world), so a condition holds or fails here only when it does for
    /// every request; otherwise the grant or deny stays conditional.
    /// </summary>
    public RequestContext IdentityContext(AwsIdentityContext identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var tags = identity.Identity.Tags.Select(t => new KeyValuePair<string, ContextValue>($"aws:PrincipalTag/{t.Key}", ContextValue.Single(t.Value)));
        var request = AwsRequest.Create(identity.Principal, "*", "*", identity.Identity.Scope, RequestContext.Create(tags));
        var context = request.Context.Remove("aws:ResourceAccount");
        return AlwaysSentKeys.Apply(context, _asOf).AsOpenWorld();
    }

    // True: the conditions hold for every request; False: for none; Indeterminate: it depends on the request.
    private static ConditionOutcome Holds(CompiledStatement st, RequestContext context) =>
        st.Conditions.IsEmpty ? ConditionOutcome.True : st.Conditions.Evaluate(context);

    public AwsActionCatalog Catalog { get; }

    public AwsEffectivePermissions Compute(AwsIdentityContext identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var diags = new DiagnosticBag();
        var known = IdentityContext(identity);
        var indeterminate = new ActionSetBuilder(Catalog);

        // 1. Denies from every layer that limits the identity: full (all resources, unconditional) or partial.
        var fullDeny = new ActionSetBuilder(Catalog);
        var partialDenies = new List<AwsGrantLimit>();
        var scpApplies = !identity.IsManagementAccount && !identity.IsServiceLinked;
        void CollectDenies(CompiledPolicy policy, AwsLayer layer)
        {
            foreach (var st in policy.Statements)
            {
                if (st.Effect != Effect.Deny && !st.Statement.EffectUnknown) { continue; }
                var actions = ActionsOf(st);
                if (st.Statement.Defect is not null) { indeterminate.UnionWith(actions); continue; }
                var holds = Holds(st, known);
                if (holds == ConditionOutcome.False) { continue; }
                if (holds == ConditionOutcome.True && OnAll(st)) { fullDeny.UnionWith(actions); }
                else { partialDenies.Add(new AwsGrantLimit(Ref(st, layer), actions, DenyReason(st, layer))); }
            }
        }
        foreach (var p in identity.IdentityPolicies) { CollectDenies(p, AwsLayer.Identity); }
        foreach (var p in identity.Boundaries) { CollectDenies(p, AwsLayer.Boundary); }
        if (scpApplies)
        {
            foreach (var level in identity.Scps)
            {
                foreach (var p in level.Policies) { CollectDenies(p, AwsLayer.Scp); }
            }
        }
        var denied = fullDeny.ToActionSet();

        // 2. Caps: each boundary and SCP level allows a set fully (all resources, unconditional) and a set partly.
        var caps = new List<(ActionSet Full, ActionSet Any, AwsLayer Layer, string Name)>();
        if (!identity.Boundaries.IsEmpty) { caps.Add(Cap(identity.Boundaries, AwsLayer.Boundary, "permissions boundary", indeterminate, known)); }
        if (scpApplies)
        {
            foreach (var level in identity.Scps) { caps.Add(Cap(level.Policies, AwsLayer.Scp, $"SCPs at `{level.Target}`", indeterminate, known)); }
        }

        // 3. Every identity Allow statement, narrowed by the denies and caps.
        var grants = ImmutableArray.CreateBuilder<AwsGrant>();
        var allowed = new ActionSetBuilder(Catalog);
        var unconditional = new ActionSetBuilder(Catalog);
        foreach (var policy in identity.IdentityPolicies)
        {
            foreach (var st in policy.Statements)
            {
                if (st.Effect != Effect.Allow || st.Statement.Defect is not null)
                {
                    if (st.Statement.Defect is not null && st.Statement.Effect == Effect.Allow) { indeterminate.UnionWith(ActionsOf(st)); }
                    continue;
                }
                var holds = Holds(st, known);
                if (holds == ConditionOutcome.False) { continue; }
                var actions = ActionsOf(st).Except(denied);
                var limits = ImmutableArray.CreateBuilder<AwsGrantLimit>();
                foreach (var (full, any, layer, name) in caps)
                {
                    actions = actions.Intersect(any);
                    var partly = actions.Except(full);
                    if (!partly.IsEmpty) { limits.Add(new AwsGrantLimit(new StatementRef(name, layer, -1, null, Effect.Allow), partly, $"{name} allows these only on some resources or under conditions")); }
                }
                if (actions.IsEmpty) { continue; }
                foreach (var d in partialDenies)
                {
                    if (d.Actions.Overlaps(actions)) { limits.Add(d with { Actions = d.Actions.Intersect(actions) }); }
                }
                // A condition that holds for every request of this identity is no condition on the grant.
                var conditions = holds == ConditionOutcome.True ? [] : st.Statement.Conditions;
                var grant = new AwsGrant(actions, st.Statement.Resources, st.Statement.NotResource, conditions, Ref(st, AwsLayer.Identity), limits.ToImmutable());
                grants.Add(grant);
                allowed.UnionWith(actions);
                unconditional.UnionWith(grant.Unconditional);
            }
        }
        var allowedSet = allowed.ToActionSet();
        var unconditionalSet = unconditional.ToActionSet();
        var isFull = unconditionalSet.Count == Catalog.Count;
        var onEveryResource = new ActionSetBuilder(Catalog);
        foreach (var g in grants)
        {
            if (g.OnAllResources) { onEveryResource.UnionWith(g.Actions); }
        }
        var isAdmin = isFull || onEveryResource.ToActionSet().Overlaps(_escalation);
        return new AwsEffectivePermissions(identity, grants.ToImmutable(), allowedSet, unconditionalSet, indeterminate.ToActionSet().Except(unconditionalSet), isAdmin, isFull, diags.ToImmutable());
    }

    /// <summary>The provider-neutral view: one grant per action and scope, with provenance and limits.</summary>
    public static EffectiveAccess ToEffectiveAccess(AwsEffectivePermissions p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var byAction = new SortedDictionary<string, List<(AwsGrant Grant, AwsAction Action)>>(StringComparer.Ordinal);
        foreach (var g in p.Grants)
        {
            foreach (var a in g.Actions)
            {
                if (!byAction.TryGetValue(a.FullName, out var list)) { byAction[a.FullName] = list = []; }
                list.Add((g, a));
            }
        }
        var grants = ImmutableArray.CreateBuilder<PermissionGrant>();
        foreach (var (name, list) in byAction)
        {
            foreach (var scopeGroup in list.GroupBy(x => ScopeText(x.Grant), StringComparer.Ordinal))
            {
                var first = scopeGroup.First();
                var conditional = scopeGroup.All(x => !x.Grant.Conditions.IsEmpty)
                    ? string.Join(" OR ", scopeGroup.Select(x => ConditionText(x.Grant.Conditions)).Distinct(StringComparer.Ordinal))
                    : null;
                var limits = scopeGroup.SelectMany(x => x.Grant.Limits.Where(l => l.Actions.Contains(x.Action)).Select(l => $"{l.Reason} ({Describe(l.Statement)})")).Distinct(StringComparer.Ordinal).ToImmutableArray();
                grants.Add(new PermissionGrant(
                    name,
                    AccessLevelName(first.Action.AccessLevel),
                    scopeGroup.Key,
                    conditional,
                    [.. scopeGroup.Select(x => Describe(x.Grant.Source)).Distinct(StringComparer.Ordinal)],
                    limits));
            }
        }
        return new EffectiveAccess(p.Context.Identity, grants.ToImmutable(), p.GrantedCount, p.IsAdministrator, [.. p.Indeterminate.Select(a => a.FullName)], p.Diagnostics);
    }

    public static string AccessLevelName(AwsAccessLevel level) => level switch
    {
        AwsAccessLevel.PermissionsManagement => "Permissions management",
        _ => level.ToString(),
    };

    public static string Describe(StatementRef s) => s.Statement < 0
        ? s.Policy
        : $"{s.Policy} statement {s.Statement}{(s.Sid is { Length: > 0 } sid ? $" ({sid})" : "")}";

    public static string ConditionText(ImmutableArray<ConditionEntry> conditions) =>
        string.Join(" AND ", conditions.Select(c => $"{c.Operator} {c.Key} [{string.Join(", ", c.Values)}]"));

    private static string ScopeText(AwsGrant g) => g.NotResource ? $"* except {string.Join(", ", g.Resources)}" : string.Join(", ", g.Resources);

    private (ActionSet Full, ActionSet Any, AwsLayer Layer, string Name) Cap(ImmutableArray<CompiledPolicy> policies, AwsLayer layer, string name, ActionSetBuilder indeterminate, RequestContext known)
    {
        var full = new ActionSetBuilder(Catalog);
        var any = new ActionSetBuilder(Catalog);
        foreach (var p in policies)
        {
            foreach (var st in p.Statements)
            {
                if (st.Effect != Effect.Allow) { continue; }
                var actions = ActionsOf(st);
                if (st.Statement.Defect is not null) { indeterminate.UnionWith(actions); any.UnionWith(actions); continue; }
                var holds = Holds(st, known);
                if (holds == ConditionOutcome.False) { continue; }
                any.UnionWith(actions);
                if (holds == ConditionOutcome.True && OnAll(st)) { full.UnionWith(actions); }
            }
        }
        return (full.ToActionSet(), any.ToActionSet(), layer, name);
    }

    private ActionSet ActionsOf(CompiledStatement st) => _statementActions.GetOrAdd(st, s =>
    {
        var statement = s.Statement;
        if (statement.Actions.IsEmpty) { return Catalog.All; }
        return statement.NotAction ? Catalog.ExpandNot(statement.Actions) : Catalog.ExpandMany(statement.Actions);
    });

    private static bool OnAll(CompiledStatement st) =>
        !st.Statement.HasResourceElement || (!st.Statement.NotResource && st.Statement.Resources.Contains("*"));

    private static StatementRef Ref(CompiledStatement st, AwsLayer layer) => new(st.Policy.Name, layer, st.Statement.Index, st.Statement.Sid, st.Effect);

    private static string DenyReason(CompiledStatement st, AwsLayer layer)
    {
        var where = layer switch { AwsLayer.Scp => "an SCP", AwsLayer.Boundary => "the permissions boundary", _ => "an identity policy" };
        var what = st.Statement.Conditions.IsEmpty ? "" : $" when {ConditionText(st.Statement.Conditions)}";
        var on = !st.Statement.HasResourceElement || (!st.Statement.NotResource && st.Statement.Resources.Contains("*"))
            ? ""
            : st.Statement.NotResource ? $" except on {string.Join(", ", st.Statement.Resources)}" : $" on {string.Join(", ", st.Statement.Resources)}";
        return $"denied by {where}{on}{what}";
    }
}
