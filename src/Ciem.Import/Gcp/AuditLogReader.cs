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

    public static UsageLogResult Read(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var diagnostics = new DiagnosticBag();
        var events = ImmutableArray.CreateBuilder<UsageEvent>();
        var files = ImmutableArray.CreateBuilder<(string, long)>();
        long records = 0, noIdentity = 0, noAction = 0, malformed = 0;
        foreach (var path in paths)
        {
            var (seen, bad) = UsageLogRecords.Walk(path, DiagnosticCodes.GcpAuditBadRecord, diagnostics, (record, where) =>
            {
                if (record.Property("protoPayload") is not { ValueKind: JsonValueKind.Object } payload)
                {
                    noAction++;
                    return;
                }
                var time = Time(record);
                if (time is null)
                {
                    malformed++;
                    diagnostics.Error(DiagnosticCodes.GcpAuditBadRecord, "entry has no readable `timestamp`", where);
                    return;
                }
                var authentication = payload.Property("authenticationInfo");
                var identity = Member(authentication?.String("principalEmail"));
                if (identity is null) { noIdentity++; return; }
                var person = "";
                if (authentication is { } a && a.Items("serviceAccountDelegationInfo").FirstOrDefault() is { Item: var first })
                {
                    person = Member(first.Property("firstPartyPrincipal")?.String("principalEmail"))
                        ?? first.Property("thirdPartyPrincipal")?.Property("thirdPartyClaims")?.String("sub") ?? "";
                }
                var any = false;
                foreach (var (info, _) in payload.Items("authorizationInfo"))
                {
                    if (info.String("permission") is not { Length: > 0 } permission) { continue; }
                    any = true;
                    var resource = info.String("resource") ?? info.Property("resourceAttributes")?.String("name") ?? payload.String("resourceName") ?? "";
                    events.Add(new UsageEvent(identity, person, permission, resource, time.Value, info.Bool("granted") == true ? null : DeniedCode));
                }
                if (!any) { noAction++; }
            });
            records += seen;
            malformed += bad;
            files.Add((path, seen));
        }
        return new UsageLogResult(events.ToImmutable(), files.ToImmutable(), records, noIdentity, noAction, 0,
            ImmutableDictionary<string, long>.Empty, malformed, diagnostics.ToImmutable());
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
