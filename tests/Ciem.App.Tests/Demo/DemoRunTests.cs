using Ciem.App.Demo;
using Ciem.App.Sweep;
using Ciem.App.Tests.Notify;
using Ciem.Core.Diagnostics;
using Ciem.Demo;
using Ciem.Import.Usage;
using Ciem.Storage;

namespace Ciem.App.Tests.Demo;

/// <summary>`ciem demo`'s workflow called directly (<see cref="DemoRun"/>), on a real embedded store, its steps recorded.</summary>
public sealed class DemoRunTests : IDisposable
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Records what the demo tells its host, and runs the long steps plainly.</summary>
    private sealed class Recorder : IDemoRunObserver
    {
        public List<string> Steps { get; } = [];
        public DemoManifest? Manifest { get; private set; }
        public List<string> Logs { get; } = [];
        public List<Diagnostic> Shown { get; } = [];
        public int Sweeps { get; private set; }

        public void Step(string text) => Steps.Add(text);

        public void Generated(DemoManifest manifest) => Manifest = manifest;

        public void Ingested(IReadOnlyList<(string Log, IngestCounts Counts)> logs) => Logs.AddRange(logs.Select(l => l.Log));

        public void Diagnostics(IReadOnlyList<Diagnostic> diagnostics) => Shown.AddRange(diagnostics);

        public T Reading<T>(string what, Func<IProgress<UsageReadProgress>?, T> read) => read(null);

        public T? Sweeping<T>(Func<IProgress<SweepProgress>?, SweepOutcome<T>> sweep)
            where T : class
        {
            Sweeps++;
            return sweep(null).Result;
        }
    }

    [Fact]
    public void Run_AwsOnlySingleSweep_ImportsIngestsSweepsReportsAndMarksTheStore()
    {
        // Given a small AWS-only estate, one sweep instead of the story, and an empty store
        var location = StoreLocation.Parse(_temp.Sub("demo.db"));
        var report = _temp.Sub("report.html");
        var output = _temp.Sub("out");
        var options = new DemoOptions { Seed = 7, Identities = 50, Days = 7, AsOf = AsOf, Clouds = DemoClouds.Aws };
        var recorder = new Recorder();
        using var session = new CiemSession(location);

        // When the demo runs
        var outcome = DemoRun.Run(session, new DemoRunRequest(options, output, report, WithStory: false), TimeProvider.System, _ => null,
            recorder);

        // Then it went through: four numbered steps, CloudTrail ingested, one sweep of the imported identities
        Assert.True(outcome.Result is not null, $"{outcome.Error} {string.Join("; ", outcome.Diagnostics)}");
        var demo = outcome.Result;
        Assert.Equal(
        [
            "1/4 generating 50 identities and 7 days of logs in AWS (seed 7)",
            "2/4 importing the inventories and the directories",
            "3/4 ingesting CloudTrail",
            "4/4 sweeping every cloud: effective permissions, gap and verified proposals",
        ], recorder.Steps);
        Assert.Same(demo.Manifest, recorder.Manifest);
        Assert.Equal(["cloudtrail"], recorder.Logs);
        Assert.Equal(1, recorder.Sweeps);
        Assert.True(demo.Ingested.Single().Counts.Events > 0);
        Assert.NotNull(demo.Sweep.Aws);
        Assert.Null(demo.Sweep.Azure);
        Assert.Null(demo.Story);
        Assert.Equal(["generate", "import aws", "import directories", "ingest cloudtrail", "sweep + report"], demo.Timings.Select(t => t.Step));

        // And the report is written, the generated files kept in the output folder, the day's measurement recorded and
        // the store marked as the demo's (so the next demo may recreate it)
        Assert.Contains("<html", File.ReadAllText(report), StringComparison.OrdinalIgnoreCase);
        Assert.True(Directory.Exists(demo.Manifest.CloudTrailFolder));
        Assert.NotEmpty(session.Store.LoadMeasurements());
        Assert.True(DemoStores.MayRecreate(location, out var reason), reason);
    }

    [Fact]
    public void Run_NoOutputFolder_GeneratedFilesDeletedAfterwards()
    {
        // Given no output folder (a temporary one is used)
        var options = new DemoOptions { Seed = 1, Identities = 50, Days = 7, AsOf = AsOf, Clouds = DemoClouds.Aws };
        using var session = new CiemSession(StoreLocation.Parse(_temp.Sub("demo.db")));

        // When the demo runs
        var outcome = DemoRun.Run(session, new DemoRunRequest(options, null, _temp.Sub("r.html"), WithStory: false), TimeProvider.System,
            _ => null, new Recorder());

        // Then the temporary folder it generated into is gone
        Assert.NotNull(outcome.Result);
        Assert.False(Directory.Exists(Path.GetDirectoryName(outcome.Result.Manifest.CloudTrailFolder)));
    }

    [Theory]
    [InlineData("aws", DemoClouds.Aws)]
    [InlineData(" GCP , aws ", DemoClouds.Aws | DemoClouds.Gcp)]
    [InlineData("aws,azure,gcp", DemoClouds.All)]
    public void ParseClouds_KnownNames_TheirFlags(string text, DemoClouds expected) => Assert.Equal(expected, DemoHints.ParseClouds(text));

    [Theory]
    [InlineData("")]
    [InlineData(",")]
    [InlineData("aws,oracle")]
    [InlineData("awss")]
    public void ParseClouds_EmptyOrUnknown_Null(string text) => Assert.Null(DemoHints.ParseClouds(text));

    [Theory]
    [InlineData(null, "/work/report.html", "/work/ciem-demo-programme")]
    [InlineData("/data/demo", "/work/report.html", "/data/demo/programme")]
    public void ProgrammeFolder_BesideTheOutputOrTheReport(string? output, string report, string expected) =>
        Assert.Equal(expected, DemoRun.ProgrammeFolder(output, report));
}
