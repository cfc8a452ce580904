using System.Collections.Immutable;
using System.CommandLine;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>The window options shared by gap, propose and sweep, and the usage they load from the store.</summary>
public sealed class UsageOptions
{
    public Option<int> Window { get; }
    public Option<int> Lookback { get; } = new("--lookback") { Description = "days to look back for seasonal actions (quarterly, yearly jobs)", DefaultValueFactory = _ => 400 };
    public Option<DateTimeOffset?> AsOf { get; } = new("--as-of") { Description = "the end of the window (default: now)" };
    public Option<bool> DataEvents { get; } = new("--data-events") { Description = "the trails record data events (S3 object reads, Lambda invokes…): their absence then means unused, not unknown" };
    public Option<string[]> Keep { get; } = new("--keep") { Description = "actions always kept in proposals (exceptions), e.g. --keep kms:Decrypt", AllowMultipleArgumentsPerToken = true };

    public Option<string?> Config { get; } = new("--config") { Description = "the ciem.yml with the `exclusions` section (default: ./ciem.yml when present)" };

    /// <param name="host">the host whose `ciem.yml` / `$CIEM_WINDOW` sets the default window (90 days without one).</param>
    public UsageOptions(CliHost? host = null)
    {
        Window = new("--window")
        {
            Description = "the usage window in days (default: `window` of ciem.yml, $CIEM_WINDOW, else 90)",
            DefaultValueFactory = _ => host?.Settings.WindowDays ?? Ciem.App.Settings.CiemSettings.DefaultWindowDays,
        };
        // The window is whole days ending on the as-of day (UsageWindow): at least that one day.
        Window.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) { r.AddError($"`--window` must be at least 1 day, not `{r.GetValueOrDefault<int>()}`"); }
        });
        Lookback.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) { r.AddError($"`--lookback` must be 0 or more days, not `{r.GetValueOrDefault<int>()}`"); }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Window);
        command.Options.Add(Lookback);
        command.Options.Add(AsOf);
        command.Options.Add(DataEvents);
        command.Options.Add(Keep);
    }

    public SweepOptions ToSweepOptions(ParseResult p) => new()
    {
        WindowDays = p.GetValue(Window),
        LookbackDays = p.GetValue(Lookback),
        Proposal = new ProposalOptions
        {
            DataEventsRecorded = p.GetValue(DataEvents),
            KeepActions = [.. p.GetValue(Keep) ?? []],
        },
    };
}

/// <summary>Usage for a window and a lookback, by identity, ready for the gap and the proposer.</summary>
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

public static class UsageAccess
{
    public static UsageData Load(ICiemStore store, DateTimeOffset asOf, SweepOptions options)
    {
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
