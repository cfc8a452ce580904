using Ciem.App.Proposals;
using Ciem.App.Reports;
using Ciem.App.Review;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.App.Sweep;

/// <summary>What `ciem sweep` (and its scheduled job) writes besides its summary: the HTML report and the proposals' files.</summary>
public static class SweepOutputs
{
    /// <summary>The HTML report (owner-only) with the store's measurements and the latest review campaign's state, when one was
    /// planned (`ciem review plan`).</summary>
    public static void WriteReport(ICiemStore store, EstateSweepResult result, string path, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        Whole(result);
        OwnerOnly.WriteAllText(path, SweepHtmlReport.Render(result, SweepReportOptions.Default with
        {
            Trend = store.LoadMeasurements(),
            Campaign = new ReviewProgramme(store, clock).Status(null).Value,
        }));
    }

    /// <summary>Every proposal's files in <paramref name="output"/>, the Azure and GCP ones recorded as delivered reductions; the
    /// number of files. A folder that cannot be written throws <see cref="InvalidOperationException"/> (its message located).</summary>
    public static int WriteProposals(ICiemStore store, EstateSweepResult result, string output, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        Whole(result);
        var written = ProposalFiles.WriteEstate(output, result);
        ReductionRecorder.RecordCloud(store, [.. new[] { result.Azure, result.Gcp }.OfType<CloudSweepResult>()
            .SelectMany(c => c.Proposals.Select(ReductionRecorder.CloudDelivery.Of))], output, now);
        return written;
    }

    /// <summary>The report and the proposal files need every detail: a streamed sweep (details in its sink) is refused.</summary>
    private static void Whole(EstateSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Aws is { Streamed: true })
        {
            throw new ArgumentException("the report and the proposal files need the whole sweep: sweep without a sink", nameof(result));
        }
    }
}
