using System.Collections.Immutable;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>
/// AWS's documented policy evaluation logic for one request: explicit deny anywhere wins; every RCP and SCP level
/// must allow; then identity-based and resource-based policies (same-account: a resource policy naming the caller
/// grants on its own; cross-account: both sides must allow; KMS key policies and role trust policies must always
/// allow), limited by permissions boundaries and session policies; then VPC endpoint policies.
/// Statements that cannot be evaluated make the result <see cref="Decision.Indeterminate"/> only when they could
/// change it: the decision is computed with unknown statements ignored, assumed to match, and assumed to deny.
/// </summary>
public static class AwsAuthorizer
{
    public static EvaluationResult Evaluate(AwsRequest request, AwsPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policies);
        if (AwsBuiltInRules.ProtectedBy(request) is { } protectedBy)
        {
            return new EvaluationResult(Decision.ExplicitDeny, AwsLayer.Protected, [], [BuiltIn(protectedBy.Rule, "denies")]) { Rule = protectedBy.Rule };
        }
        if (AwsBuiltInRules.AlwaysAllows(request) is { } always)
        {
            return new EvaluationResult(Decision.Allow, null, [], [BuiltIn(always.Rule, "allows")]) { Rule = always.Rule };
        }
        var aliasDiagnostics = ImmutableArray<Diagnostic>.Empty;
        if (IsKmsAlias(request))
        {
            if (!IsAliasManagement(request))
            {
                // KMS authorises cryptographic and key operations on the key an alias resolves to, never on the alias.
                return new EvaluationResult(Decision.Indeterminate, null, [], [Diagnostic.Warning(DiagnosticCodes.EvaluationBadRequest,
                    $"KMS authorises `{request.Action}` on the KMS key the alias refers to, not on `{request.Resource}`: give the key ARN as the resource (and `kms:RequestAlias` in the context)")]);
            }
            if (policies.ResourcePolicy is not null)
            {
                // An alias has no key policy of its own: the key's policy governs the separate check on the key.
                aliasDiagnostics = [Diagnostic.Warning(DiagnosticCodes.EvaluationBadRequest,
                    $"an alias has no key policy: the resource policy given for `{request.Resource}` is not applied (AWS checks `{request.Action}` on the alias with IAM policies and, separately, on the key with its key policy)")];
                policies = policies with { ResourcePolicy = null };
            }
        }
        var principal = request.Principal;
        var scan = new Scan(request, !policies.Boundaries.IsEmpty && HasBoundarySemantics(principal));

        var rcpApplies = !policies.Rcps.IsEmpty && !policies.PrincipalIsServiceLinkedRole;
        var scpApplies = !policies.Scps.IsEmpty && principal.IsIamPrincipal && !policies.IsManagementAccount && !policies.PrincipalIsServiceLinkedRole;

        var rcpLevels = rcpApplies ? ScanLevels(policies.Rcps, AwsLayer.Rcp, scan) : [];
        var scpLevels = scpApplies ? ScanLevels(policies.Scps, AwsLayer.Scp, scan) : [];
        var identity = new LayerState();
        if (principal.IsIamPrincipal && principal.Kind != AwsPrincipalKind.Root)
        {
            foreach (var p in policies.Identity) { scan.Run(p, AwsLayer.Identity, ref identity, checkPrincipal: false); }
        }
        var resource = new LayerState();
        if (policies.ResourcePolicy is { } rp) { scan.Run(rp, AwsLayer.Resource, ref resource, checkPrincipal: true); }
        var boundary = new LayerState();
        if (scan.PrincipalHasBoundary)
        {
            foreach (var p in policies.Boundaries) { scan.Run(p, AwsLayer.Boundary, ref boundary, checkPrincipal: false); }
        }
        var session = new LayerState();
        var sessionApplies = policies.SessionPolicy is not null && principal.Kind is AwsPrincipalKind.AssumedRole or AwsPrincipalKind.FederatedUser or AwsPrincipalKind.Role;
        if (sessionApplies) { scan.Run(policies.SessionPolicy!, AwsLayer.Session, ref session, checkPrincipal: false); }
        var endpoints = policies.EndpointPolicies.IsEmpty ? [] : new LayerState[policies.EndpointPolicies.Length];
        for (var i = 0; i < endpoints.Length; i++) { scan.Run(policies.EndpointPolicies[i], AwsLayer.Endpoint, ref endpoints[i], checkPrincipal: true); }

        var inputs = new DecisionInputs(request, policies, rcpLevels, scpLevels, identity, resource, boundary, session, sessionApplies, scan.PrincipalHasBoundary, endpoints);

        if (scan.Denies is { } denies)
        {
            var layer = denies[0].Layer;
            foreach (var d in denies) { if (d.Layer < layer) { layer = d.Layer; } }
            return new EvaluationResult(Decision.ExplicitDeny, layer, [.. denies], aliasDiagnostics.AddRange(scan.Diagnostics()));
        }
        var definite = Decide(in inputs, Assume.Nothing);
        var optimistic = scan.HasUnknown ? Decide(in inputs, Assume.UnknownAllows) : definite;
        var pessimisticAllowed = scan.HasUnknown ? Decide(in inputs, Assume.UnknownDenies).Allowed && !scan.MaybeDeny : definite.Allowed;
        if (definite.Allowed)
        {
            if (!pessimisticAllowed)
            {
                return scan.Indeterminate(aliasDiagnostics);
            }
            // Every matching Allow of the identity and resource layers is reported, even when one alone sufficed.
            // The boundary and session statements are reported when they limited the grant (not for a resource policy
            // naming the caller, which grants on its own); a layer that does not apply was not scanned and adds nothing.
            var withBoundary = definite.ThroughLimits;
            var withSession = definite.ThroughLimits;
            var count = CountAllows(rcpLevels) + CountAllows(scpLevels) + CountAllows(endpoints) + identity.AllowCount + resource.AllowCount
                + (withBoundary ? boundary.AllowCount : 0) + (withSession ? session.AllowCount : 0);
            var statements = ImmutableArray.CreateBuilder<StatementRef>(count);
            foreach (var l in rcpLevels) { l.CopyAllowsTo(statements); }
            foreach (var l in scpLevels) { l.CopyAllowsTo(statements); }
            identity.CopyAllowsTo(statements);
            resource.CopyAllowsTo(statements);
            if (withBoundary) { boundary.CopyAllowsTo(statements); }
            if (withSession) { session.CopyAllowsTo(statements); }
            foreach (var e in endpoints) { e.CopyAllowsTo(statements); }
            return new EvaluationResult(Decision.Allow, null, statements.MoveToImmutable(), aliasDiagnostics.AddRange(scan.Diagnostics()));
        }
        if (optimistic.Allowed)
        {
            return scan.Indeterminate(aliasDiagnostics);
        }
        return new EvaluationResult(Decision.ImplicitDeny, definite.BlockedBy, [], aliasDiagnostics.AddRange(scan.Diagnostics()));
    }

    private static Diagnostic BuiltIn(AwsBuiltInRule rule, string verb) =>
        Diagnostic.Info(DiagnosticCodes.EvaluationBuiltInRule, $"AWS {verb} this whatever the policies say: {rule.Reason} (rule `{rule.Id}`; {rule.Source})");

    private static bool IsKmsAlias(AwsRequest request) =>
        request.Service == "kms" && request.Resource.StartsWith("arn:", StringComparison.Ordinal) && request.Resource.Contains(":alias/", StringComparison.Ordinal);

    // KMS Developer Guide, "Controlling access to aliases": these are authorised on the alias and on the key separately.
    private static bool IsAliasManagement(AwsRequest request)
    {
        var name = request.Action.AsSpan(4);
        return name.Equals("CreateAlias", StringComparison.OrdinalIgnoreCase)
            || name.Equals("UpdateAlias", StringComparison.OrdinalIgnoreCase)
            || name.Equals("DeleteAlias", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Actions whose resource policy must itself allow, even within the account: KMS key policies and role trust policies.</summary>
    public static bool RequiresResourcePolicy(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // An alias has no key policy of its own (KMS Developer Guide, "Controlling access to aliases").
        if (request.Service == "kms") { return request.Resource.Contains(":key/", StringComparison.Ordinal); }
        if (request.Service != "sts") { return false; }
        var name = request.Action.AsSpan(4);
        return name.StartsWith("AssumeRole", StringComparison.OrdinalIgnoreCase)
            || name.Equals("TagSession", StringComparison.OrdinalIgnoreCase)
            || name.Equals("SetSourceIdentity", StringComparison.OrdinalIgnoreCase)
            || name.Equals("SetContext", StringComparison.OrdinalIgnoreCase);
    }

    private static int CountAllows(LayerState[] states)
    {
        var n = 0;
        foreach (var s in states) { n += s.AllowCount; }
        return n;
    }

    private static bool HasBoundarySemantics(AwsPrincipal p) => p.Kind is AwsPrincipalKind.User or AwsPrincipalKind.Role or AwsPrincipalKind.AssumedRole or AwsPrincipalKind.FederatedUser;

    private static LayerState[] ScanLevels(ImmutableArray<PolicyLevel> levels, AwsLayer layer, Scan scan)
    {
        var states = new LayerState[levels.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            foreach (var p in levels[i].Policies) { scan.Run(p, layer, ref states[i], checkPrincipal: layer == AwsLayer.Rcp); }
        }
        return states;
    }

    private enum Assume
    {
        Nothing,
        UnknownAllows,
        UnknownDenies,
    }

    private readonly record struct Outcome(bool Allowed, AwsLayer? BlockedBy, bool ThroughLimits);

    private readonly record struct DecisionInputs(
        AwsRequest Request,
        AwsPolicySet Policies,
        LayerState[] Rcps,
        LayerState[] Scps,
        LayerState Identity,
        LayerState Resource,
        LayerState Boundary,
        LayerState Session,
        bool SessionApplies,
        bool BoundaryApplies,
        LayerState[] Endpoints);

    private static Outcome Decide(in DecisionInputs x, Assume assume)
    {
        var optimistic = assume == Assume.UnknownAllows;
        // RCPFullAWSAccess is attached to every root, OU and account and cannot be detached (Organizations User Guide,
        // "Resource control policies"): every RCP level allows, so RCPs only ever deny. This is the one place the
        // rule lives; `simulate` and the estate path both come through here.
        foreach (var level in x.Scps)
        {
            if (!level.IsAllowed(optimistic)) { return new(false, AwsLayer.Scp, false); }
        }
        var core = DecideCore(in x, optimistic);
        if (!core.Allowed) { return core; }
        foreach (var e in x.Endpoints)
        {
            if (!e.IsAllowed(optimistic)) { return new(false, AwsLayer.Endpoint, false); }
        }
        return core;
    }

    private static Outcome DecideCore(in DecisionInputs x, bool optimistic)
    {
        var request = x.Request;
        var principal = request.Principal;
        var resourceMatch = x.Resource.BestMatch(optimistic);
        if (!principal.IsIamPrincipal)
        {
            // Services, identity providers and anonymous callers have no identity policies: only a resource policy grants.
            return resourceMatch != PrincipalMatch.None ? new(true, null, false) : new(false, AwsLayer.Resource, false);
        }
        var identityAllows = principal.Kind == AwsPrincipalKind.Root || x.Identity.IsAllowed(optimistic);
        var boundaryOk = !x.BoundaryApplies || x.Boundary.IsAllowed(optimistic);
        var sessionOk = !x.SessionApplies || x.Session.IsAllowed(optimistic);
        if (request.IsCrossAccount)
        {
            if (!identityAllows) { return new(false, AwsLayer.Identity, false); }
            if (!boundaryOk) { return new(false, AwsLayer.Boundary, false); }
            if (!sessionOk) { return new(false, AwsLayer.Session, false); }
            if (resourceMatch == PrincipalMatch.None) { return new(false, AwsLayer.Resource, false); }
            return new(true, null, true);
        }
        var mustHaveResource = RequiresResourcePolicy(request);
        if (mustHaveResource && resourceMatch == PrincipalMatch.None) { return new(false, AwsLayer.Resource, false); }
        if (resourceMatch == PrincipalMatch.Direct) { return new(true, null, false); }
        var viaRole = resourceMatch == PrincipalMatch.Role;
        if (!identityAllows && !viaRole) { return new(false, AwsLayer.Identity, false); }
        if (!boundaryOk) { return new(false, AwsLayer.Boundary, false); }
        if (!sessionOk) { return new(false, AwsLayer.Session, false); }
        return new(true, null, true);
    }

    /// <summary>What one layer (or one SCP/RCP level) allowed: definitely, or only if unknown statements match.</summary>
    private struct LayerState
    {
        public bool Allowed;
        public bool MaybeAllowed;
        public PrincipalMatch Best;
        public PrincipalMatch BestMaybe;
        public List<StatementRef>? Allows;

        public readonly bool IsAllowed(bool optimistic) => Allowed || (optimistic && MaybeAllowed);

        public readonly int AllowCount => Allows?.Count ?? 0;

        public readonly void CopyAllowsTo(ImmutableArray<StatementRef>.Builder target)
        {
            if (Allows is not null) { target.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Allows)); }
        }

        public readonly PrincipalMatch BestMatch(bool optimistic)
        {
            if (!Allowed && !(optimistic && MaybeAllowed)) { return PrincipalMatch.None; }
            return optimistic ? Stronger(Best, BestMaybe) : Best;
        }

        public void Note(PrincipalMatch m, bool definite)
        {
            if (definite)
            {
                Allowed = true;
                Best = Stronger(Best, m);
            }
            else
            {
                MaybeAllowed = true;
                BestMaybe = Stronger(BestMaybe, m);
            }
        }

        private static PrincipalMatch Stronger(PrincipalMatch a, PrincipalMatch b) => Rank(a) >= Rank(b) ? a : b;

        private static int Rank(PrincipalMatch m) => m switch
        {
            PrincipalMatch.Direct => 3,
            PrincipalMatch.Role => 2,
            PrincipalMatch.Account => 1,
            _ => 0,
        };
    }

    private sealed class Scan(AwsRequest request, bool principalHasBoundary)
    {
        private List<(StatementRef Ref, string Reason, bool OnlyKeys)>? _unknown;
        private List<DecidingCondition>? _conditions;

        /// <summary>The matching Deny statements, or null when none matched.</summary>
        public List<StatementRef>? Denies { get; private set; }

        public bool MaybeDeny { get; private set; }

        public bool HasUnknown => _unknown is not null;

        public bool PrincipalHasBoundary { get; } = principalHasBoundary;

        public void Run(CompiledPolicy policy, AwsLayer layer, ref LayerState state, bool checkPrincipal)
        {
            foreach (var st in policy.Statements)
            {
                var outcome = st.Match(request);
                if (outcome == MatchOutcome.NoMatch) { continue; }
                var principalMatch = PrincipalMatch.Direct;
                if (checkPrincipal)
                {
                    principalMatch = st.MatchPrincipal(request.Principal, PrincipalHasBoundary);
                    if (principalMatch == PrincipalMatch.None)
                    {
                        // An unreadable Principal (`"Principal": "arn:…"`) may name anyone: the statement stays unknown.
                        if (outcome != MatchOutcome.Unknown || !st.Statement.PrincipalUnknown) { continue; }
                        principalMatch = PrincipalMatch.Direct;
                    }
                }
                var statement = st.Statement;
                var reference = st.RefFor(policy.Name, layer);
                if (outcome == MatchOutcome.Unknown)
                {
                    var reason = st.Explain(request, out var conditions, out var onlyKeys);
                    (_unknown ??= []).Add((reference, reason, onlyKeys));
                    foreach (var c in conditions) { (_conditions ??= []).Add(new DecidingCondition(reference, c)); }
                    if (statement.Effect == Effect.Deny || statement.EffectUnknown) { MaybeDeny = true; }
                    if (statement.Effect == Effect.Allow || statement.EffectUnknown) { state.Note(principalMatch, definite: false); }
                    continue;
                }
                if (statement.Effect == Effect.Deny)
                {
                    (Denies ??= []).Add(reference);
                }
                else
                {
                    state.Note(principalMatch, definite: true);
                    (state.Allows ??= []).Add(reference);
                }
            }
        }

        public ImmutableArray<Diagnostic> Diagnostics()
        {
            if (_unknown is null) { return []; }
            return [.. _unknown.Select(u => u.OnlyKeys
                ? Diagnostic.Info(DiagnosticCodes.EvaluationUnknownContextKey, $"statement {u.Ref.Statement} of policy `{u.Ref.Policy}` depends on the request: {u.Reason}")
                : Diagnostic.Warning(
                    u.Reason.Contains("policy variable", StringComparison.Ordinal) ? DiagnosticCodes.EvaluationUnresolvedVariable : DiagnosticCodes.EvaluationIndeterminate,
                    $"statement {u.Ref.Statement} of policy `{u.Ref.Policy}` could not be evaluated: {u.Reason}"))];
        }

        /// <summary>An Indeterminate result with the conditions it depends on.</summary>
        public EvaluationResult Indeterminate(ImmutableArray<Diagnostic> extra) =>
            new(Decision.Indeterminate, null, [], extra.AddRange(Diagnostics()))
            {
                Conditions = _conditions is null ? [] : [.. _conditions],
                DependsOnlyOnContext = _unknown is not null && _unknown.TrueForAll(u => u.OnlyKeys),
            };
    }
}
