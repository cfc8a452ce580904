using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Usage;

/// <summary>AWS usage for a window and a lookback, by identity, ready for the gap and the proposer.</summary>
public sealed record UsageData(
    IReadOnlyDictionary<string, IReadOnlyList<ObservedAction>> Window,
    IReadOnlyDictionary<string, IReadOnlyList<ObservedAction>> Lookback,
    UsageCoverage Coverage,
    Func<AwsAction, bool> Recorded)
{
    /// <summary>The services whose data events the window's logs hold, per account (unseen data actions are unused).</summary>
    public DataEventCoverage DataEvents { get; init; } = DataEventCoverage.None;

    /// <summary>Whether the logs would record a use of the action by an identity of the account.</summary>
    public bool RecordedIn(string account, AwsAction action) => Recorded(action) || DataEvents.Records(account, action);
}

/// <summary>The AWS usage of a <see cref="UsageWindow"/> read from the store.</summary>
public static class UsageAccess
{
    /// <summary>The usage of the window (and its lookback) ending on the day of <paramref name="asOf"/>.</summary>
    public static UsageData Load(ICiemStore store, DateTimeOffset asOf, SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var days = UsageWindow.Of(asOf, options.WindowDays, options.LookbackDays);
        var window = Group(store.LoadUsage(Provider.Aws, days.Start, days.EndExclusive));
        var lookback = Group(store.LoadUsage(Provider.Aws, days.LookbackStart, days.Start));
        var span = store.LoadUsageSpan(Provider.Aws, days.Start, days.EndExclusive);
        var coverage = new UsageCoverage(span.FirstDay, span.LastDay, span.DaysWithEvents, span.Events, span.Identities, span.DeniedAttempts, span.Unmapped);
        var dataEvents = options.Proposal.DataEventsRecorded;
        var catalogCoverage = CloudTrailCoverage.Default;
        bool Recorded(AwsAction a) => catalogCoverage.IsRecorded(a) switch
        {
            CloudTrailRecording.Recorded => true,
            CloudTrailRecording.DataEvent => dataEvents,
            _ => false,
        };
        var seen = store.LoadLogCoverage(Provider.Aws, days.Start, days.EndExclusive)
            .Where(c => c.Log == DataEventCoverage.LogName && c.Entries > 0)
            .Select(c => DataEventCoverage.TryParseKey(c.Service, out var account, out var service) ? (account, service) : default)
            .Where(k => k.account is { Length: > 0 });
        return new UsageData(window, lookback, coverage, Recorded) { DataEvents = new DataEventCoverage(seen, dataEvents) };
    }

    private static Dictionary<string, IReadOnlyList<ObservedAction>> Group(ImmutableArray<UsageTotal> rows) =>
        rows.GroupBy(r => r.Identity, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ObservedAction>)[.. g.Select(r => new ObservedAction(r.Action, r.Resource, r.Count, r.FirstSeen, r.LastSeen))], StringComparer.Ordinal);
}
