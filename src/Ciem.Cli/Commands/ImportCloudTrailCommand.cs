using System.CommandLine;
using System.Text.Json;
using Ciem.App.Usage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem import cloudtrail PATH…`: reads CloudTrail (S3 layout, Records files, arrays, JSON Lines, lookup-events),
/// maps events to IAM actions and identities, and adds the daily rollups to the store in one transaction. Files
/// already ingested (same path, size and time, or same content) are skipped, so re-running never double counts and
/// a run stopped half-way leaves nothing behind.
/// </summary>
public static class ImportCloudTrailCommand
{

    public static Command Create(CliHost host)
    {
        var paths = new Argument<string[]>("paths") { Description = "CloudTrail files or folders (e.g. a synced `AWSLogs/` tree)", Arity = ArgumentArity.OneOrMore };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("cloudtrail", "ingest CloudTrail logs: usage per identity, action, resource and day") { paths, db, format };
        command.SetAction(p => Run(host, p.GetValue(paths)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string[] paths, string? db, string format)
    {
        var result = UsageIngest.Ingest(host, CloudTrailLog.Default, paths, db, quiet: format == "json");
        if (result is null) { return ExitCodes.InvalidInput; }
        var c = result.Counts;
        if (format == "json")
        {
            host.Out.WriteLine(JsonSerializer.Serialize(new
            {
                run = result.RunId,
                files = c.Files,
                filesSkipped = c.FilesSkipped,
                events = c.Events,
                usageEvents = c.UsageEvents,
                attempts = c.Attempts,
                duplicates = c.Duplicates,
                noAction = c.NoAction,
                unmapped = c.Unmapped,
                malformed = c.Malformed,
                seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
                diagnostics = result.Diagnostics.Select(d => d.ToString()),
            }, CliJson.Options));
        }
        else
        {
            var table = new Table().AddColumns("files read", "skipped (already ingested)", "events", "usage", "failed attempts", "duplicates", "no IAM action", "unmapped", "malformed");
            table.AddRow(N(c.Files), N(c.FilesSkipped), N(c.Events), N(c.UsageEvents), N(c.Attempts), N(c.Duplicates), N(c.NoAction), N(c.Unmapped), N(c.Malformed));
            host.Console.Write(table);
            var rate = result.Elapsed.TotalSeconds > 0 ? c.Events / result.Elapsed.TotalSeconds : 0;
            host.Console.WriteLine($"ingested in {result.Elapsed.TotalSeconds:0.0} s ({rate:N0} events/s); store: {StoreAccess.PathFor(host, db)}");
            if (result.Diagnostics.Count > 0) { StoreAccess.WriteDiagnostics(host, result.Diagnostics); }
        }
        return ExitCodes.Ok;
    }

    private static string N(long v) => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
