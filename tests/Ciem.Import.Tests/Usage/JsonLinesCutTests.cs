using System.Collections.Concurrent;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws.CloudTrail;
using Ciem.Import.Azure;
using Ciem.Import.Gcp;
using Ciem.Import.Usage;

namespace Ciem.Import.Tests.Usage;

/// <summary>
/// JSON Lines logs read while they are still being appended to: a last line cut by the end of the file is one located
/// bad record and leaves the file incomplete (so it is not recorded as read); a last line that is whole without its
/// line break is an ordinary end of file.
/// </summary>
public sealed class JsonLinesCutTests : IDisposable
{
    private readonly UsageLogFixtures _fx = new();

    public void Dispose() => _fx.Dispose();

    private static string[] Azure(int n) => [.. Enumerable.Range(0, n).Select(i =>
        UsageLogFixtures.AzureExportRecord($"2026-11-28T08:{i:00}:00.0000000Z", "Microsoft.Storage/storageAccounts/write"))];

    private static string[] Gcp(int n) => [.. Enumerable.Range(0, n).Select(i => UsageLogFixtures.GcpEntry($"2026-11-28T08:{i:00}:00Z", "activity",
        "compute.googleapis.com", "v1.compute.instances.start", "compute.instances.start"))];

    private static string Cut(string[] lines) => string.Join("\n", lines)[..^(lines[^1].Length / 2)];

    [Fact]
    public void Stream_AzureAndGcpLastLineCut_OneLocatedBadRecordAndTheFileIncomplete()
    {
        // Given an Azure storage-export hour and a GCS sink object of five records each, the fifth cut in half
        var azure = _fx.Write(UsageLogFixtures.AzureBlob(28, 8), Cut(Azure(5)));
        var gcp = _fx.Write(UsageLogFixtures.GcsObject("activity", 28, 8), Cut(Gcp(5)));

        // When each is streamed
        var a = ActivityLogReader.Stream([azure], AzureOperationCatalog.Default, _ => { }, new UsageReadOptions { MaxParallelism = 1 });
        var g = AuditLogReader.Stream([gcp], _ => { }, new UsageReadOptions { MaxParallelism = 1 });

        // Then each reads four records, counts the cut line once as malformed at line 5, and is not complete
        foreach (var (result, path) in new[] { (a, azure), (g, gcp) })
        {
            var file = Assert.Single(result.Files);
            Assert.Equal((5L, 1L, false, false), (file.Records, file.Malformed, file.Complete, file.Failed));
            var cut = Assert.Single(result.Diagnostics, d => d.Location?.File == path);
            Assert.Equal(5, cut.Location!.Line);
            Assert.Contains("the last line is cut", cut.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Stream_LastLineWholeWithoutLineBreakOrBrokenInTheMiddle_FileComplete()
    {
        // Given the near misses: the fifth line whole but with no line break after it, and a broken line that is not last
        var whole = _fx.Write(UsageLogFixtures.AzureBlob(28, 9), string.Join("\n", Azure(5)));
        var lines = Azure(5);
        lines[2] = lines[2][..20];
        var middle = _fx.Write(UsageLogFixtures.AzureBlob(28, 10), string.Join("\n", lines) + "\n");

        // When each is streamed
        var a = ActivityLogReader.Stream([whole], AzureOperationCatalog.Default, _ => { }, new UsageReadOptions { MaxParallelism = 1 });
        var b = ActivityLogReader.Stream([middle], AzureOperationCatalog.Default, _ => { }, new UsageReadOptions { MaxParallelism = 1 });

        // Then the first is five good records, and the second four and one malformed — both complete files
        Assert.Equal((5L, 0L, true), (a.Files[0].Records, a.Files[0].Malformed, a.Files[0].Complete));
        Assert.Equal((5L, 1L, true), (b.Files[0].Records, b.Files[0].Malformed, b.Files[0].Complete));
        Assert.Equal(3, Assert.Single(b.Diagnostics).Location!.Line);
    }

    [Fact]
    public void ReadStream_CloudTrailJsonLinesCut_IncompleteWithTheLine()
    {
        // Given CloudTrail as JSON Lines whose last event is cut
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fuzz", "Corpus", "cloudtrail.jsonl"));
        var events = new List<CloudTrailEvent>();

        // When it is read
        var result = CloudTrailReader.ReadStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Cut(lines))), "trail.jsonl", events.Add);

        // Then the whole lines are events, the cut one is one malformed record at its line, and the file is not complete
        var file = Assert.Single(result.Files);
        Assert.Equal((lines.Length - 1, lines.Length - 1L, 1L, false), (events.Count, file.Events, file.Malformed, file.Complete));
        Assert.Equal(lines.Length, Assert.Single(result.Diagnostics, d => d.Severity == Severity.Warning).Location!.Line);
    }
}
