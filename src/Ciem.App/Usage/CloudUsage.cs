using System.Collections.Immutable;
using Ciem.Core.Azure.Usage;
using Ciem.Core.Gcp.Usage;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Usage;

/// <summary>
/// The Azure and GCP usage of a <see cref="UsageWindow"/> read from the store: the window's rows, what the window's
/// logs would record, and the lookback before the window (`ciem gap --provider`, `ciem propose --provider`, the sweep).
/// </summary>
public static class CloudUsage
{
    /// <summary>The Entra sign-in shows activity but is no permission.</summary>
    public static readonly IReadOnlySet<string> ActivityOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Import.Azure.ActivityLogReader.SignInAction };

    /// <summary>The window's usage rows of a provider, as Core reads them.</summary>
    public static ImmutableArray<ObservedUse> Load(ICiemStore store, Provider provider, UsageWindow window)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(window);
        return Rows(store, provider, window.Start, window.EndExclusive);
    }

    /// <summary>
    /// What the logs say beyond the window's usage: the usage of the lookback before the window, which permissions the
    /// window's logs would record (Azure: the Activity Log plus resource providers with data-plane coverage; GCP: Admin
    /// Activity plus the services with Data Access entries), the days with usage, and the exceptions always kept.
    /// </summary>
    public static CloudSweepEvidence Evidence(ICiemStore store, Provider provider, UsageWindow window, IReadOnlyCollection<string> keep)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(window);
        var coverage = store.LoadLogCoverage(provider, window.Start, window.EndExclusive);
        return new CloudSweepEvidence
        {
            Lookback = window.LookbackStart < window.Start ? Rows(store, provider, window.LookbackStart, window.Start) : [],
            AzureRecording = new AzureUsageRecording(coverage.Where(c => c.Log == Import.Azure.ActivityLogReader.DataPlaneLog).Select(c => c.Service)),
            GcpRecording = new GcpUsageRecording(coverage.Where(c => c.Log == "data_access").Select(c => c.Service)),
            ObservedDays = store.LoadUsageSpan(provider, window.Start, window.EndExclusive).DaysWithEvents,
            Keep = keep,
        };
    }

    /// <summary>Whether the provider's logs of the window record a grant's use.</summary>
    public static Func<PermissionGrant, UsageRecording> RecordingOf(Provider provider, CloudSweepEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return provider == Provider.Azure ? evidence.Azure : evidence.Gcp;
    }

    /// <summary>The usage rows of one principal (by id or name, without case) on the days [from, to), sign-ins left out.</summary>
    public static List<UsageTotal> OfIdentity(ICiemStore store, Provider provider, DateOnly from, DateOnly to, Identity identity)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(identity);
        if (from >= to) { return []; }
        return [.. store.LoadUsage(provider, from, to)
            .Where(u => (Same(u.Identity, identity.Id) || Same(u.Identity, identity.Name)) && u.Action != Import.Azure.ActivityLogReader.SignInAction)];
    }

    private static ImmutableArray<ObservedUse> Rows(ICiemStore store, Provider provider, DateOnly from, DateOnly to) =>
        [.. store.LoadUsage(provider, from, to).Select(u => new ObservedUse(u.Identity, u.Action, u.Resource, u.Count, u.LastSeen))];

    private static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
