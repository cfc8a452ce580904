using System.Collections.Immutable;
using System.Globalization;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Gate;
using Ciem.Core.LeastPrivilege;

namespace Ciem.Core.Aws.Gate;

/// <summary>
/// The `regrown-reduction` rule: the change grants a principal again permissions that a delivered least-privilege
/// reduction (`ciem propose`, recorded in the store) removed from it.
/// </summary>
public static class RegrownReductions
{
    public const string RuleId = "regrown-reduction";

    public static readonly GateRule Rule = new(RuleId, FindingSeverity.High, "re-adds removed permissions",
        "the change grants the principal again permissions that a delivered least-privilege reduction removed (needs --db with recorded reductions)");

    public static ImmutableArray<GateFinding> Evaluate(PermissionDelta delta, IReadOnlyList<DeliveredReduction> reductions, AwsActionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(reductions);
        ArgumentNullException.ThrowIfNull(catalog);
        var change = delta.Change;
        if (delta.Added.IsEmpty || change.Kind is not (GatePrincipalKind.Role or GatePrincipalKind.User)) { return []; }
        var findings = ImmutableArray.CreateBuilder<GateFinding>();
        foreach (var r in reductions.Where(r => Matches(change, r)).OrderByDescending(r => r.DeliveredAt))
        {
            var back = r.Removed.Where(a => catalog.TryGetAction(a, out var action) && delta.Added.Contains(action)).ToList();
            if (back.Count == 0) { continue; }
            var where = r.PullRequest ?? (r.Revision is { } c ? $"{r.Location}@{c[..Math.Min(12, c.Length)]}" : r.Location);
            findings.Add(new GateFinding(RuleId, Rule.DefaultSeverity, change.Id,
                $"`{change.Id}` is granted again {back.Count} permission(s) removed by the least-privilege reduction delivered {r.DeliveredAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} ({r.Channel} {where})",
                [.. back.Take(20), .. back.Count > 20 ? new[] { $"… and {back.Count - 20} more" } : []], change.Location, !delta.After.Indeterminate.IsEmpty));
            break;
        }
        return findings.ToImmutable();
    }

    /// <summary>Same kind and name, and the same account when the change knows it.</summary>
    private static bool Matches(PrincipalChange change, DeliveredReduction r)
    {
        if (!string.Equals(change.Name, r.Name, StringComparison.Ordinal)) { return false; }
        if (change.Account is not null && change.Account != r.Scope) { return false; }
        return r.Identity.Contains($":{change.KindName}/", StringComparison.Ordinal);
    }
}
