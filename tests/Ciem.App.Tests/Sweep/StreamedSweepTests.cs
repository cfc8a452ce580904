using Ciem.App.Demo;
using Ciem.App.Reports;
using Ciem.App.Sweep;
using Ciem.App.Tests.Notify;
using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using Ciem.Demo;
using Ciem.Import.Usage;
using Ciem.Storage;

namespace Ciem.App.Tests.Sweep;

/// <summary>A small three-cloud demo store, made once: AWS identities with usage, proposals, failures and exclusions.</summary>
public sealed class StreamedSweepEstate : IDisposable
{
    public static readonly DateTimeOffset AsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _temp = new();

    public StreamedSweepEstate()
    {
        Location = StoreLocation.Parse(_temp.Sub("demo.db"));
        using var session = new CiemSession(Location);
        var options = new DemoOptions { Seed = 11, Identities = 120, Days = 30, AsOf = AsOf, Clouds = DemoClouds.All };
        var request = new DemoRunRequest(options, null, _temp.Sub("report.html"), WithStory: false);
        var outcome = DemoRun.Run(session, request, TimeProvider.System, _ => null, new Plain());
        if (outcome.Result is null) { throw new InvalidOperationException($"the demo store was not made: {outcome.Error}"); }
    }

    public StoreLocation Location { get; }

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs the demo's long steps plainly and keeps nothing.</summary>
    private sealed class Plain : IDemoRunObserver
    {
        public void Step(string text) { }

        public void Generated(DemoManifest manifest) { }

        public void Ingested(IReadOnlyList<(string Log, IngestCounts Counts)> logs) { }

        public void Diagnostics(IReadOnlyList<Diagnostic> diagnostics) { }

        public T Reading<T>(string what, Func<IProgress<UsageReadProgress>?, T> read) => read(null);

        public T? Sweeping<T>(Func<IProgress<SweepProgress>?, SweepOutcome<T>> sweep)
            where T : class => sweep(null).Result;
    }
}

/// <summary>
/// Issue #19: the App sweep hands out each AWS identity's details as it computes them (a sink) and keeps counts only, and
/// `sweep --format json|jsonl` written from the rows spooled on the way is byte for byte the document of the whole sweep.
/// </summary>
public sealed class StreamedSweepTests(StreamedSweepEstate estate) : IClassFixture<StreamedSweepEstate>
{
    private static readonly JsonEnvelope Envelope =
        JsonEnvelope.For("sweep", 2, "1.2.3", new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero));

    private EstateSweepResult Sweep(CiemSession session, Action<AwsSweepItem>? sink = null) =>
        EstateSweeper.Sweep(session, new SweepRequest(StreamedSweepEstate.AsOf, new SweepOptions()), null, sink).Result
            ?? throw new InvalidOperationException("the store holds no estate");

    [Fact]
    public void Sweep_WithSink_EachIdentityReachesTheSinkWithItsDetailsAndTheResultKeepsCountsOnly()
    {
        // Given the demo store and a sink that records what it hears (from the sweep's worker threads)
        using var session = new CiemSession(estate.Location);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<AwsSweepItem>();

        // When the estate is swept with the sink, and once more without
        var streamed = Sweep(session, heard.Enqueue);
        var whole = Sweep(session);

        // Then every AWS identity reached the sink once, with the gap's lists the whole sweep keeps
        var aws = whole.Aws!;
        Assert.True(aws.Proposals.Length > 5 && aws.Failures.Length + aws.Excluded.Length > 0,
            "the estate has proposals and failures or exclusions");
        var gaps = heard.Select(h => h.Gap).OfType<Core.Aws.LeastPrivilege.IdentityGap>().ToList();
        Assert.Equal(aws.Gaps.Select(g => g.Identity.Id).Order(StringComparer.Ordinal),
            gaps.Select(g => g.Identity.Id).Order(StringComparer.Ordinal));
        Assert.Equal(aws.Gaps.Sum(g => g.UnusedServices.Length), gaps.Sum(g => g.UnusedServices.Length));
        Assert.True(gaps.Sum(g => g.UnusedServices.Length) > 0);
        // And every verified proposal and failure too, with its policies and the paths it cuts
        var proposals = heard.Select(h => h.Proposal).OfType<Core.Aws.LeastPrivilege.PolicyProposal>().ToList();
        Assert.Equal(aws.Proposals.Select(p => p.Identity.Id).Order(StringComparer.Ordinal),
            proposals.Select(p => p.Identity.Id).Order(StringComparer.Ordinal));
        Assert.Equal(aws.Proposals.Sum(p => p.Policies.Length), proposals.Sum(p => p.Policies.Length));
        Assert.Equal(aws.Proposals.Sum(p => p.RemovesPaths.Length), proposals.Sum(p => p.RemovesPaths.Length));
        Assert.Equal(aws.Failures.Length, heard.Count(h => h.Failure is not null));
        // And the streamed result keeps the counts, order and totals but none of the details
        var kept = streamed.Aws!;
        Assert.True(kept.Streamed);
        Assert.False(aws.Streamed);
        Assert.Equal(aws.Gaps.Select(g => g.Identity.Id), kept.Gaps.Select(g => g.Identity.Id));
        Assert.Equal(aws.Proposals.Select(p => (p.Identity.Id, p.GrantedAfter)),
            kept.Proposals.Select(p => (p.Identity.Id, p.GrantedAfter)));
        Assert.Equal(aws.Summary, kept.Summary);
        Assert.Equal(whole.Total, streamed.Total);
        Assert.All(kept.Gaps, g => Assert.Empty(g.UnusedServices));
        Assert.All(kept.Proposals, p => Assert.Empty(p.Policies));
        Assert.All(kept.Proposals, p => Assert.Empty(p.RemovedActions));
    }

    [Fact]
    public void Write_StreamedThroughTheSpool_SameBytesAsTheWholeSweep()
    {
        // Given the demo store swept whole, and swept again with every AWS row spooled to disk as it is computed
        using var session = new CiemSession(estate.Location);
        var whole = Sweep(session);
        using var spool = new SweepSpool();
        var streamed = Sweep(session, spool.Add);

        // When both are written as one document
        var expected = new StringWriter();
        EstateSweepJson.Write(expected, whole, Envelope);
        var actual = new StringWriter();
        EstateSweepJson.Write(actual, streamed, Envelope, spool);

        // Then the bytes are the same (rows in the same order, totals first), and every spooled row was read back
        Assert.Equal(expected.ToString(), actual.ToString());
        Assert.Equal(whole.Aws!.Gaps.Length + 2 * whole.Aws.Proposals.Length + whole.Aws.Failures.Length, spool.Count);
        Assert.Contains("\"removesPaths\": [\n", expected.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteLines_StreamedThroughTheSpool_SameLinesAsTheWholeSweep()
    {
        // Given the demo store swept whole and swept streamed
        using var session = new CiemSession(estate.Location);
        var whole = Sweep(session);
        using var spool = new SweepSpool();
        var streamed = Sweep(session, spool.Add);

        // When both are written as JSON Lines
        var expected = new StringWriter();
        EstateSweepJson.WriteLines(expected, whole, Envelope);
        var actual = new StringWriter();
        EstateSweepJson.WriteLines(actual, streamed, Envelope, spool);

        // Then the lines are the same, the proposals' among them
        Assert.Equal(expected.ToString(), actual.ToString());
        Assert.Contains("{\"type\":\"proposal\",\"provider\":\"aws\"", actual.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_StreamedWithoutItsSpool_RefusedRatherThanWrittenWithoutDetails()
    {
        // Given a streamed sweep whose rows went to a sink that kept nothing
        using var session = new CiemSession(estate.Location);
        var streamed = Sweep(session, _ => { });

        // When it is written without a spool, or given to the report and the proposal files, each refuses
        Assert.Throws<ArgumentException>(() => EstateSweepJson.Write(new StringWriter(), streamed, Envelope));
        Assert.Throws<ArgumentException>(() => EstateSweepJson.WriteLines(new StringWriter(), streamed, Envelope));
        Assert.Throws<ArgumentException>(() =>
            SweepOutputs.WriteProposals(session.Store, streamed, Path.GetTempPath(), StreamedSweepEstate.AsOf));
    }
}
