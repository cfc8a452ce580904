using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Gate;
using Ciem.Core.Gate;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Gate;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import.Iac;
using Ciem.Core.Model;
using Ciem.Storage;

namespace Ciem.App.Gate;

/// <summary>
/// The Azure, GCP and AWS resource-policy part of `ciem check`: the change's <see cref="CloudChanges"/> evaluated in the
/// context of the store (Azure and GCP inventories, the AWS organisation's accounts, usage of the last 90 days) when
/// `--db` is given, else on their own.
/// </summary>
internal static class CheckClouds
{
    private const int UsageDays = 90;

    public static CloudGateResult Evaluate(CloudChanges clouds, ICiemStore? store, AwsEstate? estate, DateTimeOffset asOf)
    {
        if (clouds.IsEmpty) { return CloudGateResult.Empty; }
        AzureInventory? azure = null;
        GcpInventory? gcp = null;
        if (store is not null && !clouds.Azure.IsEmpty) { azure = store.LoadAzureInventory(); }
        if (store is not null && !clouds.Gcp.IsEmpty) { gcp = store.LoadGcpInventory(); }
        var result = AzureGate.Evaluate(clouds.Azure, azure, AzureOperationCatalog.Default)
            .Merge(GcpGate.Evaluate(clouds.Gcp, gcp, GcpRoleCatalog.Default));
        var known = KnownAccounts(estate);
        var findings = clouds.ResourcePolicies.SelectMany(c => ResourcePolicyRules.Evaluate(c, known)).ToList();
        if (store is not null)
        {
            var window = UsageWindow.Of(asOf, UsageDays);
            var usage = new Dictionary<string, Dictionary<string, HashSet<string>>>(StringComparer.Ordinal);
            foreach (var delta in result.Deltas)
            {
                if (!usage.TryGetValue(delta.Provider, out var byIdentity))
                {
                    usage[delta.Provider] = byIdentity = store.LoadUsage(delta.Provider, window.Start, window.EndExclusive)
                        .GroupBy(u => u.Identity, StringComparer.OrdinalIgnoreCase)
                        .ToDictionary(g => g.Key, g => g.Select(u => u.Action).ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
                }
                var identity = delta.Id[(delta.Provider.Length + 1)..];
                var location = result.Findings.FirstOrDefault(f => f.Principal == delta.Id)?.Location;
                findings.AddRange(CloudUsageRules.Evaluate(delta, byIdentity.GetValueOrDefault(identity), location));
            }
        }
        return result.Merge(new CloudGateResult([], [.. findings], []));
    }

    /// <summary>Accounts of the imported organisation and inventory: a resource policy naming them is not cross-account.</summary>
    private static ImmutableHashSet<string> KnownAccounts(AwsEstate? estate) =>
        estate is null ? [] : [.. (estate.Inventory.Organization?.Accounts ?? []).Select(a => a.Id).Concat(estate.Inventory.Accounts.Select(a => a.AccountId))];
}
