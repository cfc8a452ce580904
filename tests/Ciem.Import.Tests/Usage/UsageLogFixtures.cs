using System.IO.Compression;
using System.Text;

namespace Ciem.Import.Tests.Usage;

/// <summary>
/// Activity Log and Cloud Audit Log records in the shapes the services write (Azure diagnostic-settings export to a
/// storage account, `az monitor activity-log list`; GCP `LogEntry` with an `AuditLog` payload, as a GCS sink writes it),
/// written under a temporary folder in the services' own folder layouts.
/// </summary>
internal sealed class UsageLogFixtures : IDisposable
{
    public const string Subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    public const string Alice = "a11ce000-0000-4000-8000-000000000001";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciem-usage-stream-");

    public string Root => _dir.FullName;

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>One Administrative record as diagnostic settings export it (`operationName` upper case, `resultType`, `identity.claims`).</summary>
    public static string AzureExportRecord(string time, string operation, string resultType = "Success", string caller = Alice) =>
        $$$"""{"time":"{{{time}}}","resourceId":"/SUBSCRIPTIONS/{{{Subscription.ToUpperInvariant()}}}/RESOURCEGROUPS/RG-APP/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/STAPP","operationName":"{{{operation.ToUpperInvariant()}}}","category":"Administrative","resultType":"{{{resultType}}}","resultSignature":"{{{(resultType == "Failure" ? "Failed.Forbidden" : "Succeeded.OK")}}}","durationMs":"118","callerIpAddress":"203.0.113.7","correlationId":"6f1c2a4e-8b1d-4e58-9d7a-0c3b5e2f7a11","identity":{"authorization":{"scope":"/subscriptions/{{{Subscription}}}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp","action":"{{{operation}}}","evidence":{"role":"Contributor","roleAssignmentScope":"/subscriptions/{{{Subscription}}}","principalType":"User"}},"claims":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"{{{caller}}}","http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"alice@contoso.example","appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46"}},"level":"Information","location":"global","properties":{"statusCode":"OK","serviceRequestId":null}}""";

    /// <summary>One entry as `gcloud logging read --format=json` and GCS sinks write it.</summary>
    public static string GcpEntry(string time, string log, string service, string method, string permission, bool granted = true, string principal = "alice@acme.example",
        string project = "acme-prod", string resource = "projects/_/buckets/acme-data") =>
        $$$"""{"insertId":"1x9k2fe3a7b","logName":"projects/{{{project}}}/logs/cloudaudit.googleapis.com%2F{{{log}}}","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"{{{principal}}}"},"authorizationInfo":[{"granted":{{{(granted ? "true" : "false")}}},"permission":"{{{permission}}}","resource":"{{{resource}}}","resourceAttributes":{}}],"methodName":"{{{method}}}","requestMetadata":{"callerIp":"203.0.113.9","callerSuppliedUserAgent":"google-cloud-sdk gcloud/502.0.0"},"resourceName":"{{{resource}}}","serviceName":"{{{service}}}","status":{}},"receiveTimestamp":"{{{time}}}","resource":{"labels":{"project_id":"{{{project}}}"},"type":"gcs_bucket"},"severity":"INFO","timestamp":"{{{time}}}"}""";

    public string Write(string relative, string text) => WriteBytes(relative, Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteGzip(string relative, string text) => WriteBytes(relative, Gzip(text));

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal)) { gzip.Write(Encoding.UTF8.GetBytes(text)); }
        return buffer.ToArray();
    }

    /// <summary>The storage-export blob path of an hour: `resourceId=/SUBSCRIPTIONS/…/y=…/m=…/d=…/h=…/m=00/PT1H.json`.</summary>
    public static string AzureBlob(int day, int hour) =>
        $"insights-activity-logs/resourceId=/SUBSCRIPTIONS/{Subscription.ToUpperInvariant()}/y=2026/m=11/d={day:00}/h={hour:00}/m=00/PT1H.json";

    /// <summary>The GCS sink object path of an hour: `cloudaudit.googleapis.com/LOG/2026/11/DD/HH:00:00_HH:59:59_S0.json`.</summary>
    public static string GcsObject(string log, int day, int hour) =>
        $"acme-audit-sink/cloudaudit.googleapis.com/{log}/2026/11/{day:00}/{hour:00}:00:00_{hour:00}:59:59_S0.json";
}
