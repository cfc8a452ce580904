using Ciem.App.Usage;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Sweep;

/// <summary>
/// The sweep of a past day from the store's history (`ciem metrics backfill`): each AWS account at its latest snapshot
/// taken no later than the day, the Azure and GCP estates as their snapshots left them then, and the usage of the
/// window ending that day. It measures the gap only: no proposal is computed (the metric does not need one).
/// </summary>
public static class HistoricSweep
{
    /// <summary>The sweep of <paramref name="when"/>, or null when no snapshot of any provider was taken by then.</summary>
    public static EstateSweepResult? At(ICiemStore store, DateTimeOffset when, SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        // An unused share above 100 % is never reached: the gap is measured and no proposal is made.
        options = options with { MinimumUnusedShare = double.PositiveInfinity };
        var window = UsageWindow.Of(when, options.WindowDays, options.LookbackDays);
        var snapshots = store.ListSnapshots().Where(s => s.TakenAt <= when).ToList();
        SweepResult? aws = null;
        AwsEstate? estate = null;
        var accounts = snapshots.Where(s => s.Provider == Provider.AwsName && s.Kind == SnapshotKinds.Account)
            .GroupBy(s => s.Scope, StringComparer.Ordinal).Select(g => g.OrderBy(s => s.TakenAt).ThenBy(s => s.Id).Last()).OrderBy(s => s.Scope, StringComparer.Ordinal).ToList();
        if (accounts.Count > 0)
        {
            var parts = accounts.Select(a => store.LoadAwsInventoryAt(a.Id)).ToList();
            var inventory = new AwsInventory([.. parts.SelectMany(p => p.Accounts)], parts.Select(p => p.Organization).OfType<AwsOrganization>().MaxBy(o => o.TakenAt),
                parts[0].ManagedPolicies, []);
            estate = AwsEstate.Build(inventory);
            var usage = UsageAccess.Load(store, when, options);
            var run = options with { Proposal = options.Proposal with { DataEvents = usage.DataEvents } };
            aws = SweepRunner.Run(estate, usage.Window, usage.Lookback, usage.Coverage, usage.Recorded, when, run);
        }
        CloudSweepResult? azure = null, gcp = null;
        if (snapshots.Any(s => s.Kind == SnapshotKinds.AzureEstate))
        {
            var usage = CloudUsage.Load(store, Provider.Azure, window);
            var evidence = CloudUsage.Evidence(store, Provider.Azure, window, [.. options.Proposal.KeepActions]);
            azure = CloudSweepRunner.RunAzure(store.LoadAzureInventoryAt(when), usage, CloudUsage.ActivityOnly, when, options, evidence: evidence);
        }
        if (snapshots.Any(s => s.Kind == SnapshotKinds.GcpInventory))
        {
            var usage = CloudUsage.Load(store, Provider.Gcp, window);
            var evidence = CloudUsage.Evidence(store, Provider.Gcp, window, [.. options.Proposal.KeepActions]);
            gcp = CloudSweepRunner.RunGcp(GcpPolicySet.Create(store.LoadGcpInventoryAt(when)), usage, when, options, evidence);
        }
        if (aws is null && azure is null && gcp is null) { return null; }
        return EstateSweep.Combine(when, options, aws, estate is null ? null : estate.ResolveEnvironment, azure, gcp);
    }
}
