using Ciem.Core.Aws.Catalog;
using Xunit.Abstractions;

namespace Ciem.Core.Tests.Aws.Catalog;

/// <summary>
/// Our Action/NotAction expansion against iam-dataset's `effective_actions` for its managed policies
/// (figures and explanations: docs/aws-catalog.md).
/// </summary>
[Trait("Category", "SharedData")]
public sealed class AwsActionCatalogAgreementTests(ITestOutputHelper output)
{
    private static string ManagedPolicies => SharedData.Path("iam-dataset", "aws", "managedpolicies");

    [Fact]
    public void Expand_SameDateCatalog_MatchesEveryPolicyExactly()
    {
        // Given the catalog generated from the shared iam-data copy, which has iam-dataset's date
        var catalog = SharedData.GeneratedCatalog;

        // When every managed policy's Allow statements are expanded
        var agreement = IamDatasetAgreement.Measure(catalog, ManagedPolicies);
        Report(agreement);

        // Then every policy's action set equals iam-dataset's, with no difference at all
        Assert.Equal(1390, agreement.Policies);
        Assert.Empty(agreement.Differences);
        Assert.Equal(41_008, agreement.InBoth);
    }

    [Fact]
    public void Expand_ShippedCatalog_DiffersOnlyByActionsAddedOrRemovedSinceTheirDate()
    {
        // Given the shipped catalog (a newer npm release than iam-dataset's snapshot)
        var shipped = AwsActionCatalog.Default;
        var sameDate = SharedData.GeneratedCatalog;

        // When every managed policy's Allow statements are expanded
        var agreement = IamDatasetAgreement.Measure(shipped, ManagedPolicies);
        Report(agreement);

        // Then agreement stays at the measured level (98.6% of policies identical) …
        Assert.True(agreement.IdenticalPercent >= 98.0, $"only {agreement.IdenticalPercent:F1}% of policies identical");
        Assert.True(agreement.InBoth >= 40_900, $"only {agreement.InBoth} actions in both");

        // … and every difference is explained by the catalog dates: nothing either expansion missed,
        Assert.Equal(0, agreement.Count(DifferenceKind.TheirsMissedByUs));
        Assert.Equal(0, agreement.Count(DifferenceKind.OursMissedByThem));
        Assert.Equal(0, agreement.CaseOnlyDifferences);

        // only ours: actions AWS added after their snapshot (absent from the same-date catalog),
        Assert.All(
            agreement.Differences.Where(d => d.Kind == DifferenceKind.OursUnknownToThem),
            d => Assert.False(sameDate.TryGetAction(d.Action, out _), $"{d.Action} ({d.Policy}) was already in the same-date catalog"));

        // only theirs: actions removed since (present in the same-date catalog, absent from ours)
        Assert.All(
            agreement.Differences.Where(d => d.Kind == DifferenceKind.TheirsNotInOurCatalog),
            d => Assert.True(sameDate.TryGetAction(d.Action, out _), $"{d.Action} ({d.Policy}) is in neither catalog"));
    }

    private void Report(IamDatasetAgreement agreement)
    {
        output.WriteLine($"policies {agreement.Policies}, identical {agreement.IdenticalPolicies} ({agreement.IdenticalPercent:F1}%)");
        output.WriteLine($"actions in both {agreement.InBoth} (case-only differences {agreement.CaseOnlyDifferences})");
        foreach (var kind in Enum.GetValues<DifferenceKind>())
        {
            var rows = agreement.Differences.Where(d => d.Kind == kind).ToList();
            output.WriteLine($"{kind}: {rows.Count} policy-action pairs, {rows.Select(d => d.Action).Distinct().Count()} distinct actions");
            foreach (var group in rows.GroupBy(d => d.Action.Split(':')[0]).OrderByDescending(g => g.Count()))
            {
                output.WriteLine($"  {group.Key}: {group.Select(d => d.Action).Distinct().Count()} actions, e.g. {group.First().Action} in {group.First().Policy}");
            }
        }
    }
}
