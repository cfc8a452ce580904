using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Aws.Usage;
using Ciem.Import.Aws.CloudTrail;

namespace Ciem.Import.Tests.Aws.CloudTrail;

/// <summary>Real CloudTrail samples in `shared/data`, read in place; expectations are computed here with JsonDocument.</summary>
[Trait("Category", "SharedData")]
public sealed class CloudTrailSampleTests
{
    [Fact]
    public void Read_InvictusS3Files_ReadsEveryRecord()
    {
        // Given the Invictus IR files as delivered to S3 ({"Records":[…]}), beside a SOURCE.md and a LICENSE
        var folder = Ciem.Tests.TestPaths.Shared("invictus-aws-cloudtrail");
        var files = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories);
        var expected = files.Sum(f => { using var d = JsonDocument.Parse(File.ReadAllBytes(f)); return d.RootElement.GetProperty("Records").GetArrayLength(); });
        var events = new ConcurrentBag<CloudTrailEvent>();

        // When the folder is read
        var result = CloudTrailReader.Read([folder], events.Add);

        // Then every file and every record is read, nothing is malformed
        Assert.Equal(files.Length, result.FilesRead);
        Assert.Equal(expected, result.EventsRead);
        Assert.Equal(expected, events.Count);
        Assert.Equal(0, result.RecordsMalformed);
        Assert.Empty(result.Diagnostics);
        Assert.All(result.Files, f => Assert.Equal(CloudTrailFileFormat.RecordsObject, f.Format));
        Assert.Equal(events.Count, events.Select(e => e.Key).Distinct().Count());
        Assert.Contains(events, e => e.Principal.IdentityKey == "arn:aws:iam::123837392027:user/bert-jan");
    }

    [Fact]
    public void Read_StratusDetonationLogs_AcceptsAnonymisedValues()
    {
        // Given bare JSON arrays with impossible regions and IPs (anonymised)
        var folder = Ciem.Tests.TestPaths.Shared("stratus-red-team-detonation-logs");
        var files = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories);
        var regions = new HashSet<string>();
        var ips = new HashSet<string>();
        var expected = 0;
        foreach (var f in files)
        {
            using var d = JsonDocument.Parse(File.ReadAllBytes(f));
            foreach (var e in d.RootElement.EnumerateArray())
            {
                expected++;
                regions.Add(e.GetProperty("awsRegion").GetString()!);
                if (e.TryGetProperty("sourceIPAddress", out var ip) && ip.ValueKind == JsonValueKind.String) { ips.Add(ip.GetString()!); }
            }
        }
        var events = new ConcurrentBag<CloudTrailEvent>();

        // When read
        var result = CloudTrailReader.Read([folder], events.Add);

        // Then every record is read and the anonymised values are kept as they are
        Assert.Equal(expected, result.EventsRead);
        Assert.Equal(0, result.RecordsMalformed);
        Assert.All(result.Files, f => Assert.Equal(CloudTrailFileFormat.Array, f.Format));
        Assert.Equal(regions.Order(), events.Select(e => e.Region!).Distinct().Order());
        Assert.Equal(ips.Order(), events.Where(e => e.SourceIp is not null).Select(e => e.SourceIp!).Distinct().Order());
    }

    [Fact]
    public void Read_PantherJsonLines_ReadsEventsInTheLogEnvelope()
    {
        // Given Panther's test events: one JSON object per line, the CloudTrail record under `log`
        var file = Ciem.Tests.TestPaths.Shared("panther-analysis-test-events", "aws_cloudtrail.jsonl");
        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        var expected = lines.Count(l =>
        {
            using var d = JsonDocument.Parse(l);
            var log = d.RootElement.GetProperty("log");
            return log.TryGetProperty("eventSource", out var s) && s.ValueKind == JsonValueKind.String
                && log.TryGetProperty("eventName", out var n) && n.ValueKind == JsonValueKind.String
                && log.TryGetProperty("eventTime", out var t) && t.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
        });
        var events = new ConcurrentBag<CloudTrailEvent>();

        // When read
        var result = CloudTrailReader.Read([file], events.Add);

        // Then the complete records are events, the partial ones are skipped, counted and located by line
        Assert.Equal(CloudTrailFileFormat.JsonLines, result.Files[0].Format);
        Assert.Equal(expected, result.EventsRead);
        Assert.Equal(lines.Count - expected, result.RecordsMalformed);
        Assert.All(result.Diagnostics.Where(d => d.Code == Core.Diagnostics.DiagnosticCodes.CloudTrailMalformedRecord),
            d => Assert.NotNull(d.Location?.Line));
    }
}
