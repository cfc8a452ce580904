using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Aws.Gate;

/// <summary>What the gate knows beyond the change: actions each principal used in the usage window, by principal name.</summary>
public sealed record GateUsage(ImmutableDictionary<string, ImmutableHashSet<string>> UsedActionsByPrincipal)
{
    public static readonly GateUsage None = new(ImmutableDictionary<string, ImmutableHashSet<string>>.Empty);

    public ImmutableHashSet<string>? For(PrincipalChange change) =>
        UsedActionsByPrincipal.TryGetValue(change.Name, out var used) ? used : null;
}

/// <summary>
/// The AWS rules of the CI gate (their ids and titles: <see cref="GateRules"/>), applied to one <see cref="PermissionDelta"/> each. Every rule reports what the change
/// adds (present after, absent before), so existing problems do not fail an unrelated pull request.
/// </summary>
public static class AwsGateRules
{
    /// <summary>Actions that write identity policies or credentials (the administrative set of docs/effective-permissions.md).</summary>
    public static readonly ImmutableArray<string> PolicyWritingActions = AwsEffectivePermissionCalculator.EscalationActions;

    /// <summary>Services that run code with a role passed to them: with iam:PassRole, a path to that role's permissions.</summary>
    public static readonly ImmutableArray<string> ComputeActions =
    [
        .. Paths.AwsTechniques.PassRoleTechniques.SelectMany(t => t.Actions.SelectMany(g => g)).Distinct(StringComparer.Ordinal),
        "lambda:UpdateFunctionConfiguration", "cloudformation:UpdateStack", "autoscaling:CreateLaunchConfiguration",
    ];

    public static readonly ImmutableHashSet<string> SensitiveServices =
        ["iam", "kms", "s3", "sts", "organizations", "secretsmanager", "ssm", "lambda", "cloudtrail"];

    public static ImmutableArray<GateFinding> Evaluate(PermissionDelta delta, GateUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var findings = ImmutableArray.CreateBuilder<GateFinding>();
        var change = delta.Change;
        var id = change.Id;
        var indeterminate = !delta.After.Indeterminate.IsEmpty;
        // Findings on effective permissions are indeterminate when unknown content could change them; findings on
        // statements (wildcards, trust) are about text that is known.
        GateFinding Finding(string rule, string message, IEnumerable<string> evidence, SourceLocation? location, bool onPermissions = true) =>
            new(rule, GateRules.Find(rule).DefaultSeverity, id, message, [.. evidence], location ?? change.Location, onPermissions && indeterminate);

        if (delta.BecameAdministrator)
        {
            var grants = AdminGrants(delta.After).ToList();
            findings.Add(Finding(GateRules.NewAdmin, $"`{id}` becomes administrative{(delta.After.IsFullAdministrator ? " (full administrator)" : "")}",
                grants.Select(g => $"{AwsEffectivePermissionCalculator.Describe(g.Source)}"), grants.Select(g => delta.LocationOf(g.Source.Policy)).FirstOrDefault(l => l is not null)));
        }
        var newPaths = EscalationPaths(delta.After).Where(p => !EscalationPaths(delta.Before).ContainsKey(p.Key)).ToList();
        if (newPaths.Count > 0)
        {
            findings.Add(Finding(GateRules.NewEscalation, $"`{id}` gains {newPaths.Count} privilege-escalation path(s): {string.Join(", ", newPaths.Take(5).Select(p => p.Key))}",
                newPaths.Select(p => $"{p.Key} via {p.Value}"), newPaths.Select(p => delta.LocationOf(p.Value)).FirstOrDefault(l => l is not null)));
        }
        var beforeWildcards = change.Before.SelectMany(WildcardPatterns).Select(w => w.Pattern).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (policy, statement, pattern) in change.After.SelectMany(WildcardPatterns).Where(w => !beforeWildcards.Contains(w.Pattern)))
        {
            var what = pattern.StartsWith("NotAction", StringComparison.Ordinal) ? pattern : $"`{pattern}`";
            findings.Add(Finding(GateRules.SensitiveWildcard, $"policy `{policy.Name}` allows {what} in statement {statement.Index}",
                [$"{policy.Name} statement {statement.Index}{(statement.Sid is { Length: > 0 } sid ? $" ({sid})" : "")}"], policy.LocationOf(statement), onPermissions: false));
        }
        var trustBefore = TrustedPrincipals(change.TrustBefore).Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var t in TrustedPrincipals(change.TrustAfter).Where(t => !trustBefore.Contains(t.Value)))
        {
            var location = change.TrustAfter!.LocationOf(t.Statement);
            var conditional = t.Statement.Conditions.IsEmpty ? "" : $" under conditions ({AwsEffectivePermissionCalculator.ConditionText(t.Statement.Conditions)})";
            if (t.Value == "*")
            {
                var f = Finding(GateRules.NewPublicTrust, $"the trust policy of `{id}` lets anyone assume it{conditional}", [$"statement {t.Statement.Index}: Principal `*`"], location, onPermissions: false);
                findings.Add(t.Statement.Conditions.IsEmpty ? f : f with { Severity = FindingSeverity.High });
            }
            else if (AccountOf(t.Value) is { } account && account != change.Account)
            {
                var whose = change.Account is null ? " (the role's own account is not known)" : "";
                findings.Add(Finding(GateRules.NewCrossAccountTrust, $"the trust policy of `{id}` lets account `{account}` assume it{conditional}{whose}", [$"statement {t.Statement.Index}: `{t.Value}`"], location, onPermissions: false));
            }
        }
        if (usage?.For(change) is { } used)
        {
            var removed = delta.Removed.Where(a => used.Contains(a.FullName)).Select(a => a.FullName).ToList();
            if (removed.Count > 0)
            {
                findings.Add(Finding(GateRules.RemovedUsedPermission, $"the change removes {removed.Count} action(s) `{id}` used in the usage window", removed, null));
            }
            var unused = delta.Added.Where(a => !used.Contains(a.FullName)).Select(a => a.FullName).ToList();
            if (unused.Count > 0)
            {
                findings.Add(Finding(GateRules.UnusedGrant, $"the change grants {unused.Count} action(s) `{id}` did not use in the usage window", unused.Take(20), null));
            }
        }
        foreach (var policy in change.After.Append(change.TrustAfter).OfType<GatePolicy>())
        {
            findings.AddRange(InvalidPolicyFindings(policy, id));
        }
        var unknown = change.After.Where(p => p.IsUnknown).ToList();
        if (indeterminate)
        {
            // Unknown content that could grant an administrative or escalation action is rated as that finding would
            // be: the gate must not pass at its default threshold what it cannot rule out.
            var (severity, reach) = IndeterminateReach(delta.After.Indeterminate);
            var could = reach.Count == 0 ? "" : $": they could include `{string.Join("`, `", reach.Take(5))}`";
            findings.Add(Finding(GateRules.IndeterminateChange, $"{delta.After.Indeterminate.Count} action(s) of `{id}` depend on content known only after apply{could}",
                unknown.Count > 0 ? unknown.Select(p => p.Name) : ["policies with unreadable statements"], unknown.FirstOrDefault()?.Location)
                with { Indeterminate = true, Severity = severity });
        }
        return findings.ToImmutable();
    }

    /// <summary>One `invalid-policy` finding per statement of <paramref name="policy"/> that repeats a JSON name.</summary>
    public static IEnumerable<GateFinding> InvalidPolicyFindings(GatePolicy policy, string principal)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Document is null) { yield break; }
        foreach (var st in policy.Document.Statements.Where(s => s.HasDuplicateNames))
        {
            yield return new GateFinding(GateRules.InvalidPolicy, GateRules.Find(GateRules.InvalidPolicy).DefaultSeverity, principal,
                $"statement {st.Index} of policy `{policy.Name}` repeats a JSON name: AWS rejects it, so it is indeterminate",
                [st.Defect ?? "duplicate JSON name"], policy.LocationOf(st), Indeterminate: true);
        }
    }

    private static IEnumerable<AwsGrant> AdminGrants(AwsEffectivePermissions p)
    {
        var escalation = p.Allowed.Catalog.ExpandMany(PolicyWritingActions);
        return p.Grants.Where(g => g.OnAllResources && g.Actions.Overlaps(escalation));
    }

    /// <summary>Escalation paths a principal has, each with the policy that grants it.</summary>
    /// <summary>
    /// The severity of an indeterminate change: critical when the unknown actions include one that makes a principal
    /// administrative (a policy-writing action), high when they include an escalation step (`iam:PassRole`,
    /// `sts:AssumeRole`), the rule's default otherwise; with the actions that decided it.
    /// </summary>
    private static readonly ImmutableArray<string> EscalationSteps = ["iam:PassRole", "sts:AssumeRole"];

    public static (FindingSeverity Severity, IReadOnlyList<string> Actions) IndeterminateReach(ActionSet indeterminate)
    {
        ArgumentNullException.ThrowIfNull(indeterminate);
        var catalog = indeterminate.Catalog;
        bool Has(string action) => catalog.TryGetAction(action, out var a) && indeterminate.Contains(a);
        var admin = PolicyWritingActions.Where(Has).ToList();
        if (admin.Count > 0) { return (FindingSeverity.Critical, admin); }
        var escalation = EscalationSteps.Where(Has).ToList();
        return escalation.Count > 0 ? (FindingSeverity.High, escalation) : (GateRules.Find(GateRules.IndeterminateChange).DefaultSeverity, []);
    }

    public static IReadOnlyDictionary<string, string> EscalationPaths(AwsEffectivePermissions p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var catalog = p.Allowed.Catalog;
        var paths = new SortedDictionary<string, string>(StringComparer.Ordinal);
        bool Has(AwsGrant g, string action) => catalog.TryGetAction(action, out var a) && g.Actions.Contains(a);
        foreach (var g in p.Grants)
        {
            // A grant whose only targets are AWS-managed policies writes nothing: AWS refuses every write to them.
            if (!OnlyAwsManagedPolicies(g))
            {
                foreach (var action in PolicyWritingActions.Where(a => a != "iam:CreateAccessKey" && Has(g, a))) { paths.TryAdd(action, g.Source.Policy); }
            }
            if (Has(g, "sts:AssumeRole") && g.OnAllResources) { paths.TryAdd("sts:AssumeRole on `*`", g.Source.Policy); }
            if (Has(g, "iam:CreateAccessKey") && (g.NotResource || g.Resources.Any(r => r.Contains('*', StringComparison.Ordinal) && !r.Contains("${aws:username}", StringComparison.Ordinal))))
            {
                paths.TryAdd("iam:CreateAccessKey for other users", g.Source.Policy);
            }
        }
        var passRole = p.Grants.FirstOrDefault(g => Has(g, "iam:PassRole"));
        if (passRole is not null)
        {
            foreach (var compute in ComputeActions.Where(c => catalog.TryGetAction(c, out var a) && p.Allowed.Contains(a)))
            {
                paths.TryAdd($"iam:PassRole with {compute}", passRole.Source.Policy);
            }
        }
        return paths;
    }

    private static bool OnlyAwsManagedPolicies(AwsGrant g) =>
        !g.NotResource && !g.Resources.IsEmpty && g.Resources.All(r => r.StartsWith("arn:aws:iam::aws:policy/", StringComparison.Ordinal));

    /// <summary>Allow statements with `*`, `NotAction`, or a wildcard on a sensitive service.</summary>
    private static IEnumerable<(GatePolicy Policy, Statement Statement, string Pattern)> WildcardPatterns(GatePolicy policy)
    {
        if (policy.Document is null) { yield break; }
        foreach (var st in policy.Document.Statements.Where(s => s.Effect == Effect.Allow && s.Defect is null))
        {
            if (st.NotAction)
            {
                yield return (policy, st, $"NotAction [{string.Join(", ", st.Actions)}]");
                continue;
            }
            foreach (var action in st.Actions.Where(a => a.Contains('*', StringComparison.Ordinal)))
            {
                var colon = action.IndexOf(':', StringComparison.Ordinal);
                if (action == "*" || (colon > 0 && SensitiveServices.Contains(action[..colon].ToLowerInvariant()))) { yield return (policy, st, action); }
            }
        }
    }

    /// <summary>AWS principals a trust policy's Allow statements name (`*` for everyone).</summary>
    private static IEnumerable<(Statement Statement, string Value)> TrustedPrincipals(GatePolicy? trust)
    {
        if (trust?.Document is null) { yield break; }
        foreach (var st in trust.Document.Statements.Where(s => s.Effect == Effect.Allow && !s.NotPrincipal && s.Principal is not null))
        {
            if (st.Principal!.IsWildcard) { yield return (st, "*"); continue; }
            foreach (var v in st.Principal.Values.Where(v => v.Type == PrincipalType.Aws)) { yield return (st, v.Value); }
        }
    }

    /// <summary>The account of an AWS principal value: a bare account id or the account field of an ARN.</summary>
    private static string? AccountOf(string principal)
    {
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit)) { return principal; }
        var parts = principal.Split(':');
        return parts.Length >= 6 && parts[4].Length == 12 ? parts[4] : null;
    }
}
