using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Ciem.App;
using Ciem.App.Usage;
using Ciem.Storage;

namespace Ciem.Bench;

/// <summary>
/// `azure-activity` and `gcp-audit`: synthetic logs in the services' own folder layouts — an Azure diagnostic-settings
/// storage export (`resourceId=/SUBSCRIPTIONS/…/y=/m=/d=/h=/m=00/PT1H.json`, JSON Lines, every other hour gzip) and a
/// GCS audit sink (`cloudaudit.googleapis.com/activity|data_access/YYYY/MM/DD/HH:00:00_HH:59:59_S0.json`) — streamed
/// as `ciem import` streams them (files in parallel, one rollup per thread, merged) and stored in one SQLite
/// transaction. Records are realistic in size (≈ 1.2 KB Azure, ≈ 1 KB GCP) and deterministic for a count.
/// </summary>
internal static class UsageLogBench
{
    private const int Principals = 400;
    private const int RecordsPerFile = 10_000;

    public static IReadOnlyList<Figure> RunAzure(int records) => Run(StreamedUsageLog.AzureActivity, records, GenerateAzure);

    public static IReadOnlyList<Figure> RunGcp(int records) => Run(StreamedUsageLog.GcpAudit, records, GenerateGcp);

    /// <summary>The product's ingestion pipeline (<see cref="UsageLog{TRollup}.Read"/>, <see cref="UsageIngestion.Save"/>) timed in its two phases.</summary>
    private static IReadOnlyList<Figure> Run(StreamedUsageLog log, int records, Func<string, int, IReadOnlyList<string>> generate)
    {
        var provider = log.Provider.Name;
        var folder = Path.Combine(Path.GetTempPath(), "ciem-bench", $"{provider}-usage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var files = generate(folder, records);
            var bytes = files.Sum(f => new FileInfo(f).Length);
            using var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var batch = log.Read(files, skipped: 0);
            var readSeconds = sw.Elapsed.TotalSeconds;
            process.Refresh();
            var readCpu = (process.TotalProcessorTime - cpu0).TotalSeconds;

            sw.Restart();
            using (var store = Stores.Open(Path.Combine(folder, SqliteStore.DefaultFileName)))
            {
                UsageIngestion.Save(store, provider, batch, [], DateTimeOffset.UnixEpoch);
            }
            var storeSeconds = sw.Elapsed.TotalSeconds;
            process.Refresh();
            var c = batch.Counts;
            return
            [
                new($"{provider}.files", files.Count, "files"),
                new($"{provider}.input", Measure.Megabytes(bytes), "MiB on disk (half gzip)"),
                new($"{provider}.records", c.Events, "records"),
                new($"{provider}.events", c.UsageEvents + c.Attempts, "usage events"),
                new($"{provider}.read", readSeconds, "s (stream + roll up)"),
                new($"{provider}.rate", c.Events / readSeconds, "records/s (wall)"),
                new($"{provider}.cpu", readCpu, "CPU-s (stream + roll up, all threads)"),
                new($"{provider}.percpu", c.Events / Math.Max(readCpu, 1e-9), "records per CPU-second"),
                new($"{provider}.rows", batch.Usage.Length + batch.Attempts.Length, "daily rows"),
                new($"{provider}.store", storeSeconds, "s (SQLite, one transaction)"),
                new($"{provider}.peak", Measure.Megabytes(process.PeakWorkingSet64), "MiB peak working set"),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static readonly string[] AzureOperations =
    [
        "Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/virtualMachines/write", "Microsoft.Compute/virtualMachines/deallocate/action",
        "Microsoft.Storage/storageAccounts/listKeys/action", "Microsoft.Storage/storageAccounts/write", "Microsoft.Network/networkSecurityGroups/write",
        "Microsoft.KeyVault/vaults/write", "Microsoft.Resources/deployments/write", "Microsoft.Authorization/roleAssignments/write", "Microsoft.Web/sites/restart/action",
    ];

    /// <summary>Hourly PT1H.json blobs of <see cref="RecordsPerFile"/> records, over 28 days; every other blob gzip.</summary>
    public static IReadOnlyList<string> GenerateAzure(string root, int records)
    {
        const string subscription = "0B1F6471-1BF0-4DDA-AEC3-CB9272F09590";
        return Generate(records, (file, hour) =>
        {
            var day = 1 + hour / 24 % 28;
            var h = hour % 24;
            return Path.Combine(root, "insights-activity-logs", "resourceId=", "SUBSCRIPTIONS", subscription, $"y=2026", "m=11", $"d={day:00}", $"h={h:00}", "m=00", "PT1H.json");
        }, (text, i, hour) =>
        {
            var principal = $"{i * 7919 % Principals:x8}-0000-4000-8000-000000000000";
            var operation = AzureOperations[i * 31 % AzureOperations.Length];
            var result = i % 11 == 0 ? "Start" : i % 37 == 0 ? "Failure" : "Success";
            var time = new DateTime(2026, 11, 1 + hour / 24 % 28, hour % 24, i / 60 % 60, i % 60, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
            var rg = $"RG-{i * 13 % 40:000}";
            text.Append(CultureInfo.InvariantCulture, $$$"""{"time":"{{{time}}}","resourceId":"/SUBSCRIPTIONS/{{{subscription}}}/RESOURCEGROUPS/{{{rg}}}/PROVIDERS/{{{operation.Split('/')[0].ToUpperInvariant()}}}/RESOURCE{{{i % 50}}}","operationName":"{{{operation.ToUpperInvariant()}}}","category":"Administrative","resultType":"{{{result}}}","resultSignature":"{{{(result == "Failure" ? "Failed.Forbidden" : "Succeeded.OK")}}}","durationMs":"{{{i % 900}}}","callerIpAddress":"198.51.100.{{{i % 250}}}","correlationId":"{{{Guid.Empty}}}","identity":{"authorization":{"scope":"/subscriptions/{{{subscription.ToLowerInvariant()}}}/resourceGroups/{{{rg.ToLowerInvariant()}}}","action":"{{{operation}}}","evidence":{"role":"Contributor","roleAssignmentScope":"/subscriptions/{{{subscription.ToLowerInvariant()}}}","principalType":"ServicePrincipal"}},"claims":{"aud":"https://management.core.windows.net/","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","http://schemas.microsoft.com/identity/claims/objectidentifier":"{{{principal}}}","appid":"{{{principal}}}","http://schemas.microsoft.com/identity/claims/tenantid":"72f988bf-86f1-41af-91ab-2d7cd011db47"}},"level":"Information","location":"global","properties":{"statusCode":"OK","serviceRequestId":null,"eventCategory":"Administrative","entity":"/subscriptions/{{{subscription.ToLowerInvariant()}}}/resourceGroups/{{{rg.ToLowerInvariant()}}}","message":"{{{operation}}}","hierarchy":"72f988bf-86f1-41af-91ab-2d7cd011db47/{{{subscription.ToLowerInvariant()}}}"}}""");
        });
    }

    private static readonly (string Service, string Method, string Permission, string Log)[] GcpCalls =
    [
        ("compute.googleapis.com", "v1.compute.instances.start", "compute.instances.start", "activity"),
        ("compute.googleapis.com", "v1.compute.instances.setMetadata", "compute.instances.setMetadata", "activity"),
        ("storage.googleapis.com", "storage.objects.get", "storage.objects.get", "data_access"),
        ("storage.googleapis.com", "storage.objects.create", "storage.objects.create", "data_access"),
        ("iam.googleapis.com", "google.iam.admin.v1.CreateServiceAccountKey", "iam.serviceAccountKeys.create", "activity"),
        ("cloudresourcemanager.googleapis.com", "SetIamPolicy", "resourcemanager.projects.setIamPolicy", "activity"),
        ("bigquery.googleapis.com", "google.cloud.bigquery.v2.JobService.InsertJob", "bigquery.jobs.create", "data_access"),
    ];

    /// <summary>Hourly sink objects of <see cref="RecordsPerFile"/> entries over 28 days; every other object gzip.</summary>
    public static IReadOnlyList<string> GenerateGcp(string root, int records) => Generate(records, (file, hour) =>
    {
        var log = file % 3 == 0 ? "data_access" : "activity";
        var day = 1 + hour / 24 % 28;
        var h = hour % 24;
        return Path.Combine(root, "acme-audit-sink", "cloudaudit.googleapis.com", log, "2026", "11", $"{day:00}", $"{h:00}:00:00_{h:00}:59:59_S{file % 3}.json");
    }, (text, i, hour) =>
    {
        var call = GcpCalls[i * 31 % GcpCalls.Length];
        var member = i % 5 == 0 ? $"deploy-{i % 60}@acme-prod.iam.gserviceaccount.com" : $"dev{i * 7919 % Principals}@acme.example";
        var time = new DateTime(2026, 11, 1 + hour / 24 % 28, hour % 24, i / 60 % 60, i % 60, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
        var project = $"acme-{i % 12:00}";
        var resource = $"projects/{project}/zones/europe-west1-b/instances/vm-{i % 80}";
        text.Append(CultureInfo.InvariantCulture, $$$"""{"insertId":"{{{i:x}}}e{{{hour}}}","logName":"projects/{{{project}}}/logs/cloudaudit.googleapis.com%2F{{{call.Log}}}","operation":{"id":"operation-{{{i}}}","producer":"{{{call.Service}}}","first":true,"last":true},"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"{{{member}}}","principalSubject":"user:{{{member}}}"},"authorizationInfo":[{"granted":{{{(i % 41 == 0 ? "false" : "true")}}},"permission":"{{{call.Permission}}}","resource":"{{{resource}}}","resourceAttributes":{"service":"{{{call.Service}}}","name":"{{{resource}}}","type":"{{{call.Service}}}/Instance"},"permissionType":"ADMIN_WRITE"}],"methodName":"{{{call.Method}}}","request":{"@type":"type.googleapis.com/compute.instances.start"},"requestMetadata":{"callerIp":"203.0.113.{{{i % 250}}}","callerSuppliedUserAgent":"google-cloud-sdk gcloud/502.0.0 command/gcloud.compute.instances.start","requestAttributes":{"time":"{{{time}}}","auth":{}},"destinationAttributes":{}},"resourceLocation":{"currentLocations":["europe-west1-b"]},"resourceName":"{{{resource}}}","serviceName":"{{{call.Service}}}"},"receiveTimestamp":"{{{time}}}","resource":{"labels":{"instance_id":"{{{i % 80}}}","project_id":"{{{project}}}","zone":"europe-west1-b"},"type":"gce_instance"},"severity":"NOTICE","timestamp":"{{{time}}}"}""");
    });

    /// <summary>Writes <paramref name="records"/> records in files of <see cref="RecordsPerFile"/>, every other one gzip.</summary>
    private static List<string> Generate(int records, Func<int, int, string> pathOf, Action<StringBuilder, int, int> record)
    {
        var files = new List<string>();
        var text = new StringBuilder(RecordsPerFile * 1300);
        for (int file = 0, written = 0; written < records; file++)
        {
            var hour = file;
            var path = pathOf(file, hour);
            text.Clear();
            var count = Math.Min(RecordsPerFile, records - written);
            for (var i = 0; i < count; i++)
            {
                record(text, written + i, hour);
                text.Append('\n');
            }
            written += count;
            if (file % 2 == 1) { path += ".gz"; }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            if (file % 2 == 1)
            {
                using var output = File.Create(path);
                using var gzip = new GZipStream(output, CompressionLevel.Fastest);
                gzip.Write(bytes);
            }
            else
            {
                File.WriteAllBytes(path, bytes);
            }
            files.Add(path);
        }
        return files;
    }
}
