using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Paths;

namespace Ciem.Core.Aws.Gate;

/// <summary>
/// The `new-escalation-path` rule: with the estate in the store, the attack graph is built for the estate with every
/// changed principal as the change leaves it before and after, and each principal that could not become an
/// administrator before and can after, through a path of two or more steps, is reported with the path
/// (docs/attack-paths.md). One-step paths are the `new-escalation` rule's; becoming administrator directly, `new-admin`'s.
/// </summary>
public static class EscalationPathRule
{
    public const string RuleId = "new-escalation-path";

    /// <summary>Paths shorter than this are reported by the single-step rules.</summary>
    public const int MinHops = 2;

    public static readonly GateRule Rule = new(RuleId, FindingSeverity.High, "new multi-hop path to an administrator",
        "with the estate (--db), a principal that could not become an administrator before the change can after it, through two or more steps (assume a role, pass it to a service, write a policy …), reported with the path; group and standalone managed-policy changes are not applied to the graph");

    /// <summary>The findings of <paramref name="deltas"/> applied together to <paramref name="estate"/>.</summary>
    public static ImmutableArray<GateFinding> Evaluate(AwsEstate estate, IReadOnlyList<PermissionDelta> deltas, AttackGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(deltas);
        // Groups and standalone policies have no identity of their own in the graph; their members are not resolved here.
        var applied = deltas.Where(d => d.Change.Kind is GatePrincipalKind.User or GatePrincipalKind.Role).ToList();
        if (applied.Count == 0) { return []; }
        var diags = new DiagnosticBag();
        var before = estate.With(applied.Select(d => Side(estate, d, d.Before.Context, d.Change.TrustBefore, diags)));
        var after = estate.With(applied.Select(d => Side(estate, d, d.After.Context, d.Change.TrustAfter, diags)));
        var pathsBefore = new AttackPaths(AttackGraphBuilder.Build(before, null, options));
        var pathsAfter = new AttackPaths(AttackGraphBuilder.Build(after, null, options));
        var standingBefore = pathsBefore.Standings.ToDictionary(s => s.Identity.Identity.Id, StringComparer.Ordinal);
        var findings = ImmutableArray.CreateBuilder<GateFinding>();
        foreach (var now in pathsAfter.Standings)
        {
            if (now.Category != AdminCategory.CanBecomeAdministrator || now.PathToAdministrator is not { } path) { continue; }
            if (AttackPaths.CountedHops(path) < MinHops) { continue; }
            if (standingBefore.TryGetValue(now.Identity.Identity.Id, out var was) && was.Category is AdminCategory.Administrator or AdminCategory.CanBecomeAdministrator) { continue; }
            var cause = Cause(path, applied);
            var source = now.Identity.Identity.Id;
            findings.Add(new GateFinding(RuleId, Rule.DefaultSeverity, cause.Change.Id,
                $"the change to `{cause.Change.Id}` gives `{source}` a {AttackPaths.CountedHops(path)}-step path to administrator: {string.Join(" → ", Nodes(path))}",
                [.. Evidence(path)], cause.Change.Location, path.Certainty != EdgeCertainty.Certain || !cause.After.Indeterminate.IsEmpty));
        }
        return findings.ToImmutable();
    }

    /// <summary>One side of a changed principal as the graph needs it: its identity, with the trust policy of that side.</summary>
    private static AwsIdentityContext Side(AwsEstate estate, PermissionDelta delta, AwsIdentityContext context, GatePolicy? trust, DiagnosticBag diags)
    {
        var existing = estate.Identities.FirstOrDefault(i => i.Identity.Id == context.Identity.Id);
        CompiledPolicy? trustPolicy = existing?.TrustPolicy;
        if (delta.Change.Kind == GatePrincipalKind.Role && trust is not null)
        {
            trustPolicy = trust.Document is { } document
                ? CompiledPolicy.Compile(document with { Kind = PolicyKind.Trust }, diags)
                : CompiledPolicy.Compile(PolicyDocument.Unknown(trust.Name, $"the content of trust policy `{trust.Name}` is unknown") with { Kind = PolicyKind.Trust }, diags);
        }
        return context with { TrustPolicy = delta.Change.Kind == GatePrincipalKind.Role ? trustPolicy : null };
    }

    /// <summary>The change a path goes through: the first changed principal on it (its source included), else the first change.</summary>
    private static PermissionDelta Cause(AttackPath path, List<PermissionDelta> applied)
    {
        foreach (var node in Nodes(path))
        {
            if (applied.Find(d => d.After.Context.Identity.Id == node) is { } d) { return d; }
        }
        return applied[0];
    }

    private static IEnumerable<string> Nodes(AttackPath path) =>
        path.Steps.IsEmpty ? [path.Source] : path.Steps.Select(s => s.From).Append(path.Steps[^1].To).Distinct(StringComparer.Ordinal);

    /// <summary>Each step with its technique, certainty and the statements that decide it.</summary>
    private static IEnumerable<string> Evidence(AttackPath path)
    {
        var n = 1;
        foreach (var s in path.Steps)
        {
            var via = s.Via is null ? "" : $" (via {s.Via})";
            var certainty = s.Certainty switch
            {
                EdgeCertainty.Certain => "",
                EdgeCertainty.NeedsResource => $", possible if {s.Technique.Needs ?? "the resource"} exists",
                _ => ", indeterminate",
            };
            var statements = s.Checks.SelectMany(c => c.Statements).Select(AwsEffectivePermissionCalculator.Describe).Distinct(StringComparer.Ordinal).ToList();
            var decided = statements.Count == 0 ? "" : $"; {string.Join("; ", statements)}";
            yield return $"{n++}. `{s.From}` → `{s.To}`: {s.Technique.Title}{via}{certainty}{decided}";
        }
    }
}
