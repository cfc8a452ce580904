using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;
using Ciem.Import.Usage;

namespace Ciem.Import.Gcp;

/// <summary>
/// Reads Cloud Audit Log entries (`gcloud logging read --format=json` arrays, JSON Lines exports, Panther-wrapped
/// events) as usage events: one per `protoPayload.authorizationInfo[]` entry, the permission used by
/// `authenticationInfo.principalEmail` (as `user:` or `serviceAccount:`) on the entry's `resource` (else
/// `resourceAttributes.name`, else the payload's `resourceName`). `granted: true` is a use; `granted` false or absent
/// (proto3 JSON drops false) is a denied attempt. With `serviceAccountDelegationInfo`, the first delegate — the
/// principal that started the impersonation chain — is the person.
/// </summary>
public static class AuditLogReader
{
    public const string DeniedCode = "PERMISSION_DENIED";

    /// <summary>`entries` holds the records of a Logging API `entries.list` page (with `nextPageToken`); `gcloud logging read --format=json` is an array, sinks write JSON Lines.</summary>
    internal static readonly JsonRecordFormat Format = new(["entries"], ["nextPageToken"],
        DiagnosticCodes.GcpAuditBadRecord, DiagnosticCodes.GcpAuditBadFile, DiagnosticCodes.GcpAuditTooManyProblems);

    /// <summary>Reads the files into memory, in file and record order (small inputs, tests); see <see cref="Stream"/> for large ones.</summary>
    public static UsageLogResult Read(IEnumerable<string> paths) =>
        UsageLogReader.ReadAll(paths, Format, DiagnosticCodes.GcpAuditUnreadable, () => new Parser());

    /// <summary>
    /// Streams the files (plain or gzip) in parallel with bounded memory, handing every usage event to
    /// <paramref name="onEvent"/> — called from several threads at once, so it must be thread-safe. Bad records are
    /// skipped, counted and located (file, line, JSON path, record index); an unreadable file is reported, never thrown.
    /// </summary>
    public static UsageReadResult Stream(IEnumerable<string> paths, Action<UsageEvent> onEvent,
        UsageReadOptions? options = null, IProgress<UsageReadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        UsageLogReader.Read(paths, Format, DiagnosticCodes.GcpAuditUnreadable, () => new Parser(), onEvent, options, progress, cancellationToken);

    /// <summary>
    /// The audit log an entry belongs to, from its `logName` (`projects/p/logs/cloudaudit.googleapis.com%2Fdata_access`):
    /// `activity`, `data_access`, `system_event`, `policy`; null for other logs.
    /// </summary>
    public static string? AuditLogOf(string? logName)
    {
        if (logName is null) { return null; }
        var decoded = logName.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        const string marker = "cloudaudit.googleapis.com/";
        var at = decoded.LastIndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : decoded[(at + marker.Length)..];
    }

    /// <summary>One entry: one event per `authorizationInfo[]` check; the entry's audit log and service as coverage.</summary>
    private sealed class Parser : UsageRecordParser
    {
        protected override UsageRecord? Interpret(JsonElement record, out string? error)
        {
            error = null;
            if (record.Property("protoPayload") is not { ValueKind: JsonValueKind.Object } payload) { return UsageRecord.NoAction; }
            var time = Time(record);
            if (time is null)
            {
                error = "entry has no readable `timestamp`";
                return null;
            }
            UsageCoverage? coverage = AuditLogOf(record.String("logName")) is { } log && payload.String("serviceName") is { Length: > 0 } service
                ? new UsageCoverage(log, service, DateOnly.FromDateTime(time.Value.UtcDateTime))
                : null;
            var authentication = payload.Property("authenticationInfo");
            var identity = Member(authentication?.String("principalEmail"));
            if (identity is null) { return UsageRecord.NoIdentity with { Coverage = coverage }; }
            var person = "";
            if (authentication is { } a && a.Items("serviceAccountDelegationInfo").FirstOrDefault() is { Item: var first })
            {
                person = Member(first.Property("firstPartyPrincipal")?.String("principalEmail"))
                    ?? first.Property("thirdPartyPrincipal")?.Property("thirdPartyClaims")?.String("sub") ?? "";
            }
            var events = ImmutableArray.CreateBuilder<UsageEvent>();
            foreach (var (info, _) in payload.Items("authorizationInfo"))
            {
                if (info.String("permission") is not { Length: > 0 } permission) { continue; }
                var resource = info.String("resource") ?? info.Property("resourceAttributes")?.String("name") ?? payload.String("resourceName") ?? "";
                events.Add(new UsageEvent(identity, person, permission, resource, time.Value, info.Bool("granted") == true ? null : DeniedCode));
            }
            return events.Count == 0 ? UsageRecord.NoAction with { Coverage = coverage } : new UsageRecord(UsageRecordKind.Usage, events.DrainToImmutable(), null, coverage);
        }
    }

    /// <summary>`user:…` or `serviceAccount:…` (an address ending in `gserviceaccount.com`); null when empty.</summary>
    public static string? Member(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) { return null; }
        if (email.Contains(':', StringComparison.Ordinal)) { return email; }
        return email.EndsWith("gserviceaccount.com", StringComparison.OrdinalIgnoreCase) ? "serviceAccount:" + email : "user:" + email;
    }

    private static DateTimeOffset? Time(JsonElement record)
    {
        foreach (var name in (string[])["timestamp", "receiveTimestamp", "p_event_time"])
        {
            if (record.String(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) { return t; }
        }
        return null;
    }
}
