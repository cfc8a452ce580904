using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.LeastPrivilege;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Storage;

namespace Ciem.App.Metrics;

/// <summary>
/// Where each delivered reduction stands after the snapshots that followed it — now (`ciem reductions`) or as the
/// store knew it on a past day (the metric's backfill: only reductions delivered and snapshots taken by then count).
/// </summary>
public static class ReductionHistory
{
    /// <summary>
    /// Every recorded reduction (delivered by <paramref name="asOf"/> when given) against the snapshots taken after its delivery: AWS against its account's snapshots;
    /// Azure and GCP against the estate as each later snapshot of the provider left it (every scope at its latest
    /// snapshot no later), through <see cref="AzureReductions"/> and <see cref="GcpReductions"/>.
    /// </summary>
    public static ImmutableArray<ReductionStatus> Evaluate(ICiemStore store, TimeSpan grace, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var withdrawn = RolledBack(store, asOf);
        var reductions = store.LoadReductions().Where(r => (asOf is not { } cut || r.DeliveredAt <= cut) && !withdrawn.Contains((r.Identity, r.Location)))
            .ToImmutableArray();
        if (reductions.IsEmpty) { return []; }
        var snapshots = asOf is { } until ? [.. store.ListSnapshots().Where(s => s.TakenAt <= until)] : store.ListSnapshots();
        var observations = new Dictionary<long, List<ReductionObservation>>();
        void Add(DeliveredReduction r, ReductionObservation o)
        {
            if (!observations.TryGetValue(r.Id, out var list)) { observations[r.Id] = list = []; }
            list.Add(o);
        }
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        foreach (var account in reductions.Where(r => r.Provider == "aws").GroupBy(r => r.Scope, StringComparer.Ordinal))
        {
            var earliest = account.Min(r => r.DeliveredAt);
            foreach (var snapshot in snapshots.Where(s => s.Provider == "aws" && s.Kind == SnapshotKinds.Account && s.Scope == account.Key && s.TakenAt > earliest))
            {
                // One estate per snapshot, shared by every reduction of the account.
                var estate = AwsEstate.Build(store.LoadAwsInventoryAt(snapshot.Id));
                var byId = estate.Identities.ToDictionary(i => i.Identity.Id, StringComparer.Ordinal);
                foreach (var r in account.Where(r => snapshot.TakenAt > r.DeliveredAt)) { Add(r, Observe(calculator, snapshot, byId.GetValueOrDefault(r.Identity), r)); }
            }
        }
        ObserveCloud(reductions, snapshots, Provider.AzureName, SnapshotKinds.AzureEstate, s => store.LoadAzureInventoryAt(s.TakenAt).ToEstate(),
            (estate, r, s) => AzureReductions.Observe(estate, AzureOperationCatalog.Default, r, s.Id, s.TakenAt), Add);
        ObserveCloud(reductions, snapshots, Provider.GcpName, SnapshotKinds.GcpInventory, s => GcpPolicySet.Create(store.LoadGcpInventoryAt(s.TakenAt)),
            (policies, r, s) => GcpReductions.Observe(policies, r, s.Id, s.TakenAt), Add);
        return [.. reductions.Select(r => ReductionTracker.Evaluate(r, observations.GetValueOrDefault(r.Id) ?? [], grace))];
    }

    /// <summary>
    /// The reductions the review programme rolled back (by <paramref name="asOf"/> when given), as identity and change
    /// location: a rolled-back reduction is withdrawn, so its identity holding the old rights again is not a regrowth.
    /// </summary>
    private static HashSet<(string Identity, string Location)> RolledBack(ICiemStore store, DateTimeOffset? asOf)
    {
        var rolledBack = Core.Review.ReviewNames.Of(Core.Review.ReviewState.RolledBack);
        var withdrawn = new HashSet<(string, string)>();
        foreach (var campaign in store.ListCampaigns())
        {
            var items = store.LoadCampaign(campaign.Id)?.Items ?? [];
            foreach (var item in items.Where(i => i.State == rolledBack && i.Change is not null && (asOf is not { } cut || i.UpdatedAt <= cut)))
            {
                var change = System.Text.Json.JsonSerializer.Deserialize<Review.ReviewChange>(item.Change!, Review.ReviewEntry.Json);
                if (change is not null) { withdrawn.Add((item.Identity, change.Location)); }
            }
        }
        return withdrawn;
    }

    /// <summary>Loads the estate once per snapshot of the provider taken after the earliest delivery, and observes every reduction delivered before it.</summary>
    private static void ObserveCloud<TEstate>(ImmutableArray<DeliveredReduction> reductions, ImmutableArray<SnapshotInfo> snapshots, string provider, string kind,
        Func<SnapshotInfo, TEstate> load, Func<TEstate, DeliveredReduction, SnapshotInfo, ReductionObservation> observe, Action<DeliveredReduction, ReductionObservation> add)
    {
        var delivered = reductions.Where(r => r.Provider == provider).ToList();
        if (delivered.Count == 0) { return; }
        var earliest = delivered.Min(r => r.DeliveredAt);
        foreach (var snapshot in snapshots.Where(s => s.Provider == provider && s.Kind == kind && s.TakenAt > earliest).OrderBy(s => s.TakenAt).ThenBy(s => s.Id))
        {
            var estate = load(snapshot);
            foreach (var r in delivered.Where(r => snapshot.TakenAt > r.DeliveredAt)) { add(r, observe(estate, r, snapshot)); }
        }
    }

    private static ReductionObservation Observe(AwsEffectivePermissionCalculator calculator, SnapshotInfo snapshot, AwsIdentityContext? identity, DeliveredReduction r)
    {
        if (identity is null) { return new ReductionObservation(snapshot.Id, snapshot.TakenAt, false, [], 0); }
        var permissions = calculator.Compute(identity);
        var still = r.Removed.Where(a => calculator.Catalog.TryGetAction(a, out var action) && permissions.Allowed.Contains(action)).ToImmutableHashSet(StringComparer.Ordinal);
        return new ReductionObservation(snapshot.Id, snapshot.TakenAt, true, still, permissions.GrantedCount);
    }

}
