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

    /// <summary>
    /// `records` (diagnostic-settings storage blobs, Event Hubs batches) and `value` (ARM REST pages, with `nextLink`)
    /// hold the records; JSON Lines, arrays and single records need no container.
    /// </summary>
    internal static readonly JsonRecordFormat Format = new(["records", "value"], ["nextLink"],
        DiagnosticCodes.AzureActivityBadRecord, DiagnosticCodes.AzureActivityBadFile, DiagnosticCodes.AzureActivityTooManyProblems);

    /// <summary>Reads the files into memory, in file and record order (small inputs, tests); see <see cref="Stream"/> for large ones.</summary>
    public static UsageLogResult Read(IEnumerable<string> paths, AzureOperationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return UsageLogReader.ReadAll(paths, Format, DiagnosticCodes.AzureActivityUnreadable, () => new Parser(catalog));
    }

    /// <summary>
    /// Streams the files (plain or gzip) in parallel with bounded memory, handing every usage event to
    /// <paramref name="onEvent"/> — called from several threads at once, so it must be thread-safe. Bad records are
    /// skipped, counted and located (file, line, JSON path, record index); an unreadable file is reported, never thrown.
    /// </summary>
    public static UsageReadResult Stream(IEnumerable<string> paths, AzureOperationCatalog catalog, Action<UsageEvent> onEvent,
        UsageReadOptions? options = null, IProgress<UsageReadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return UsageLogReader.Read(paths, Format, DiagnosticCodes.AzureActivityUnreadable, () => new Parser(catalog), onEvent, options, progress, cancellationToken);
    }

    /// <summary>
    /// One record: a sign-in, or an operation by a caller. An operation the catalog knows only as a data action is a
    /// data-plane use and marks data-plane logging as present for its resource provider on that day (coverage `data`).
    /// </summary>
    private sealed class Parser(AzureOperationCatalog catalog) : UsageRecordParser
    {
        protected override UsageRecord? Interpret(JsonElement record, out string? error)
        {
            error = null;
            var time = Time(record);
            if (time is null)
            {
                error = "record has no readable `eventTimestamp` or `time`";
                return null;
            }
            var category = Field(record, "category");
            if (category is not null && category.EndsWith("SignInLogs", StringComparison.OrdinalIgnoreCase))
            {
                var signIn = SignIn(record, time.Value);
                return signIn is null ? UsageRecord.NoIdentity : new UsageRecord(UsageRecordKind.Usage, [signIn], null, null);
            }
            var operation = Operation(record);
            if (operation is null || !operation.Contains('/', StringComparison.Ordinal)) { return UsageRecord.NoAction; }
            var identity = Caller(record);
            if (identity is null) { return UsageRecord.NoIdentity; }
            var status = Status(record);
            if (status is "Start" or "Started" or "Accepted" or "Active" or "InProgress" or "In Progress") { return UsageRecord.InProgress; }
            string action;
            string? unmapped = null;
            UsageCoverage? coverage = null;
            if (catalog.TryGetOperation(operation, AzurePlane.Control, out var known))
            {
                action = known.Name;
            }
            else if (catalog.TryGetOperation(operation, AzurePlane.Data, out known))
            {
                action = known.Name;
                coverage = new UsageCoverage(DataPlaneLog, Core.Azure.Usage.AzureUsageRecording.ProviderOf(known.Name), DateOnly.FromDateTime(time.Value.UtcDateTime));
            }
            else
            {
                action = operation;
                unmapped = operation;
            }
            var failed = status is "Failed" or "Failure" ? ErrorCode(record) : null;
            return new UsageRecord(UsageRecordKind.Usage, [new UsageEvent(identity, "", action, Field(record, "resourceId") ?? "", time.Value, failed)], unmapped, coverage);
        }
    }

    /// <summary>The coverage log name of data-plane operations (`Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`).</summary>
    public const string DataPlaneLog = "data";

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
