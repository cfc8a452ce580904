using System.CommandLine;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Sweep;

namespace Ciem.Cli.Commands;

/// <summary>The window options shared by gap, propose and sweep.</summary>
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
