using Ciem.App.Sweep;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli;

/// <summary>The CLI's side of the App sweep: a progress bar on a terminal, and the sweep's notices on the error stream.</summary>
public static class SweepHost
{
    /// <summary>
    /// Runs <paramref name="sweep"/> (under a progress bar on an interactive terminal unless <paramref name="quiet"/>)
    /// and prints its notices (the no-usage warnings unless <paramref name="quiet"/>); null when a notice stopped it.
    /// </summary>
    public static T? Run<T>(CliHost host, bool quiet, Func<IProgress<SweepProgress>?, SweepOutcome<T>> sweep)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(sweep);
        SweepOutcome<T> outcome = null!;
        if (!host.Interactive || quiet) { outcome = sweep(null); }
        else
        {
            host.Console.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
            {
                ProgressTask? task = null;
                var gate = new object();
                // The sweep reports from its worker threads: one task, created by the first report.
                outcome = sweep(new Reporter(p =>
                {
                    lock (gate)
                    {
                        task ??= ctx.AddTask("sweeping identities", maxValue: Math.Max(1, p.Total));
                        task.Value = Math.Max(task.Value, p.Done);
                    }
                }));
            });
        }
        Print(host, outcome.Notices, quiet);
        return outcome.Result;
    }

    /// <summary>
    /// The App sweep of the estate in the command's store (<paramref name="providers"/>, default: those it holds) for
    /// the commands that render it or build on it (sweep, review, demo); null after a message when a provider has no inventory.
    /// With a <paramref name="sink"/>, each AWS identity's details go to it as they are computed (<see cref="EstateSweeper.Sweep"/>).
    /// </summary>
    public static EstateSweepResult? Estate(CliHost host, string? db, SweepOptions options, DateTimeOffset asOf, bool quiet,
        IEnumerable<string>? providers = null, Action<AwsSweepItem>? sink = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var session = host.Session(db);
        var request = new SweepRequest(asOf, options) { Providers = [.. (providers ?? []).Select(Provider.Parse)] };
        return Run(host, quiet, progress => EstateSweeper.Sweep(session, request, progress, sink));
    }

    /// <summary>Prints notices as the commands always have: `error: …`, the diagnostics under their count, `warning: …`.</summary>
    public static void Print(CliHost host, IEnumerable<SweepNotice> notices, bool quiet)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(notices);
        foreach (var n in notices)
        {
            switch (n.Kind)
            {
                case SweepNoticeKind.Missing:
                    host.Error.WriteLine($"error: {n.Message}");
                    break;
                case SweepNoticeKind.Diagnostics:
                    host.Error.WriteLine($"{n.Message}:");
                    Commands.StoreAccess.WriteDiagnostics(host, n.Diagnostics, max: 10);
                    break;
                case SweepNoticeKind.NoUsage when !quiet:
                    host.Error.WriteLine($"warning: {n.Message}");
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Reports on the calling thread (the sweep's workers), so the bar moves while it runs.</summary>
    private sealed class Reporter(Action<SweepProgress> report) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value) => report(value);
    }
}
