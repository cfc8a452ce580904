using System.Collections.Immutable;
using System.Diagnostics;
using Ciem.App.Imports;
using Ciem.App.Metrics;
using Ciem.App.Reports;
using Ciem.App.Sweep;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Core.Sweep;
using Ciem.Demo;
using Ciem.Import.Usage;
using Ciem.Storage;

namespace Ciem.App.Demo;

/// <summary>
/// What `ciem demo` runs: the estate of <paramref name="Options"/> generated into <paramref name="Output"/> (null: a
/// temporary folder, deleted at the end), the HTML report written to <paramref name="Report"/>, and either the three
/// simulated weeks of the review programme (<paramref name="WithStory"/>) or one sweep.
/// </summary>
public sealed record DemoRunRequest(DemoOptions Options, string? Output, string Report, bool WithStory);

/// <summary>
/// What the demo made: the generated estate, the final sweep, each log's ingestion counts, how long each step took and,
/// with the story, the programme's weeks.
/// </summary>
public sealed record DemoRunResult(
    DemoManifest Manifest,
    EstateSweepResult Sweep,
    ImmutableArray<(string Log, IngestCounts Counts)> Ingested,
    ImmutableArray<(string Step, TimeSpan Took)> Timings,
    DemoProgrammeResult? Story,
    TimeSpan Elapsed);

/// <summary>The demo's result, or why it stopped (lowercase, no final period; null when the diagnostics say it all).</summary>
public sealed record DemoRunOutcome(DemoRunResult? Result, string? Error, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// How a host shows the demo as it runs: each numbered step as it starts, what was generated and ingested, the
/// diagnostics of the steps that went through, and the long steps under its progress display.
/// </summary>
public interface IDemoRunObserver
{
    /// <summary>A step as it starts, numbered: `3/9 ingesting CloudTrail`.</summary>
    void Step(string text);

    void Generated(DemoManifest manifest);

    /// <summary>Every log ingested, with its counts, once the last one is.</summary>
    void Ingested(IReadOnlyList<(string Log, IngestCounts Counts)> logs);

    /// <summary>The diagnostics of a step that went through (an import's, a log's).</summary>
    void Diagnostics(IReadOnlyList<Diagnostic> diagnostics);

    /// <summary>Reads CloudTrail under the host's progress display (files done, records).</summary>
    T Reading<T>(string what, Func<IProgress<UsageReadProgress>?, T> read);

    /// <summary>Runs the sweep under the host's progress display and shows its notices; null when a notice stopped it.</summary>
    T? Sweeping<T>(Func<IProgress<SweepProgress>?, SweepOutcome<T>> sweep)
        where T : class;
}

/// <summary>
/// `ciem demo` as a workflow (docs/demo-estate.md): generates the synthetic estate, imports the inventories and the
/// directories as of the story's first day, ingests each cloud's logs, then runs the review programme's simulated weeks
/// (<see cref="DemoStory"/>) or one sweep of every cloud, writes the HTML report with the trend and marks the store as
/// the demo's. The session's store must be empty (the host recreates it first).
/// </summary>
public static class DemoRun
{
    public static DemoRunOutcome Run(CiemSession session, DemoRunRequest request, TimeProvider clock, Func<string, string?> environment,
        IDemoRunObserver observer)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(observer);
        var folder = request.Output ?? Directory.CreateTempSubdirectory("ciem-demo-").FullName;
        try
        {
            return new Runner(session, request, clock, environment, observer, folder).Run();
        }
        finally
        {
            if (request.Output is null) { Directory.Delete(folder, recursive: true); }
        }
    }

    /// <summary>The folder the story writes its configuration, notices and scripts to: beside the outputs, or the report.</summary>
    public static string ProgrammeFolder(string? output, string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return output is not null
            ? Path.Combine(output, "programme")
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(report)) ?? ".", "ciem-demo-programme");
    }

    /// <summary>The clouds in words, in a fixed order: `AWS, Azure, GCP`.</summary>
    public static string CloudList(DemoClouds clouds) => string.Join(", ",
        new[] { (DemoClouds.Aws, "AWS"), (DemoClouds.Azure, "Azure"), (DemoClouds.Gcp, "GCP") }
            .Where(c => clouds.HasFlag(c.Item1)).Select(c => c.Item2));

    private sealed class Runner(CiemSession session, DemoRunRequest request, TimeProvider clock, Func<string, string?> environment,
        IDemoRunObserver observer, string folder)
    {
        private readonly DemoOptions _options = request.Options;
        private readonly List<(string Step, TimeSpan Took)> _timings = [];
        private readonly List<(string Log, IngestCounts Counts)> _ingested = [];
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private int _number;
        private int _total;

        private bool Has(DemoClouds c) => _options.Clouds.HasFlag(c);

        private void Next(string text) => observer.Step($"{++_number}/{_total} {text}");

        private void Done(string step)
        {
            _timings.Add((step, _watch.Elapsed));
            _watch.Restart();
        }

        private static DemoRunOutcome Fail(string? error, IEnumerable<Diagnostic> diagnostics) => new(null, error, [.. diagnostics]);

        public DemoRunOutcome Run()
        {
            var elapsed = Stopwatch.StartNew();
            // generate, import, per cloud its log ingestion, then each simulated week of the review programme — or, with
            // `--single`, one sweep over every cloud.
            _total = 2 + (Has(DemoClouds.Aws) ? 1 : 0) + (Has(DemoClouds.Azure) ? 1 : 0) + (Has(DemoClouds.Gcp) ? 1 : 0)
                + (request.WithStory ? DemoStory.Weeks : 1);
            // The story's first snapshot is three weeks before the as-of; the last one is on it.
            var start = request.WithStory ? DemoStory.Start(_options.AsOf) : _options.AsOf;
            Next($"generating {_options.Identities:N0} identities and {_options.Days} days of logs in {CloudList(_options.Clouds)} " +
                $"(seed {_options.Seed})");
            var manifest = DemoEstateGenerator.Generate(folder, _options);
            Done("generate");
            observer.Generated(manifest);

            Next("importing the inventories and the directories");
            if (Import(manifest, start) is { } refused) { return refused; }
            if (Ingest(manifest) is { } failed) { return failed; }
            observer.Ingested(_ingested);

            EstateSweepResult sweep;
            DemoProgrammeResult? story = null;
            var store = session.Store;
            if (request.WithStory)
            {
                // Three simulated weeks of the review programme, each with its snapshot, sweep and measurement.
                var outcome = DemoStory.Run(session, manifest, _options, ProgrammeFolder(request.Output, request.Report), environment,
                    new StepReporter(s => Next(s.Text)));
                if (outcome.Result is null) { return Fail($"the demo's review programme stopped: {outcome.Error}", outcome.Diagnostics); }
                story = outcome.Result;
                _timings.AddRange(story.Weeks.Select(w => ($"week {w.Number}", w.Took)));
                _watch.Restart();
                sweep = story.FinalSweep;
                OwnerOnly.WriteAllText(request.Report, SweepHtmlReport.Render(sweep,
                    SweepReportOptions.Default with { Trend = store.LoadMeasurements(), Campaign = story.Campaign }));
                Done("report");
            }
            else
            {
                Next("sweeping every cloud: effective permissions, gap and verified proposals");
                var swept = observer.Sweeping(progress =>
                    EstateSweeper.Sweep(session, new SweepRequest(_options.AsOf, new SweepOptions()) { Providers = [] }, progress));
                if (swept is null) { return Fail(null, []); }
                sweep = swept;
                // The demo's sweep is a sweep: it records the day's gap measurement, so `ciem trend` and the report's
                // trend section have their first point.
                MetricsRecorder.Record(store, sweep, "demo", clock.GetUtcNow());
                OwnerOnly.WriteAllText(request.Report, SweepHtmlReport.Render(sweep, store.LoadMeasurements()));
                Done("sweep + report");
            }
            DemoStores.Mark(session.Location, store);
            return new DemoRunOutcome(new DemoRunResult(manifest, sweep, [.. _ingested], [.. _timings], story, elapsed.Elapsed), null, []);
        }

        /// <summary>The inventories and directories, as of <paramref name="takenAt"/>; the refusal when one is not imported.</summary>
        private DemoRunOutcome? Import(DemoManifest manifest, DateTimeOffset takenAt)
        {
            var now = clock.GetUtcNow();
            if (Has(DemoClouds.Aws))
            {
                var aws = AwsImport.Import(session, [manifest.AwsFolder], takenAt, now);
                if (Refused(aws.Refusals, aws.Diagnostics, aws.Summary is not null) is { } refused) { return refused; }
                Done("import aws");
            }
            if (Has(DemoClouds.Azure))
            {
                var azure = AzureImport.Import(session, [manifest.AzureFolder], takenAt, null, now);
                if (Refused(azure.Refusals, azure.Diagnostics, !azure.Writes.IsEmpty) is { } refused) { return refused; }
                Done("import azure");
            }
            if (Has(DemoClouds.Gcp))
            {
                var gcp = GcpImport.Import(session, [manifest.GcpFolder], takenAt, null, now);
                if (Refused(gcp.Refusals, gcp.Diagnostics, !gcp.Writes.IsEmpty) is { } refused) { return refused; }
                Done("import gcp");
            }
            foreach (var (source, file) in new[]
            {
                (DirectorySource.IdentityCenter, "identity-center.json"), (DirectorySource.Entra, "entra.json"),
                (DirectorySource.Google, "google.json"),
            })
            {
                var path = Path.Combine(manifest.DirectoryFolder, file);
                if (!File.Exists(path)) { continue; }
                var result = DirectoryImport.Import(session, source, [path], takenAt, now).Result;
                if (Refused(result.Refusals, result.Diagnostics, !result.Writes.IsEmpty) is { } refused) { return refused; }
            }
            Done("import directories");
            return null;
        }

        /// <summary>
        /// An import that stopped (its input errors, or the readers' diagnostics when nothing could be imported), as
        /// `ciem import` reports it; null when it went through, its diagnostics shown.
        /// </summary>
        private DemoRunOutcome? Refused(ImmutableArray<Diagnostic> refusals, ImmutableArray<Diagnostic> diagnostics, bool stored)
        {
            if (!refusals.IsEmpty) { return Fail(null, refusals); }
            if (!stored) { return Fail("nothing could be imported; the store was not changed", diagnostics); }
            if (diagnostics.Length > 0) { observer.Diagnostics(diagnostics); }
            return null;
        }

        private DemoRunOutcome? Ingest(DemoManifest manifest)
        {
            IReadOnlyList<Diagnostic> problems = [];
            if (Has(DemoClouds.Aws))
            {
                Next("ingesting CloudTrail");
                var trail = observer.Reading("reading CloudTrail", progress =>
                    UsageIngestion.Run(session, CloudTrailLog.Default, [manifest.CloudTrailFolder], clock.GetUtcNow(), out problems,
                        progress));
                if (trail is null) { return Fail(null, problems); }
                _ingested.Add(("cloudtrail", trail.Counts));
                Done("ingest cloudtrail");
            }
            foreach (var (cloud, title, log, path) in new[]
            {
                (DemoClouds.Azure, "ingesting the Azure Activity Log and Entra sign-ins", StreamedUsageLog.AzureActivity,
                    manifest.AzureLogsFolder),
                (DemoClouds.Gcp, "ingesting the GCP Cloud Audit Logs", StreamedUsageLog.GcpAudit, manifest.GcpLogsFolder),
            })
            {
                if (!Has(cloud)) { continue; }
                Next(title);
                var result = UsageIngestion.Run(session, log, [path], clock.GetUtcNow(), out problems);
                if (result is null) { return Fail(null, problems); }
                observer.Diagnostics([.. result.Diagnostics]);
                var name = cloud == DemoClouds.Azure ? "azure-activity" : "gcp-audit";
                _ingested.Add((name, result.Counts));
                Done("ingest " + name);
            }
            return null;
        }
    }

    /// <summary>Hears the story's steps on the calling thread, so each line prints as its week starts.</summary>
    private sealed class StepReporter(Action<DemoStoryStep> report) : IProgress<DemoStoryStep>
    {
        public void Report(DemoStoryStep value) => report(value);
    }
}
