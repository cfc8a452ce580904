using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws.CloudTrail;
using Ciem.Storage;
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
    public const string Provider = "aws";

    public static Command Create(CliHost host)
    {
        var paths = new Argument<string[]>("paths") { Description = "CloudTrail files or folders (e.g. a synced `AWSLogs/` tree)", Arity = ArgumentArity.OneOrMore };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("cloudtrail", "ingest CloudTrail logs: usage per identity, action, resource and day") { paths, db, format };
        command.SetAction(p => Run(host, p.GetValue(paths)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public sealed record Result(IngestCounts Counts, long RunId, IReadOnlyList<Diagnostic> Diagnostics, TimeSpan Elapsed);

    public static int Run(CliHost host, string[] paths, string? db, string format)
    {
        var result = Ingest(host, paths, db, quiet: format == "json");
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

    /// <summary>Reads, rolls up and stores; null when the paths name nothing readable.</summary>
    public static Result? Ingest(CliHost host, string[] paths, string? db, bool quiet)
    {
        var watch = Stopwatch.StartNew();
        var diagnostics = new DiagnosticBag();
        var candidates = CloudTrailReader.EnumerateFiles(paths, diagnostics);
        if (candidates.Count == 0 && diagnostics.HasErrors)
        {
            StoreAccess.WriteDiagnostics(host, diagnostics);
            return null;
        }
        using var store = StoreAccess.Open(host, db);
        var (files, skipped) = UsageIngest.SelectNew(store, Provider, candidates, CloudTrailReader.IsDigest);

        var rollups = new ConcurrentBag<UsageRollup>();
        using var local = new ThreadLocal<UsageRollup>(() =>
        {
            var r = new UsageRollup(EventActionMapper.Default);
            rollups.Add(r);
            return r;
        });
        var options = new CloudTrailReadOptions { HashFiles = false, KeepRequestParameters = false };
        CloudTrailReadResult read;
        if (host.Interactive && !quiet && files.Count > 0)
        {
            read = null!;
            host.Console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn()).Start(ctx =>
            {
                var task = ctx.AddTask("reading CloudTrail", maxValue: files.Count);
                var progress = new Progress<CloudTrailProgress>(p =>
                {
                    task.Value = p.FilesDone;
                    var seconds = Math.Max(0.001, watch.Elapsed.TotalSeconds);
                    task.Description = $"reading CloudTrail: {p.Events:N0} events ({p.Events / seconds:N0}/s)";
                });
                read = CloudTrailReader.Read(files.Select(f => f.Path), ev => local.Value!.Add(ev), options, progress);
            });
        }
        else
        {
            read = CloudTrailReader.Read(files.Select(f => f.Path), ev => local.Value!.Add(ev), options);
        }
        diagnostics.AddRange(read.Diagnostics);

        var rollup = new UsageRollup(EventActionMapper.Default);
        foreach (var r in rollups) { rollup.Merge(r); }
        diagnostics.AddRange(rollup.UnmappedDiagnostics());
        // Rows in primary-key order: SQLite then appends to its B-tree instead of inserting at random places.
        var usage = rollup.Usage.Select(kv => new UsageRow(kv.Key.IdentityKey, kv.Key.Person ?? "", kv.Key.Action, kv.Key.Resource, kv.Key.Day, kv.Value.Count, kv.Value.FirstSeen, kv.Value.LastSeen))
            .OrderBy(u => u.Day).ThenBy(u => u.Identity, StringComparer.Ordinal).ThenBy(u => u.Action, StringComparer.Ordinal)
            .ThenBy(u => u.Resource, StringComparer.Ordinal).ThenBy(u => u.Person, StringComparer.Ordinal).ToImmutableArray();
        var attempts = rollup.Attempts.Select(kv => new AttemptRow(kv.Key.Usage.IdentityKey, kv.Key.Usage.Person ?? "", kv.Key.Usage.Action, kv.Key.Usage.Resource, kv.Key.Usage.Day, kv.Key.ErrorCode, kv.Value.Count, kv.Value.FirstSeen, kv.Value.LastSeen)).ToImmutableArray();
        var eventsByFile = read.Files.ToDictionary(f => f.Path, f => f.Events, StringComparer.Ordinal);
        // A file broken part-way is still recorded: its good records were counted, and reading it again would count them twice.
        var ingested = files.Select(f => f.File with { Events = eventsByFile.GetValueOrDefault(f.Path) }).ToImmutableArray();
        var counts = new IngestCounts(
            read.FilesRead, skipped + read.FilesSkipped, read.EventsRead,
            rollup.Usage.Values.Sum(v => v.Count), rollup.Attempts.Values.Sum(v => v.Count),
            rollup.Duplicates, rollup.NoActionEvents, rollup.Unmapped.Values.Sum(), read.RecordsMalformed);
        var unmapped = rollup.Unmapped.Select(kv => (kv.Key.Source, kv.Key.Name, kv.Value)).ToImmutableArray();
        var coverage = rollup.DataEvents.Select(kv => new LogCoverage(DataEventCoverage.LogName, DataEventCoverage.Key(kv.Key.Account, kv.Key.Service), kv.Key.Day, kv.Value)).ToImmutableArray();
        var runId = store.IngestUsage(new UsageIngestRequest(Provider, host.Clock.GetUtcNow(), usage, attempts, unmapped, ingested, counts, coverage));
        return new Result(counts, runId, diagnostics, watch.Elapsed);
    }
}
