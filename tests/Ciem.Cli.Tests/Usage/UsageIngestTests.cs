using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Ciem.App.Usage;
using Ciem.Cli.Commands;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Import.Azure;
using Ciem.Storage;

namespace Ciem.Cli.Tests.Usage;

/// <summary>`ciem import azure-activity|gcp-audit` on folder layouts the services write: idempotence, damage, a failed run.</summary>
public sealed class UsageIngestTests
{
    private const string Sub = "22222222-2222-4222-8222-222222222222";

    /// <summary>A diagnostic-settings export record (Administrative) by ci-deploy.</summary>
    private static string Record(string time, string operation, string result = "Success") =>
        $$$"""{"time":"{{{time}}}","resourceId":"/SUBSCRIPTIONS/{{{Sub}}}/RESOURCEGROUPS/RG-DEV/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM-BUILD","operationName":"{{{operation.ToUpperInvariant()}}}","category":"Administrative","resultType":"{{{result}}}","resultSignature":"Succeeded.OK","durationMs":"842","callerIpAddress":"198.51.100.20","correlationId":"0d7e7c1a-77a5-4c7f-9e0b-2f0f2d1c9a01","identity":{"claims":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"c1de9107-0000-4000-8000-000000000003","appid":"5c6e2f0a-0000-4000-8000-00000000c1de"}},"level":"Information","location":"global","properties":{"statusCode":"OK"}}""";

    private static string Blob(string root, int day, int hour) =>
        Path.Combine(root, "insights-activity-logs", "resourceId=", "SUBSCRIPTIONS", Sub, "RESOURCEGROUPS", "RG-DEV", "PROVIDERS", "MICROSOFT.COMPUTE", "VIRTUALMACHINES", "VM-BUILD",
            "y=2026", "m=11", $"d={day:00}", $"h={hour:00}", "m=00", "PT1H.json");

    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal)) { gzip.Write(Encoding.UTF8.GetBytes(text)); }
        return buffer.ToArray();
    }

    /// <summary>Eight records of one hour of a storage export.</summary>
    private static string Hour(int h) =>
        string.Concat(Enumerable.Range(0, 8).Select(i => Record($"2026-11-2{h % 3 + 5}T{h:00}:{i * 7:00}:00.0000000Z", "Microsoft.Compute/virtualMachines/start/action") + "\n"));

    /// <summary>Three hours of a storage export: plain, gzip, and a gzip cut short; 24 records in all, 8 per hour.</summary>
    private static string Export(string home)
    {
        var root = Path.Combine(home, "export");
        Write(Blob(root, 25, 8), Encoding.UTF8.GetBytes(Hour(8)));
        Write(Blob(root, 26, 9) + ".gz", Gzip(Hour(9)));
        var cut = Gzip(Hour(10));
        Write(Blob(root, 27, 10) + ".gz", cut[..(cut.Length * 2 / 3)]);
        return root;
    }

    private static JsonElement Import(CliRunner cli, string path)
    {
        var (code, output, err) = cli.Run("import", "azure-activity", path, "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    private static long StoredUses(CliRunner cli)
    {
        using var store = SqliteStore.Open(cli.Db);
        return store.LoadUsage("azure", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)).Sum(u => u.Count);
    }

    [Fact]
    public void ImportAzureActivity_StorageExportTreeTwice_SecondRunSkipsEverythingAndNothingIsCountedTwice()
    {
        // Given a storage-account export tree (`resourceId=/SUBSCRIPTIONS/…/y=/m=/d=/h=/m=00/PT1H.json`), one hour gzip-cut
        using var cli = new CliRunner();
        var export = Export(cli.Home);

        // When the folder is imported, the cut blob is then completed, and the folder is imported twice more
        var first = Import(cli, export);
        var afterFirst = StoredUses(cli);
        File.WriteAllBytes(Blob(export, 27, 10) + ".gz", Gzip(Hour(10)));
        var second = Import(cli, export);
        var afterSecond = StoredUses(cli);
        var third = Import(cli, export);

        // Then the first run stores the two whole blobs only — the cut one reported with its path, neither stored nor
        // recorded — the second reads the completed blob once, whole, and the third skips all three: each record of the
        // 24 is counted exactly once
        Assert.Equal((2, 0, 1), (first.GetProperty("files").GetInt32(), first.GetProperty("filesSkipped").GetInt32(), first.GetProperty("filesFailed").GetInt32()));
        Assert.Equal((16L, 16L), (first.GetProperty("usageEvents").GetInt64(), afterFirst));
        var cutError = first.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!).Single(d => d.StartsWith("error", StringComparison.Ordinal));
        Assert.Contains(DiagnosticCodes.AzureActivityUnreadable, cutError, StringComparison.Ordinal);
        Assert.Contains("d=27", cutError, StringComparison.Ordinal);
        Assert.Equal((1, 2, 8L), (second.GetProperty("files").GetInt32(), second.GetProperty("filesSkipped").GetInt32(), second.GetProperty("usageEvents").GetInt64()));
        Assert.Equal(24, afterSecond);
        Assert.Equal((0, 3, 0L), (third.GetProperty("files").GetInt32(), third.GetProperty("filesSkipped").GetInt32(), third.GetProperty("usageEvents").GetInt64()));
        Assert.Equal(24, StoredUses(cli));
    }

    [Fact]
    public void Ingest_RunThatFailsAfterReading_LeavesNothingAndTheNextRunIngestsEverything()
    {
        // Given the export, and a run that dies after reading every file (as a killed process would, before its one transaction)
        using var cli = new CliRunner();
        var export = Export(cli.Home);
        var host = cli.Host(new StringWriter(), new StringWriter());

        // When that run fails
        var dying = new StreamedUsageLog(Provider.Azure, "activity-log", DiagnosticCodes.AzureActivityBadRecord, (files, onEvent, progress) =>
        {
            ActivityLogReader.Stream(files, AzureOperationCatalog.Default, onEvent, null, progress);
            throw new IOException("disk full");
        });
        Assert.Throws<IOException>(() => UsageIngest.Ingest(host, dying, [export], cli.Db));
        host.CloseSessions();

        // Then the store holds no usage and no ingested file, so the next run reads all three files (the cut one
        // reported as failed, not stored)
        Assert.Equal(0, StoredUses(cli));
        var next = Import(cli, export);
        Assert.Equal((2, 0, 1), (next.GetProperty("files").GetInt32(), next.GetProperty("filesSkipped").GetInt32(),
            next.GetProperty("filesFailed").GetInt32()));
        Assert.Equal(next.GetProperty("usageEvents").GetInt64(), StoredUses(cli));
    }

    [Fact]
    public void ImportGcpAudit_TextOnATerminal_TableAndRate()
    {
        // Given a GCS sink file whose second line was cut / When imported with the table output
        // Then the counts and the rate are shown, and the cut line is a located warning
        using var cli = new CliRunner();
        var sink = Path.Combine(cli.Home, "sink", "cloudaudit.googleapis.com", "activity", "2026", "11", "28", "08:00:00_08:59:59_S0.json");
        Directory.CreateDirectory(Path.GetDirectoryName(sink)!);
        File.WriteAllText(sink, """
            {"insertId":"1k2j3h","logName":"projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"carol@acme.example"},"authorizationInfo":[{"granted":true,"permission":"compute.instances.start","resource":"projects/acme-prod/zones/europe-west1-b/instances/vm-1"}],"methodName":"v1.compute.instances.start","resourceName":"projects/acme-prod/zones/europe-west1-b/instances/vm-1","serviceName":"compute.googleapis.com"},"timestamp":"2026-11-28T08:01:00Z"}
            {"insertId":"1k2j3i","logName":"projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"authenticationInfo":{"principalEmail":"carol@acme.example"}
            """);

        var (code, text, err) = cli.Run("import", "gcp-audit", Path.Combine(cli.Home, "sink"), "--db", cli.Db);

        Assert.Equal(0, code);
        Assert.Contains("records/s", text, StringComparison.Ordinal);
        Assert.Contains("warning CIEM8010: not valid json", err, StringComparison.Ordinal);
        Assert.Contains("08:00:00_08:59:59_S0.json:2, record 1)", err, StringComparison.Ordinal);
    }
}
