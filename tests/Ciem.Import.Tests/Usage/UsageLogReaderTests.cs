using System.Collections.Concurrent;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;
using Ciem.Import.Gcp;
using Ciem.Import.Usage;

namespace Ciem.Import.Tests.Usage;

/// <summary>The streaming engine behind `ActivityLogReader.Stream` and `AuditLogReader.Stream`: layouts, gzip, damage, parallel files.</summary>
public sealed class UsageLogReaderTests : IDisposable
{
    private readonly UsageLogFixtures _fx = new();

    public void Dispose() => _fx.Dispose();

    private static (UsageReadResult Result, List<UsageEvent> Events) StreamAzure(params string[] paths)
    {
        var events = new ConcurrentBag<UsageEvent>();
        var result = ActivityLogReader.Stream(paths, AzureOperationCatalog.Default, events.Add, new UsageReadOptions { MaxParallelism = 2 });
        return (result, [.. events.OrderBy(e => e.Time)]);
    }

    private static (UsageReadResult Result, List<UsageEvent> Events) StreamGcp(params string[] paths)
    {
        var events = new ConcurrentBag<UsageEvent>();
        var result = AuditLogReader.Stream(paths, events.Add, new UsageReadOptions { MaxParallelism = 2 });
        return (result, [.. events.OrderBy(e => e.Time)]);
    }

    [Fact]
    public void Stream_AzureStorageExportHoursPlainGzipAndLegacyRecords_EveryLayoutRead()
    {
        // Given an hour blob in JSON Lines (start + success of a write), the next hour gzipped, a pre-2018
        // `{"records":[…]}` blob and `az monitor activity-log list` output (ARM shape, an array)
        var hour8 = _fx.Write(UsageLogFixtures.AzureBlob(28, 8), string.Join("\n",
            UsageLogFixtures.AzureExportRecord("2026-11-28T08:05:12.1234567Z", "Microsoft.Storage/storageAccounts/write", "Start"),
            UsageLogFixtures.AzureExportRecord("2026-11-28T08:05:14.7654321Z", "Microsoft.Storage/storageAccounts/write"),
            UsageLogFixtures.AzureExportRecord("2026-11-28T08:17:00.0000000Z", "Microsoft.Storage/storageAccounts/listKeys/action", "Failure")) + "\n");
        var hour9 = _fx.WriteGzip(UsageLogFixtures.AzureBlob(28, 9) + ".gz",
            UsageLogFixtures.AzureExportRecord("2026-11-28T09:01:00Z", "Microsoft.Storage/storageAccounts/listKeys/action") + "\n");
        var legacy = _fx.Write(UsageLogFixtures.AzureBlob(27, 23), "{\"records\": [\n"
            + UsageLogFixtures.AzureExportRecord("2026-11-27T23:59:59Z", "Microsoft.Storage/storageAccounts/delete") + "\n]}");
        var arm = _fx.Write("az-activity.json", $$$"""
            [{"caller":"bob@contoso.example","claims":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"b0b00000-0000-4000-8000-000000000002"},
              "eventTimestamp":"2026-11-26T10:00:00Z","operationName":{"value":"Microsoft.Compute/virtualMachines/start/action","localizedValue":"Start Virtual Machine"},
              "resourceId":"/subscriptions/{{{UsageLogFixtures.Subscription}}}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1","status":{"value":"Succeeded"}}]
            """);

        // When they are streamed, two files at a time
        var (result, events) = StreamAzure(hour8, hour9, legacy, arm);

        // Then every record is counted once: the `Start` record is in progress, the failure an attempt
        Assert.Equal([3L, 1L, 1L, 1L], result.Files.Select(f => f.Records));
        Assert.Equal([false, true, false, false], result.Files.Select(f => f.Compressed));
        Assert.All(result.Files, f => Assert.True(f.Complete && !f.Failed));
        Assert.Equal(5, events.Count);
        Assert.Equal(1, result.InProgress);
        Assert.Equal(
            ["Microsoft.Compute/virtualMachines/start/action", "Microsoft.Storage/storageAccounts/delete", "Microsoft.Storage/storageAccounts/write",
             "Microsoft.Storage/storageAccounts/listkeys/action", "Microsoft.Storage/storageAccounts/listkeys/action"],
            events.Select(e => e.Action));
        Assert.Equal("Failed.Forbidden", events[3].ErrorCode);
        Assert.All(events.Skip(1), e => Assert.Equal(UsageLogFixtures.Alice, e.Identity));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Coverage);
    }

    [Fact]
    public void Stream_GcsSinkActivityAndDataAccess_CoveragePerServiceAndDay()
    {
        // Given a GCS sink with an Admin Activity hour and a Data Access hour (one entry without a principal)
        var activity = _fx.Write(UsageLogFixtures.GcsObject("activity", 28, 8), string.Join("\n",
            UsageLogFixtures.GcpEntry("2026-11-28T08:10:00.123456Z", "activity", "storage.googleapis.com", "storage.buckets.update", "storage.buckets.update"),
            UsageLogFixtures.GcpEntry("2026-11-28T08:20:00Z", "activity", "iam.googleapis.com", "google.iam.admin.v1.CreateServiceAccountKey", "iam.serviceAccountKeys.create", granted: false)) + "\n");
        var dataAccess = _fx.Write(UsageLogFixtures.GcsObject("data_access", 28, 8), string.Join("\n",
            UsageLogFixtures.GcpEntry("2026-11-28T08:11:00Z", "data_access", "storage.googleapis.com", "storage.objects.get", "storage.objects.get"),
            UsageLogFixtures.GcpEntry("2026-11-28T08:12:00Z", "data_access", "storage.googleapis.com", "storage.objects.list", "storage.objects.list", principal: "")) + "\n");

        // When they are streamed
        var (result, events) = StreamGcp(activity, dataAccess);

        // Then three checks are events (one denied), the entry without a principal is counted apart,
        // and the window holds Data Access entries of Cloud Storage on that day
        Assert.Equal(["storage.buckets.update", "storage.objects.get", "iam.serviceAccountKeys.create"], events.Select(e => e.Action));
        Assert.Equal(AuditLogReader.DeniedCode, events[2].ErrorCode);
        Assert.Equal(1, result.NoIdentity);
        var day = new DateOnly(2026, 11, 28);
        Assert.Equal(2, result.Coverage[new UsageCoverage("data_access", "storage.googleapis.com", day)]);
        Assert.Equal(1, result.Coverage[new UsageCoverage("activity", "storage.googleapis.com", day)]);
        Assert.Equal(1, result.Coverage[new UsageCoverage("activity", "iam.googleapis.com", day)]);
    }

    [Fact]
    public void Stream_BadRecordsInTheMiddleOfARecordsArray_SkippedCountedAndLocated()
    {
        // Given an export blob whose records array holds a good record, one without a time, a number and another good record
        var path = _fx.Write(UsageLogFixtures.AzureBlob(28, 10), "{\"records\": [\n"
            + UsageLogFixtures.AzureExportRecord("2026-11-28T10:00:00Z", "Microsoft.Storage/storageAccounts/write") + ",\n"
            + "{\"operationName\":\"MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE\",\"resultType\":\"Success\"},\n"
            + "42,\n"
            + UsageLogFixtures.AzureExportRecord("2026-11-28T10:30:00Z", "Microsoft.Storage/storageAccounts/delete") + "\n]}");

        // When it is streamed
        var (result, events) = StreamAzure(path);

        // Then the good records count and each bad one is a warning with its line, JSON path and record index
        Assert.Equal(2, events.Count);
        Assert.Equal(4, result.Records);
        Assert.Equal(2, result.Malformed);
        Assert.Equal(
            [(3L, "$.records[1]", 1L, "record has no readable `eventTimestamp` or `time`; the record was skipped"), (4L, "$.records[2]", 2L, "a record must be an object, not a json number; the record was skipped")],
            result.Diagnostics.Select(d => (d.Location!.Line!.Value, d.Location.JsonPath!, d.Location.Record!.Value, d.Message)));
        Assert.All(result.Diagnostics, d => Assert.Equal((DiagnosticCodes.AzureActivityBadRecord, path), (d.Code, d.Location!.File)));
        Assert.Equal(2, result.Quarantine.Length);
        Assert.True(result.Files[0].Complete);
    }

    [Fact]
    public void Stream_TruncatedGzip_RecordsBeforeTheCutKeptAndTheFileReported()
    {
        // Given a gzip JSON Lines sink file of 2,000 entries cut in the middle (an interrupted copy)
        var lines = Enumerable.Range(0, 2000).Select(i => UsageLogFixtures.GcpEntry($"2026-11-28T08:{i / 60 % 60:00}:{i % 60:00}Z", "activity",
            "compute.googleapis.com", "v1.compute.instances.setMetadata", "compute.instances.setMetadata", resource: $"projects/acme-prod/zones/europe-west1-b/instances/vm-{i}"));
        var whole = UsageLogFixtures.Gzip(string.Join("\n", lines) + "\n");
        var path = _fx.WriteBytes(UsageLogFixtures.GcsObject("activity", 28, 8) + ".gz", whole[..(whole.Length / 2)]);

        // When it is streamed
        var (result, events) = StreamGcp(path);

        // Then the entries before the cut are read (the cut line is malformed), the file failed, and one located error says why
        var file = Assert.Single(result.Files);
        Assert.True(file.Compressed);
        Assert.False(file.Complete);
        Assert.True(file.Failed);
        Assert.InRange(events.Count, 1, 1999);
        Assert.Equal(events.Count, file.Records - file.Malformed);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal((DiagnosticCodes.GcpAuditUnreadable, path), (error.Code, error.Location!.File));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_ManyFilesInParallel_SameCountsAsOneAtATime()
    {
        // Given 24 hourly sink files of 500 entries by 5 members
        var paths = Enumerable.Range(0, 24).Select(h => _fx.Write(UsageLogFixtures.GcsObject("activity", 27, h), string.Join("\n",
            Enumerable.Range(0, 500).Select(i => UsageLogFixtures.GcpEntry($"2026-11-27T{h:00}:{i / 60:00}:{i % 60:00}Z", "activity", "compute.googleapis.com",
                "v1.compute.instances.start", "compute.instances.start", principal: $"dev{i % 5}@acme.example", resource: $"projects/acme-prod/zones/europe-west1-b/instances/vm-{i % 7}"))))).ToArray();

        // When they are streamed two at a time and read one at a time
        var (parallel, events) = StreamGcp(paths);
        var sequential = AuditLogReader.Read(paths);

        // Then both see the same 12,000 uses
        Assert.Equal(12_000, events.Count);
        Assert.Equal(sequential.Events.Length, events.Count);
        Assert.Equal(sequential.Records, parallel.Records);
        Assert.Equal(sequential.Events.GroupBy(e => e.Identity).ToDictionary(g => g.Key, g => g.Count()), events.GroupBy(e => e.Identity).ToDictionary(g => g.Key, g => g.Count()));
        Assert.Equal(paths, parallel.Files.Select(f => f.Path));
    }
}
