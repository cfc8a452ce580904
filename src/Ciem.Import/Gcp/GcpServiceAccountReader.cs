using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import.Json;

namespace Ciem.Import.Gcp;

/// <summary>
/// Reads `gcloud iam service-accounts list --format=json` (records with `email` and a `name` of
/// `projects/P/serviceAccounts/EMAIL`; the REST `{"accounts": […]}` too) and `gcloud iam service-accounts keys list
/// --iam-account=EMAIL --format=json` (records with `keyType` and a `name` of `projects/P/serviceAccounts/EMAIL/keys/ID`,
/// `validAfterTime`, `validBeforeTime`; the REST `{"keys": […]}` too). A record without its email or key name, or with
/// an unreadable time, is quarantined with a located error.
/// </summary>
public static class GcpServiceAccountReader
{
    private const string Marker = "/serviceAccounts/";

    public static ImportResult<GcpInventory> ReadAccounts(Stream stream, string name) =>
        GcpRun.ReadRecords(stream, name, ["accounts"], Account, accounts => GcpInventory.Empty with { ServiceAccounts = accounts });

    public static ImportResult<GcpInventory> ReadKeys(Stream stream, string name) =>
        GcpRun.ReadRecords(stream, name, ["keys"], Key, keys => GcpInventory.Empty with { ServiceAccountKeys = keys });

    private static ServiceAccount? Account(GcpJsonRecord record, GcpRun run)
    {
        var e = record.Element;
        var email = e.String("email") ?? EmailOf(e.String("name"));
        if (e.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(email))
        {
            run.Diagnostics.Error(DiagnosticCodes.GcpBadServiceAccount, "a service account needs `email` (or a `name` of `projects/P/serviceAccounts/EMAIL`); the record was quarantined", record.Location);
            return null;
        }
        var emailAt = record.Location.Under(record.Location.JsonPath + (e.String("email") is null ? ".name" : ".email"));
        if (!GcpNames.Email(email, run.Diagnostics, emailAt)) { return null; }
        if (e.String("projectId") is { } projectId && !GcpNames.Check(run.Diagnostics, "service account", "project id", projectId,
            CloudNames.IsGcpProjectId, GcpNames.ProjectIdForm, record.Location.Under(record.Location.JsonPath + ".projectId")))
        {
            return null;
        }
        return new ServiceAccount(email, e.String("projectId"), e.String("uniqueId"), e.String("displayName"), e.String("description"), e.Bool("disabled") ?? false);
    }

    private static ServiceAccountKey? Key(GcpJsonRecord record, GcpRun run)
    {
        var e = record.Element;
        var name = e.String("name");
        var email = EmailOf(name);
        var slash = name?.LastIndexOf("/keys/", StringComparison.Ordinal) ?? -1;
        if (e.ValueKind != JsonValueKind.Object || email is null || slash < 0 || name!.Length <= slash + 6)
        {
            run.Diagnostics.Error(DiagnosticCodes.GcpBadServiceAccountKey, "a service account key needs a `name` of `projects/P/serviceAccounts/EMAIL/keys/ID`; the record was quarantined", record.Location);
            return null;
        }
        var nameAt = record.Location.Under(record.Location.JsonPath + ".name");
        if (!GcpNames.Email(email, run.Diagnostics, nameAt)) { return null; }
        if (CloudNames.HasUnsafeText(name))
        {
            run.Diagnostics.Error(DiagnosticCodes.GcpBadName,
                $"key `{CloudNames.Shown(name)}` has control characters or `${{` in its `name`; the record was quarantined", nameAt);
            return null;
        }
        if (!JsonFields.TryDate(e.String("validAfterTime"), out var after) || !JsonFields.TryDate(e.String("validBeforeTime"), out var before))
        {
            run.Diagnostics.Error(DiagnosticCodes.GcpBadServiceAccountKey, $"key `{name}` has a `validAfterTime` or `validBeforeTime` that is not a time; the record was quarantined", record.Location);
            return null;
        }
        // A key that never expires is listed with `validBeforeTime: 9999-12-31T23:59:59Z`.
        return new ServiceAccountKey(email, name[(slash + 6)..], e.String("keyType") ?? "KEY_TYPE_UNSPECIFIED", after, before?.Year >= 9999 ? null : before, e.Bool("disabled") ?? false);
    }

    /// <summary>`EMAIL` of `projects/P/serviceAccounts/EMAIL` or `…/serviceAccounts/EMAIL/keys/ID`.</summary>
    private static string? EmailOf(string? name)
    {
        var at = name?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
        if (at < 0) { return null; }
        var rest = name![(at + Marker.Length)..];
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        var email = end < 0 ? rest : rest[..end];
        return email.Contains('@', StringComparison.Ordinal) ? email : null;
    }
}
