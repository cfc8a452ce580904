using System.Text.Json;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Tests.Aws.Catalog;
using Xunit.Abstractions;

namespace Ciem.Core.Tests.Aws.Usage;

/// <summary>
/// Our event → action mapping against iamlive's SDK-call → IAM-action map (2022), read in place. iamlive keys are
/// `SdkService.Operation`; the operation is what CloudTrail logs as eventName. Figures: docs/cloudtrail.md.
/// </summary>
[Trait("Category", "SharedData")]
public sealed class IamliveAgreementTests(ITestOutputHelper output)
{
    [Fact]
    public void Map_IamliveSdkCalls_AgreeAboveFloor()
    {
        // Given iamlive's map and its SDK-service → IAM-prefix table
        using var document = JsonDocument.Parse(File.ReadAllBytes(SharedData.Path("iamlive-sdk-to-iam-map", "map.json")));
        var services = document.RootElement.GetProperty("sdk_service_mappings");
        var mapper = EventActionMapper.Default;
        int total = 0, exact = 0, primary = 0, overlap = 0, ours = 0, theirsUnknown = 0, unknown = 0;
        var disagree = new Dictionary<string, int>();
        var examples = new List<string>();

        // When each call is mapped by us as an event of the service's endpoint
        foreach (var call in document.RootElement.GetProperty("sdk_method_iam_mappings").EnumerateObject())
        {
            var dot = call.Name.IndexOf('.', StringComparison.Ordinal);
            var sdk = call.Name[..dot];
            var prefix = services.TryGetProperty(sdk, out var p) ? p.GetString()! : sdk.ToLowerInvariant();
            var theirs = call.Value.EnumerateArray().Select(a => a.GetProperty("action").GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!theirs.Any(a => mapper.Catalog.TryGetAction(a, out _))) { theirsUnknown++; continue; }
            total++;
            var mapping = mapper.Map(mapper.EventSourceFor(prefix), call.Name[(dot + 1)..]);
            if (mapping.Kind == EventMappingKind.Unknown)
            {
                unknown++;
                disagree[prefix] = disagree.GetValueOrDefault(prefix) + 1;
                continue;
            }
            ours++;
            if (mapping.Actions.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(theirs)) { exact++; }
            else if (examples.Count < 40 && (examples.Count < 20 || !theirs.Contains(mapping.Actions.FirstOrDefault() ?? "")))
            {
                examples.Add($"{call.Name}: ours [{string.Join(",", mapping.Actions)}] theirs [{string.Join(",", theirs)}]");
            }
            if (mapping.Actions.Length > 0 && theirs.Contains(mapping.Actions[0])) { primary++; }
            if (mapping.Actions.Any(theirs.Contains)) { overlap++; }
        }
        output.WriteLine($"iamlive calls with a catalog action: {total} (skipped {theirsUnknown} naming only actions absent from today's catalog)");
        output.WriteLine($"we map {ours} ({100.0 * ours / total:F1}%); exact same set {exact} ({100.0 * exact / total:F1}%); " +
            $"our primary action among theirs {primary} ({100.0 * primary / total:F1}%); any overlap {overlap} ({100.0 * overlap / total:F1}%); unknown to us {unknown}");
        output.WriteLine("unknown by prefix: " + string.Join(", ", disagree.OrderByDescending(kv => kv.Value).Take(20).Select(kv => $"{kv.Key} {kv.Value}")));

        foreach (var example in examples) { output.WriteLine(example); }

        // Then agreement stays above the recorded floor
        Assert.True(primary >= total * 0.97, $"primary agreement {primary}/{total}");
    }
}
