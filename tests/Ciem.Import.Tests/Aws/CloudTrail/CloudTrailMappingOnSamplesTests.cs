using Ciem.Core.Aws.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws.CloudTrail;
using Xunit.Abstractions;

namespace Ciem.Import.Tests.Aws.CloudTrail;

/// <summary>The real samples end to end: read, map, attribute, roll up. Figures are quoted in docs/cloudtrail.md.</summary>
[Trait("Category", "SharedData")]
public sealed class CloudTrailMappingOnSamplesTests(ITestOutputHelper output)
{
    [Fact]
    public void Rollup_RealAttackLogs_MapsNearlyEveryEventAndReportsTheRest()
    {
        // Given the Invictus and Stratus Red Team logs (real events from sandbox accounts)
        var paths = new[] { Ciem.Tests.TestPaths.Shared("invictus-aws-cloudtrail"), Ciem.Tests.TestPaths.Shared("stratus-red-team-detonation-logs") };
        var rollup = new UsageRollup(EventActionMapper.Default);
        var kinds = new Dictionary<EventPrincipalKind, int>();
        var outcomes = new Dictionary<RollupOutcome, int>();

        // When every event is rolled up (one thread, so the rollup needs no lock)
        var result = CloudTrailReader.Read(paths, e =>
        {
            var outcome = rollup.Add(e);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            kinds[e.Principal.Kind] = kinds.GetValueOrDefault(e.Principal.Kind) + 1;
        }, new CloudTrailReadOptions { MaxParallelism = 1 });
        var unmapped = rollup.UnmappedDiagnostics().ToList();
        output.WriteLine($"events {result.EventsRead}; outcomes {string.Join(", ", outcomes.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");
        output.WriteLine($"principals {string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");
        output.WriteLine($"usage rows {rollup.Usage.Count}, attempt rows {rollup.Attempts.Count}");
        foreach (var d in unmapped) { output.WriteLine(d.ToString()); }

        // Then at least 99.5% of the events map to IAM actions or are known to need none, and the rest are reported
        var mapped = result.EventsRead - rollup.Unmapped.Values.Sum() - rollup.Duplicates;
        Assert.True(mapped >= result.EventsRead * 0.995, $"{mapped} of {result.EventsRead} mapped");
        Assert.All(unmapped, d => Assert.Equal(DiagnosticCodes.CloudTrailUnmappedEvent, d.Code));
        Assert.Equal(rollup.Unmapped.Count, unmapped.Count);
        Assert.Contains(EventPrincipalKind.AwsService, kinds.Keys);
        Assert.Contains(EventPrincipalKind.FederatedUser, kinds.Keys);
        Assert.Contains(rollup.Attempts.Keys, k => k.IsDenied);
    }
}
