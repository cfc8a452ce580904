using System.Diagnostics;
using Ciem.App.Reports;
using Ciem.App.Usage;
using Ciem.Import.Usage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// The CLI's side of the usage imports: the App's one ingestion pipeline (<see cref="UsageIngestion"/>) run under a
/// progress bar on a terminal, and its counts rendered.
/// </summary>
public static class UsageIngest
{
    /// <summary>
    /// `ciem import azure-activity|gcp-audit PATH…`: selects the files not yet ingested, streams them through
    /// <paramref name="log"/>'s reader, rolls the events up per day and adds them to the store in one transaction.
    /// </summary>
    public static int Run(CliHost host, StreamedUsageLog log, string[] paths, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(log);
        var provider = log.Provider.Name;
        var result = Ingest(host, log, paths, db, quiet: format == "json");
        if (result is null) { return ExitCodes.InvalidInput; }
        var c = result.Counts;
        if (format == "json")
        {
            CliJson.Write(host, "usage-import", ImportJson.Usage(provider, result));
            return result.NothingReadable ? ExitCodes.Failure : ExitCodes.Ok;
        }
        var table = new Table().AddColumns("files read", "skipped (already ingested)", "records", "usage", "failed attempts", "in progress",
            "no caller or permission", "unmapped", "malformed");
        table.AddRow(N(c.Files), N(c.FilesSkipped), N(c.Events), N(c.UsageEvents), N(c.Attempts), N(c.Duplicates), N(c.NoAction),
            N(c.Unmapped), N(c.Malformed));
        host.Console.Write(table);
        var rate = result.Elapsed.TotalSeconds > 0 ? c.Events / result.Elapsed.TotalSeconds : 0;
        host.Console.WriteLine(
            $"ingested in {result.Elapsed.TotalSeconds:0.0} s ({rate:N0} records/s); store: {StoreAccess.PathFor(host, db)}");
        if (result.Diagnostics.Count > 0) { StoreAccess.WriteDiagnostics(host, result.Diagnostics); }
        return result.NothingReadable ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>
    /// The App's ingestion (<see cref="UsageIngestion.Run"/>), under a progress bar on a terminal unless
    /// <paramref name="quiet"/>; null after printing the diagnostics when the paths name nothing readable.
    /// </summary>
    public static UsageIngestResult? Ingest<TRollup>(CliHost host, UsageLog<TRollup> log, string[] paths, string? db, bool quiet = true)
        where TRollup : class
    {
        ArgumentNullException.ThrowIfNull(host);
        var session = host.Session(db);
        var what = log.Provider == Core.Model.Provider.Aws ? "CloudTrail" : log is StreamedUsageLog s ? s.Source : log.Provider.Name;
        IReadOnlyList<Core.Diagnostics.Diagnostic> problems = [];
        var result = WithProgress(host, !quiet, $"reading {what}",
            progress => UsageIngestion.Run(session, log, paths, host.Clock.GetUtcNow(), out problems, progress));
        if (result is null) { StoreAccess.WriteDiagnostics(host, problems); }
        return result;
    }

    /// <summary>
    /// Runs <paramref name="read"/> under a progress bar on an interactive terminal (files done of the files the
    /// progress names, records and records/s), plainly otherwise.
    /// </summary>
    public static T WithProgress<T>(CliHost host, bool show, string what, Func<IProgress<UsageReadProgress>?, T> read)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(read);
        if (!show || !host.Interactive) { return read(null); }
        var watch = Stopwatch.StartNew();
        T result = default!;
        host.Console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(),
                new SpinnerColumn())
            .Start(ctx =>
        {
            var task = ctx.AddTask(what, maxValue: 1);
            var progress = new Progress<UsageReadProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.FilesTotal);
                task.Value = p.FilesDone;
                var seconds = Math.Max(0.001, watch.Elapsed.TotalSeconds);
                task.Description = $"{what}: {p.Records:N0} records ({p.Records / seconds:N0}/s)";
            });
            result = read(progress);
        });
        return result;
    }

    private static string N(long v) => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
