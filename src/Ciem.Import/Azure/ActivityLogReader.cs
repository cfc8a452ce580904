using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;
using Ciem.Import.Usage;

namespace Ciem.Import.Azure;

/// <summary>
/// Reads Azure Activity Log records — `az monitor activity-log list` (ARM shape: `operationName.value`, `caller`,
/// `claims`, `status.value`, `eventTimestamp`), diagnostic-settings exports (`operationName` string, `identity.claims`,
/// `resultType`, `time`, in JSON Lines or `{"records": […]}`) — and Entra ID sign-in logs (`category` `…SignInLogs`),
/// as usage events. The identity is the caller's object id (the `objectidentifier` claim, else `caller`, else the `upn` or `appid` claim); the action is
/// the operation in the catalog's canonical case; `Failed` records are attempts; `Started`/`Accepted` records are
/// left to their final record. A sign-in is human (or workload) activity: action `entra:signIn` on the application id,
/// the user principal name as person; a non-zero `errorCode` makes it an attempt.
/// </summary>
public static class ActivityLogReader
{
    public const string SignInAction = "entra:signIn";
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string UpnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

    public static UsageLogResult Read(IEnumerable<string> paths, AzureOperationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(catalog);
        var diagnostics = new DiagnosticBag();
        var events = ImmutableArray.CreateBuilder<UsageEvent>();
        var files = ImmutableArray.CreateBuilder<(string, long)>();
        var unmapped = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        long records = 0, noIdentity = 0, noAction = 0, inProgress = 0, malformed = 0;
        foreach (var path in paths)
        {
            var (seen, bad) = UsageLogRecords.Walk(path, DiagnosticCodes.AzureActivityBadRecord, diagnostics, (record, where) =>
            {
                var time = Time(record);
                if (time is null)
                {
                    malformed++;
                    diagnostics.Error(DiagnosticCodes.AzureActivityBadRecord, "record has no readable `eventTimestamp` or `time`", where);
                    return;
                }
                var category = Field(record, "category");
                if (category is not null && category.EndsWith("SignInLogs", StringComparison.OrdinalIgnoreCase))
                {
                    var signIn = SignIn(record, time.Value);
                    if (signIn is null) { noIdentity++; } else { events.Add(signIn); }
                    return;
                }
                var operation = Operation(record);
                if (operation is null || !operation.Contains('/', StringComparison.Ordinal)) { noAction++; return; }
                var identity = Caller(record);
                if (identity is null) { noIdentity++; return; }
                var status = Status(record);
                if (status is "Started" or "Accepted" or "Active" or "InProgress" or "In Progress") { inProgress++; return; }
                string action;
                if (catalog.TryGetOperation(operation, AzurePlane.Control, out var known) || catalog.TryGetOperation(operation, AzurePlane.Data, out known))
                {
                    action = known.Name;
                }
                else
                {
                    action = operation;
                    unmapped[operation] = unmapped.GetValueOrDefault(operation) + 1;
                }
                var error = status is "Failed" or "Failure" ? ErrorCode(record) : null;
                events.Add(new UsageEvent(identity, "", action, Field(record, "resourceId") ?? "", time.Value, error));
            });
            records += seen;
            malformed += bad;
            files.Add((path, seen));
        }
        return new UsageLogResult(events.ToImmutable(), files.ToImmutable(), records, noIdentity, noAction, inProgress,
            unmapped.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase), malformed, diagnostics.ToImmutable());
    }

    private static UsageEvent? SignIn(JsonElement record, DateTimeOffset time)
    {
        var properties = Property(record, "properties");
        if (properties is not { ValueKind: JsonValueKind.Object } p) { return null; }
        var user = NonEmpty(p.String("userId"));
        var identity = user ?? NonEmpty(p.String("servicePrincipalId"));
        if (identity is null) { return null; }
        var person = user is null ? "" : p.String("userPrincipalName") ?? "";
        var code = p.Property("status") is { } s && s.Property("errorCode") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var c) ? c : 0;
        return new UsageEvent(identity, person, SignInAction, p.String("appId") ?? "", time, code == 0 ? null : code.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The objectidentifier claim (top-level `claims` or `identity.claims`), else `caller`; diagnostic exports carry no
    /// `caller`, so there what ARM would have put in it: the `upn` claim for a user, the `appid` claim for an application.
    /// </summary>
    private static string? Caller(JsonElement record)
    {
        var claims = Property(record, "claims") ?? (Property(record, "identity") is { } id ? Property(id, "claims") : null);
        var c = claims is { ValueKind: JsonValueKind.Object } found ? found : default;
        return NonEmpty(Field(c, ObjectIdClaim)) ?? NonEmpty(Field(c, "oid")) ?? NonEmpty(Field(record, "caller"))
            ?? NonEmpty(Field(c, UpnClaim)) ?? NonEmpty(Field(c, "appid"));
    }

    private static string? Operation(JsonElement record) => Property(record, "operationName") switch
    {
        { ValueKind: JsonValueKind.String } s => NonEmpty(s.GetString()),
        { ValueKind: JsonValueKind.Object } o => NonEmpty(o.String("value")),
        _ => null,
    };

    private static string? Status(JsonElement record) => Property(record, "status") switch
    {
        { ValueKind: JsonValueKind.Object } o => o.String("value"),
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        _ => Field(record, "resultType"),
    };

    private static string ErrorCode(JsonElement record)
    {
        var sub = Property(record, "subStatus") is { ValueKind: JsonValueKind.Object } o ? NonEmpty(o.String("value")) : null;
        return sub ?? NonEmpty(Field(record, "resultSignature")) ?? "Failed";
    }

    private static DateTimeOffset? Time(JsonElement record)
    {
        foreach (var name in (string[])["eventTimestamp", "time", "submissionTimestamp"])
        {
            if (Field(record, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) { return t; }
        }
        return null;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>Diagnostic-settings exports vary the case of field names (`resourceId`, `resourceid`).</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) { return null; }
        if (element.TryGetProperty(name, out var exact)) { return exact.ValueKind == JsonValueKind.Null ? null : exact; }
        foreach (var p in element.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) { return p.Value.ValueKind == JsonValueKind.Null ? null : p.Value; }
        }
        return null;
    }

    private static string? Field(JsonElement element, string name) => Property(element, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
}
