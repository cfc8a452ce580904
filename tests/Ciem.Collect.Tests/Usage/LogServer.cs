using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ciem.Tests;

namespace Ciem.Collect.Tests.Usage;

/// <summary>
/// The log APIs on the shared loopback server, answering as documented: Azure Monitor's Activity Log list (`$filter` on
/// `eventTimestamp ge … and eventTimestamp le …`, pages `{"value": […], "nextLink": …}`) and Cloud Logging's
/// `entries:list` (`POST` body with `resourceNames`, a `timestamp >= … AND timestamp < …` filter and `pageToken`; pages
/// `{"entries": […], "nextPageToken": …}`, `{}` when there is nothing). Each serves only the records its filter's times
/// select, two per page, from a list a test can add to between runs.
/// </summary>
internal static partial class LogServer
{
    private const string Tenant = "72f9e1c4-0b5a-4d7e-9a43-2f1c8b6d5e01";

    public const string ActivityPath = "/subscriptions/{}/providers/Microsoft.Insights/eventtypes/management/values";

    /// <summary>Serves <paramref name="events"/> (by subscription) as the Activity Log list, <paramref name="pageSize"/> records a
    /// page.</summary>
    public static LoopbackHttpServer ServeActivityLog(LoopbackHttpServer server, Func<string, IEnumerable<JsonObject>> events,
        string[] subscriptions, int pageSize = 2)
    {
        server.Map("GET", "/subscriptions", _ => LoopbackAnswer.Json(new JsonObject
        {
            ["value"] = new JsonArray([.. subscriptions.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = $"/subscriptions/{s}", ["subscriptionId"] = s, ["tenantId"] = Tenant, ["displayName"] = $"sub {s[..4]}",
                ["state"] = "Enabled",
            })]),
        }));
        // What one subscription's filter selects is built once, then served page by page (the records may be many).
        var selected = new System.Collections.Concurrent.ConcurrentDictionary<string, JsonArray>(StringComparer.Ordinal);
        return server.MapPages(ActivityPath, request =>
        {
            var filter = ActivityFilter().Match(request.Query["$filter"] ?? "");
            if (request.Query["api-version"] != "2015-04-01" || !filter.Success) { return []; }
            var (from, to) = (Parse(filter.Groups[1].Value), Parse(filter.Groups[2].Value));
            return selected.GetOrAdd($"{request.Segments[0]}\n{filter.Value}", _ => new JsonArray([.. events(request.Segments[0])
                .Where(e => Parse(e["eventTimestamp"]!.GetValue<string>()) is var at && at >= from && at <= to)
                .Select(e => (JsonNode)e.DeepClone())]));
        }, pageSize, "$skiptoken", (items, next) => LoopbackAnswer.Json(new JsonObject { ["value"] = items, ["nextLink"] = next }));
    }

    /// <summary>Serves <paramref name="entries"/> (by container, `projects/p`) as Cloud Logging's `entries:list`; every request body
    /// is kept.</summary>
    public static LoopbackHttpServer ServeEntries(LoopbackHttpServer server, Func<string, IEnumerable<JsonObject>> entries) =>
        server.Map("POST", "/v2/entries:list", request =>
        {
            var body = JsonNode.Parse(request.Text)!.AsObject();
            var container = body["resourceNames"]!.AsArray().Single()!.GetValue<string>();
            var filter = EntriesFilter().Match(body["filter"]!.GetValue<string>());
            if (!filter.Success || body["orderBy"]?.GetValue<string>() != "timestamp asc")
            {
                return new LoopbackAnswer(400, "{\"error\":{\"code\":400,\"message\":\"Invalid filter\",\"status\":\"INVALID_ARGUMENT\"}}");
            }
            var (from, to) = (Parse(filter.Groups[1].Value), Parse(filter.Groups[2].Value));
            var all = entries(container).Where(e => Parse(e["timestamp"]!.GetValue<string>()) is var at && at >= from && at < to).ToList();
            var token = body["pageToken"]?.GetValue<string>();
            var start = int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
            var page = all.Skip(start).Take(2).ToList();
            if (page.Count == 0) { return LoopbackAnswer.Json(new JsonObject()); }
            var answer = new JsonObject { ["entries"] = new JsonArray([.. page.Select(e => (JsonNode)e.DeepClone())]) };
            if (start + 2 < all.Count) { answer["nextPageToken"] = (start + 2).ToString(CultureInfo.InvariantCulture); }
            return LoopbackAnswer.Json(answer);
        });

    /// <summary>
    /// An Activity Log record as the list returns it (`EventData`: `operationName`, `status`, `claims`, `caller`,
    /// `eventTimestamp`, `resourceId`, …), by a user whose object id is <paramref name="caller"/>.
    /// </summary>
    public static JsonObject Activity(string subscription, string caller, string operation, string resource, DateTimeOffset at,
        string status = "Succeeded")
    {
        var id = Guid.NewGuid().ToString();
        var resourceId = $"/subscriptions/{subscription}/resourceGroups/rg-app/providers/{resource}";
        var type = string.Join('/', resource.Split('/')[..^1]);
        return new JsonObject
        {
            ["authorization"] = new JsonObject { ["action"] = operation, ["scope"] = resourceId },
            ["caller"] = "dev@acme.example",
            ["channels"] = "Operation",
            ["claims"] = new JsonObject
            {
                ["aud"] = "https://management.core.windows.net/",
                ["http://schemas.microsoft.com/identity/claims/objectidentifier"] = caller,
                ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = "dev@acme.example",
                ["appid"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
            },
            ["correlationId"] = id,
            ["description"] = "",
            ["eventDataId"] = Guid.NewGuid().ToString(),
            ["eventName"] = new JsonObject { ["value"] = "EndRequest", ["localizedValue"] = "End request" },
            ["category"] = new JsonObject { ["value"] = "Administrative", ["localizedValue"] = "Administrative" },
            ["httpRequest"] = new JsonObject { ["clientRequestId"] = id, ["clientIpAddress"] = "203.0.113.7", ["method"] = "PUT" },
            ["id"] = $"{resourceId}/events/{id}/ticks/{at.UtcTicks}",
            ["level"] = status == "Succeeded" ? "Informational" : "Error",
            ["resourceGroupName"] = "rg-app",
            ["resourceProviderName"] = new JsonObject { ["value"] = operation.Split('/')[0], ["localizedValue"] = operation.Split('/')[0] },
            ["resourceId"] = resourceId,
            ["resourceType"] = new JsonObject { ["value"] = type, ["localizedValue"] = type },
            ["operationId"] = id,
            ["operationName"] = new JsonObject { ["value"] = operation, ["localizedValue"] = operation },
            ["properties"] = new JsonObject { ["statusCode"] = status == "Succeeded" ? "OK" : "Forbidden" },
            ["status"] = new JsonObject { ["value"] = status, ["localizedValue"] = status },
            ["subStatus"] = new JsonObject { ["value"] = status == "Succeeded" ? "OK" : "Forbidden", ["localizedValue"] = "" },
            ["eventTimestamp"] = Ticks(at),
            ["submissionTimestamp"] = Ticks(at.AddSeconds(20)),
            ["subscriptionId"] = subscription,
            ["tenantId"] = Tenant,
        };
    }

    /// <summary>A Cloud Audit Logs `LogEntry` (`protoPayload` an `AuditLog` with `authenticationInfo` and `authorizationInfo`).</summary>
    public static JsonObject AuditEntry(string project, string log, string principal, string service, string method, string permission,
        string resource, DateTimeOffset at, bool granted = true)
    {
        var info = new JsonObject { ["resource"] = resource, ["permission"] = permission, ["resourceAttributes"] = new JsonObject() };
        if (granted) { info["granted"] = true; }
        return new JsonObject
        {
            ["protoPayload"] = new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.cloud.audit.AuditLog",
                ["status"] = granted ? new JsonObject() : new JsonObject { ["code"] = 7, ["message"] = "PERMISSION_DENIED" },
                ["authenticationInfo"] = new JsonObject { ["principalEmail"] = principal },
                ["requestMetadata"] = new JsonObject
                {
                    ["callerIp"] = "203.0.113.9", ["callerSuppliedUserAgent"] = "google-cloud-sdk gcloud/497.0.0",
                },
                ["serviceName"] = service,
                ["methodName"] = method,
                ["authorizationInfo"] = new JsonArray(info),
                ["resourceName"] = resource,
            },
            ["insertId"] = Guid.NewGuid().ToString("N")[..12],
            ["resource"] = new JsonObject { ["type"] = "project", ["labels"] = new JsonObject { ["project_id"] = project } },
            ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["severity"] = granted ? "NOTICE" : "ERROR",
            ["logName"] = $"projects/{project}/logs/cloudaudit.googleapis.com%2F{log}",
            ["receiveTimestamp"] = Ticks(at.AddSeconds(1)),
        };
    }

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Ticks(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("^eventTimestamp ge '([^']+)' and eventTimestamp le '([^']+)'$")]
    private static partial Regex ActivityFilter();

    [GeneratedRegex("^\\(log_id\\(\"cloudaudit\\.googleapis\\.com/[a-z_]+\"\\)" +
        "(?: OR log_id\\(\"cloudaudit\\.googleapis\\.com/[a-z_]+\"\\))*\\)" +
        " AND timestamp >= \"([^\"]+)\" AND timestamp < \"([^\"]+)\"$")]
    private static partial Regex EntriesFilter();
}
