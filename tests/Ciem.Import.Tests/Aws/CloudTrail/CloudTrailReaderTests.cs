using System.Collections.Concurrent;
using System.Security.Cryptography;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws.CloudTrail;
using static Ciem.Import.Tests.Aws.CloudTrail.CloudTrailFixtures;

namespace Ciem.Import.Tests.Aws.CloudTrail;

public sealed class CloudTrailReaderTests : IDisposable
{
    private readonly CloudTrailFixtures _fx = new();

    public void Dispose() => _fx.Dispose();

    private static (CloudTrailReadResult Result, List<CloudTrailEvent> Events) Read(params string[] paths)
    {
        var events = new ConcurrentBag<CloudTrailEvent>();
        var result = CloudTrailReader.Read(paths, events.Add);
        return (result, [.. events.OrderBy(e => e.EventId, StringComparer.Ordinal)]);
    }

    [Fact]
    public void Read_S3Layout_ReadsGzipSkipsDigestsAndOtherFiles()
    {
        // Given a bucket copy with a gzip log, a digest file and a stray README
        _fx.WriteGz($"AWSLogs/{Account}/CloudTrail/eu-west-1/2026/11/01/{Account}_CloudTrail_eu-west-1_20261101T1000Z_a.json.gz",
            Records(Event("e1"), Event("e2"), Event("e3")));
        _fx.WriteGz($"AWSLogs/{Account}/CloudTrail-Digest/eu-west-1/2026/11/01/{Account}_CloudTrail-Digest_eu-west-1_t_20261101T1000Z.json.gz",
            "{\"awsAccountId\":\"" + Account + "\",\"digestStartTime\":\"2026-11-01T09:00:00Z\",\"logFiles\":[]}");
        _fx.Write("README.md", "not a log");

        // When the folder is read
        var (result, events) = Read(_fx.Root);

        // Then the log is read, the digest skipped, the README ignored
        Assert.Equal(["e1", "e2", "e3"], events.Select(e => e.EventId));
        Assert.Equal(1, result.FilesRead);
        Assert.Equal(1, result.FilesSkipped);
        Assert.Contains(result.Files, f => f.Format == CloudTrailFileFormat.Digest);
        var log = result.Files.Single(f => f.Format == CloudTrailFileFormat.RecordsObject);
        Assert.True(log.Compressed);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Read_OrganisationTrailLayout_TakesTheAccountFromThePathWhenRecordsLackIt()
    {
        // Given an organisation trail's path and records without recipientAccountId
        _fx.WriteGz("AWSLogs/o-abcd1234ef/444455556666/CloudTrail/us-east-1/2026/11/01/444455556666_CloudTrail_us-east-1_20261101T1000Z_b.json.gz",
            Records(Event("o1", recipient: null)));

        // When read
        var (_, events) = Read(_fx.Root);

        // Then the member account from the path is the recipient
        Assert.Equal("444455556666", Assert.Single(events).RecipientAccountId);
        Assert.Equal("444455556666", CloudTrailReader.AccountFromPath("x/AWSLogs/o-abcd1234ef/444455556666/CloudTrail/us-east-1/f.json.gz"));
        Assert.Equal(Account, CloudTrailReader.AccountFromPath($"AWSLogs/{Account}/CloudTrail/eu-west-1/2026/f.json.gz"));
        Assert.Null(CloudTrailReader.AccountFromPath("logs/f.json"));
    }

    [Theory]
    [InlineData("array")]
    [InlineData("jsonl")]
    [InlineData("lookup")]
    [InlineData("records")]
    public void Read_EachFormat_GivesTheSameEvents(string format)
    {
        // Given the same three events in one of the supported layouts
        string[] e = [Event("f1"), Event("f2", "ListUsers", "iam.amazonaws.com"), Event("f3", "GetObject", "s3.amazonaws.com")];
        var (text, expected) = format switch
        {
            "array" => ("[\n" + string.Join(",\n", e) + "\n]", CloudTrailFileFormat.Array),
            "jsonl" => (string.Join("\n", e) + "\n", CloudTrailFileFormat.JsonLines),
            "lookup" => (LookupEvents(e), CloudTrailFileFormat.LookupEvents),
            _ => (Records(e), CloudTrailFileFormat.RecordsObject),
        };
        var path = _fx.Write($"in.{format}.json", text);

        // When read
        var (result, events) = Read(path);

        // Then the format is recognised and the events are identical
        Assert.Equal(expected, result.Files[0].Format);
        Assert.Equal(["f1", "f2", "f3"], events.Select(x => x.EventId));
        Assert.Equal(["ec2.amazonaws.com", "iam.amazonaws.com", "s3.amazonaws.com"], events.Select(x => x.Source));
        Assert.All(events, x => Assert.Equal("arn:aws:iam::" + Account + ":user/alice", x.Principal.IdentityKey));
        Assert.Equal(0, result.RecordsMalformed);
    }

    [Fact]
    public void Read_SingleEventFile_IsOneEvent()
    {
        var path = _fx.Write("one.json", Event("only"));

        var (result, events) = Read(path);

        Assert.Equal(CloudTrailFileFormat.SingleEvent, result.Files[0].Format);
        Assert.Equal("only", Assert.Single(events).EventId);
    }

    [Fact]
    public void Read_RecordWithoutEventName_IsSkippedWithItsLocation()
    {
        // Given a Records file whose second record is not an event
        var path = _fx.Write("bad-record.json", Records(Event("g1"), "{\"eventSource\":\"ec2.amazonaws.com\",\"eventTime\":\"2026-11-01T10:00:00Z\"}", Event("g3"), "42"));

        // When read
        var (result, events) = Read(path);

        // Then the good records are kept, the bad ones skipped, counted, quarantined and located
        Assert.Equal(["g1", "g3"], events.Select(e => e.EventId));
        Assert.Equal(2, result.RecordsMalformed);
        var first = result.Diagnostics[0];
        Assert.Equal(DiagnosticCodes.CloudTrailMalformedRecord, first.Code);
        Assert.Equal("$.Records[1]", first.Location!.JsonPath);
        Assert.Equal(1, first.Location.Record);
        Assert.Equal(path, first.Location.File);
        Assert.Contains("no `eventName`", first.Message, StringComparison.Ordinal);
        Assert.Contains("a number", result.Diagnostics[1].Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Quarantine.Length);
    }

    [Fact]
    public void Read_BrokenJsonLine_SkipsThatLineOnly()
    {
        // Given JSON Lines whose second line is cut short
        var path = _fx.Write("broken.jsonl", Event("h1") + "\n{\"eventVersion\":\"1.08\",\"eventName\":\n" + Event("h3") + "\n" + Event("h4") + "\n");

        // When read
        var (result, events) = Read(path);

        // Then lines 1, 3 and 4 are events and line 2 is reported
        Assert.Equal(["h1", "h3", "h4"], events.Select(e => e.EventId));
        Assert.Equal(1, result.RecordsMalformed);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(2, diagnostic.Location!.Line);
        Assert.True(result.Files[0].Complete);
    }

    [Fact]
    public void Read_TruncatedRecordsFile_KeepsEventsBeforeTheBreak()
    {
        // Given a Records file cut in the middle of its third record
        var text = Records(Event("t1"), Event("t2"), Event("t3"));
        var path = _fx.Write("truncated.json", text[..(text.Length - 60)]);

        // When read
        var (result, events) = Read(path);

        // Then the first two events are kept and the file is reported incomplete
        Assert.Equal(["t1", "t2"], events.Select(e => e.EventId));
        Assert.False(result.Files[0].Complete);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.CloudTrailMalformedFile, diagnostic.Code);
        Assert.Equal(Severity.Error, diagnostic.Severity);
    }

    [Fact]
    public void Read_CorruptGzipAndMissingPath_AreReportedNotThrown()
    {
        // Given a gzip whose body is garbage, and a path that does not exist
        var gz = _fx.WriteBytes("AWSLogs/x/corrupt.json.gz", [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3]);
        var missing = Path.Combine(_fx.Root, "nope");

        // When both are read
        var (result, events) = Read(gz, missing);

        // Then both are reported with their paths, and nothing throws
        Assert.Empty(events);
        Assert.Equal(CloudTrailFileFormat.Unreadable, result.Files.Single().Format);
        Assert.Equal(2, result.Diagnostics.Count(d => d.Code == DiagnosticCodes.CloudTrailUnreadable));
        Assert.Contains(result.Diagnostics, d => d.Location?.File == missing);
    }

    [Fact]
    public void Read_TextThatIsNotJson_IsReportedPerLine()
    {
        var path = _fx.Write("notes.json", "hello\nworld\n");

        var (result, events) = Read(path);

        Assert.Empty(events);
        Assert.Equal(2, result.RecordsMalformed);
        Assert.Equal([1L, 2L], result.Diagnostics.Select(d => d.Location!.Line!.Value));
    }

    [Fact]
    public void Read_EventFields_AreAllKept()
    {
        // Given a denied role-session call with resources, an anonymised IP and request parameters
        var ev = "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:ci\",\"arn\":\"arn:aws:sts::" + Account +
            ":assumed-role/deployer/ci\",\"accountId\":\"" + Account + "\",\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\"," +
            "\"principalId\":\"AROAEXAMPLE\",\"arn\":\"arn:aws:iam::" + Account + ":role/service/deployer\",\"accountId\":\"" + Account + "\",\"userName\":\"deployer\"}," +
            "\"attributes\":{\"creationDate\":\"2026-11-01T09:00:00Z\",\"mfaAuthenticated\":\"false\"},\"sourceIdentity\":\"alice\"}},\"eventTime\":\"2026-11-01T10:00:00Z\"," +
            "\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\",\"awsRegion\":\"ca-isob-northsouth-1r\",\"sourceIPAddress\":\"225.178.039.250\"," +
            "\"userAgent\":\"aws-sdk-go/1.44\",\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User is not authorized\",\"requestParameters\":{\"keyId\":\"k\\\"1\"}," +
            "\"responseElements\":null,\"eventID\":\"k1\",\"readOnly\":true,\"resources\":[{\"accountId\":\"" + Account + "\",\"type\":\"AWS::KMS::Key\"," +
            "\"ARN\":\"arn:aws:kms:eu-west-1:" + Account + ":key/1234\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"999988887777\"," +
            "\"sharedEventID\":\"s1\",\"vpcEndpointId\":\"vpce-1\",\"eventCategory\":\"Management\"}";
        var path = _fx.Write("fields.json", Records(ev));

        // When read
        var (_, events) = Read(path);

        // Then every field is there, the failure is a denial, and the caller is cross-account
        var e = Assert.Single(events);
        Assert.Equal(new EventKey("k1", "999988887777"), e.Key);
        Assert.Equal("ca-isob-northsouth-1r", e.Region);
        Assert.Equal("225.178.039.250", e.SourceIp);
        Assert.True(e.IsDenied);
        Assert.Equal("User is not authorized", e.ErrorMessage);
        Assert.Equal("{\"keyId\":\"k\\\"1\"}", e.RequestParameters);
        Assert.Equal("arn:aws:kms:eu-west-1:" + Account + ":key/1234", Assert.Single(e.Resources).Arn);
        Assert.Equal(("s1", "vpce-1", "Management", "AwsApiCall"), (e.SharedEventId, e.VpcEndpointId, e.Category, e.EventType));
        Assert.True(e.ReadOnly);
        Assert.Equal("alice", e.UserIdentity!.SessionContext!.SourceIdentity);
        Assert.False(e.UserIdentity.SessionContext.MfaAuthenticated);
        Assert.Equal(EventPrincipalKind.AssumedRole, e.Principal.Kind);
        Assert.Equal("arn:aws:iam::" + Account + ":role/service/deployer", e.Principal.IdentityKey);
        Assert.Equal("ci", e.Principal.SessionName);
        Assert.True(e.Principal.IsCrossAccount);
    }

    [Fact]
    public void Read_EventWithoutId_GetsTheSameDerivedIdEveryTime()
    {
        // Given a record without eventID
        var record = Event("x").Replace("\"eventID\":\"x\",", "", StringComparison.Ordinal);
        var path = _fx.Write("noid.jsonl", record + "\n");

        // When read twice
        var first = Read(path).Events.Single();
        var second = Read(path).Events.Single();

        // Then its id is derived from its content and stable
        Assert.StartsWith("sha256:", first.EventId, StringComparison.Ordinal);
        Assert.Equal(first.Key, second.Key);
    }

    [Fact]
    public void ReadStream_TrickledBytes_GiveTheSameEventsAsWhole()
    {
        // Given a file whose records will straddle every buffer boundary
        var text = Records([.. Enumerable.Range(0, 50).Select(i => Event($"s{i:D2}"))]);
        var whole = new List<string>();
        var trickled = new List<string>();

        // When it is read at once and five bytes at a time
        CloudTrailReader.ReadStream(TestData.Stream(text), "whole.json", e => whole.Add(e.EventId));
        var result = CloudTrailReader.ReadStream(new TrickleStream(TestData.Stream(text), 5), "trickle.json", e => trickled.Add(e.EventId));

        // Then the events are the same, in order
        Assert.Equal(50, whole.Count);
        Assert.Equal(whole, trickled);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Read_Fingerprint_IsSizeTimeAndHashOfTheStoredBytes()
    {
        var path = _fx.WriteGz("AWSLogs/" + Account + "/CloudTrail/eu-west-1/2026/11/01/fp.json.gz", Records(Event("p1")));

        var (result, _) = Read(path);

        var fingerprint = result.Files[0].Fingerprint!;
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(bytes.Length, fingerprint.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), fingerprint.Sha256);
        Assert.Equal(File.GetLastWriteTimeUtc(path), fingerprint.LastWriteTimeUtc.UtcDateTime);
    }

    [Fact]
    public void Read_ManyFilesInParallel_ReportsProgressToTheEnd()
    {
        // Given twenty files
        for (var f = 0; f < 20; f++)
        {
            _fx.WriteGz($"AWSLogs/{Account}/CloudTrail/eu-west-1/2026/11/01/f{f:D2}.json.gz", Records([.. Enumerable.Range(0, 10).Select(i => Event($"{f}-{i}"))]));
        }
        var progress = new RecordingProgress<CloudTrailProgress>();

        // When read on two threads
        var events = new ConcurrentBag<CloudTrailEvent>();
        var result = CloudTrailReader.Read([_fx.Root], events.Add, new CloudTrailReadOptions { MaxParallelism = 2 }, progress);

        // Then every event arrives once and the last report covers all files, bytes and events
        Assert.Equal(200, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(20, progress.Reports.Count);
        var last = progress.Reports.MaxBy(r => r.FilesDone);
        Assert.Equal((20, 20, 200L), (last.FilesDone, last.FilesTotal, last.Events));
        Assert.Equal(result.Files.Sum(f => f.Fingerprint!.Size), last.Bytes);
    }

    [Fact]
    public void ReadStream_GzipUpload_IsDetectedFromItsBytes()
    {
        // Given a gzip upload that is not seekable
        var path = _fx.WriteGz("upload.bin", Records(Event("u1"), Event("u2")));
        var ids = new List<string>();

        // When read as a stream
        var result = CloudTrailReader.ReadStream(new TrickleStream(new MemoryStream(File.ReadAllBytes(path)), 3), "upload", e => ids.Add(e.EventId));

        // Then it is decompressed and read
        Assert.True(result.Files[0].Compressed);
        Assert.Equal(["u1", "u2"], ids);
    }

    [Fact]
    public void Read_SameCallerInTwoAccounts_IsCrossAccountOnlyWhereItIs()
    {
        // Given the same userIdentity bytes received by its own account and by another one
        var path = _fx.Write("two.jsonl", Event("a1") + "\n" + Event("a2", recipient: "999988887777") + "\n" + Event("a3") + "\n");

        // When read
        var (_, events) = Read(path);

        // Then attribution follows each record's recipient
        Assert.Equal([false, true, false], events.Select(e => e.Principal.IsCrossAccount));
    }

    [Fact]
    public void Read_EnvelopesAndBadEmbeddedEvent_AreHandled()
    {
        // Given an EventBridge event (`detail`) and a lookup-events item whose CloudTrailEvent string is not json
        var bridge = "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\",\"detail\":" + Event("b1", "CreateUser", "iam.amazonaws.com") + "}";
        var lookup = "{\"Events\":[{\"EventId\":\"l1\",\"CloudTrailEvent\":\"{not json\"}]}";
        var bridgePath = _fx.Write("bridge.jsonl", bridge + "\n");
        var lookupPath = _fx.Write("lookup.json", lookup);

        // When read
        var (result, events) = Read(bridgePath, lookupPath);

        // Then the EventBridge event is read and the bad embedded event is reported at its item
        Assert.Equal("iam:CreateUser", Core.Aws.Usage.EventActionMapper.Default.Map(Assert.Single(events)).Actions[0]);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("$.Events[0]", diagnostic.Location!.JsonPath);
        Assert.Contains("not valid json", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeeplyNestedRequestParameters_AreAccepted()
    {
        // Given an event whose requestParameters nest 100 levels (beyond System.Text.Json's default of 64)
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var path = _fx.Write("deep.json", Records(Event("d1").Replace("{\"instancesSet\":{}}", nested, StringComparison.Ordinal)));

        // When read
        var (result, events) = Read(path);

        // Then the event is read with its parameters
        Assert.Empty(result.Diagnostics);
        Assert.Equal(nested, Assert.Single(events).RequestParameters);
    }
}
