using System.Text.Json;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Tests.Aws.Catalog;

/// <summary>Why an action is in one expansion and not the other.</summary>
internal enum DifferenceKind
{
    /// <summary>Only iam-dataset has it, and our catalog has no such action (removed or renamed since their snapshot).</summary>
    TheirsNotInOurCatalog,

    /// <summary>Only we have it, and iam-dataset never lists it for any policy (added to AWS after their snapshot).</summary>
    OursUnknownToThem,

    /// <summary>Only iam-dataset has it although our catalog knows it: our expansion missed it.</summary>
    TheirsMissedByUs,

    /// <summary>Only we have it although iam-dataset lists it elsewhere: their expansion of this policy missed it.</summary>
    OursMissedByThem,
}

internal sealed record ActionDifference(string Policy, string Action, DifferenceKind Kind);

/// <summary>
/// Compares our expansion of every iam-dataset managed policy (Allow statements, Action and NotAction)
/// with the policy's `effective_actions`, and sorts each difference into a <see cref="DifferenceKind"/>.
/// </summary>
internal sealed record IamDatasetAgreement(
    int Policies,
    int IdenticalPolicies,
    int InBoth,
    int CaseOnlyDifferences,
    IReadOnlyList<ActionDifference> Differences)
{
    public double IdenticalPercent => 100.0 * IdenticalPolicies / Policies;

    public int Count(DifferenceKind kind) => Differences.Count(d => d.Kind == kind);

    public static IamDatasetAgreement Measure(AwsActionCatalog catalog, string managedPoliciesDirectory)
    {
        var policies = Directory.GetFiles(managedPoliciesDirectory, "*.json").Order(StringComparer.Ordinal)
            .Select(path => (Name: Path.GetFileNameWithoutExtension(path), Json: Parse(path)))
            .ToList();
        var theirUniverse = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, json) in policies) { theirUniverse.UnionWith(TheirActions(json)); }

        int identical = 0, inBoth = 0, caseOnly = 0;
        var differences = new List<ActionDifference>();
        foreach (var (name, json) in policies)
        {
            var ours = OurActions(catalog, json.GetProperty("document"));
            var theirs = TheirActions(json).ToHashSet(StringComparer.Ordinal);
            var before = differences.Count;
            foreach (var action in theirs.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (catalog.TryGetAction(action, out var known) && ours.Contains(known))
                {
                    inBoth++;
                    if (known.FullName != action) { caseOnly++; }
                    continue;
                }
                differences.Add(new(name, action, known is null ? DifferenceKind.TheirsNotInOurCatalog : DifferenceKind.TheirsMissedByUs));
            }
            foreach (var action in ours)
            {
                if (theirs.Contains(action.FullName, StringComparer.OrdinalIgnoreCase)) { continue; }
                differences.Add(new(name, action.FullName, theirUniverse.Contains(action.FullName) ? DifferenceKind.OursMissedByThem : DifferenceKind.OursUnknownToThem));
            }
            if (differences.Count == before) { identical++; }
        }
        return new IamDatasetAgreement(policies.Count, identical, inBoth, caseOnly, differences);
    }

    /// <summary>Union of the Allow statements' Action and NotAction expansions (Deny does not shrink iam-dataset's list).</summary>
    private static ActionSet OurActions(AwsActionCatalog catalog, JsonElement document)
    {
        var builder = new ActionSetBuilder(catalog);
        if (!document.TryGetProperty("Statement", out var statements)) { return builder.ToActionSet(); }
        foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray() : Enumerable.Repeat(statements, 1))
        {
            if (!statement.TryGetProperty("Effect", out var effect) || effect.GetString() != "Allow") { continue; }
            if (statement.TryGetProperty("Action", out var action)) { builder.UnionWith(catalog.ExpandMany(Strings(action))); }
            if (statement.TryGetProperty("NotAction", out var notAction)) { builder.UnionWith(catalog.ExpandNot(Strings(notAction))); }
        }
        return builder.ToActionSet();
    }

    private static IEnumerable<string> TheirActions(JsonElement policy) =>
        policy.TryGetProperty("effective_actions", out var rows)
            ? rows.EnumerateArray().Select(r => r.GetProperty("effective_action").GetString()!)
            : [];

    private static IEnumerable<string> Strings(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString() ?? "") : [value.GetString() ?? ""];

    private static JsonElement Parse(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }
}
