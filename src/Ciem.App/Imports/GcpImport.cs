using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import;
using Ciem.Import.Gcp;
using Ciem.Storage;

namespace Ciem.App.Imports;

/// <summary>What a GCP input file holds, recognised from the shape of its first record.</summary>
public enum GcpInputKind
{
    Unknown,
    Empty,
    Assets,
    DenyPolicies,
    CustomRoles,
    Groups,
    ServiceAccounts,
    ServiceAccountKeys,
    IamPolicyWithoutResource,
}

/// <summary>
/// `ciem import gcp`: Cloud Asset Inventory exports or searches, deny policies, custom roles, group memberships and
/// service accounts (each file's kind recognised from its content) stored as one snapshot of the organisation (or of
/// the projects they cover), in one transaction.
/// </summary>
public static class GcpImport
{
    private const string Expected = "an input the gcp import reads: `gcloud asset export` (resource or iam-policy), `gcloud asset search-all-iam-policies`, "
        + "deny policies, custom roles, group memberships, `gcloud iam service-accounts list` or `gcloud iam service-accounts keys list`";

    private static readonly string[] Wrappers = ["results", "assets", "policies", "roles", "groups", "accounts", "keys"];

    /// <summary>
    /// Reads the files <paramref name="paths"/> name, taken at <paramref name="takenAt"/> (default: <paramref name="now"/>),
    /// and stores them as a snapshot of <paramref name="scope"/> (default: <see cref="GcpSnapshotScope.Of"/>) unless
    /// nothing was readable (<paramref name="allOrNothing"/>: or any file had an error, as an upload to the server is).
    /// </summary>
    public static SnapshotImportResult Import(CiemSession session, IEnumerable<string> paths, DateTimeOffset? takenAt, string? scope,
        DateTimeOffset now, bool allOrNothing = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        var problems = new DiagnosticBag();
        var files = ImportFiles.Expand(paths, Detect, problems);
        if (files is null) { return SnapshotImportResult.Refused(problems); }
        var refusals = files.Where(f => f.Kind == GcpInputKind.IamPolicyWithoutResource).Select(f => Diagnostic.Error(DiagnosticCodes.ImportUnknownFormat,
                $"`{f.Path}` is `get-iam-policy` output, which does not say which resource it belongs to: export with "
                + "`gcloud asset search-all-iam-policies` or `gcloud asset export --content-type=iam-policy` instead"))
            .Concat(files.Where(f => f.Kind == GcpInputKind.Unknown).Select(f => ImportFiles.Unknown(f.Path, Expected))).ToList();
        if (refusals.Count > 0) { return SnapshotImportResult.Refused(refusals); }

        var totals = new ImportTotals();
        var inventory = GcpInventory.Empty;
        foreach (var (path, kind) in files)
        {
            Func<Stream, string, ImportResult<GcpInventory>>? read = kind switch
            {
                GcpInputKind.Assets => GcpAssetReader.Read,
                GcpInputKind.DenyPolicies => GcpDenyPolicyReader.Read,
                GcpInputKind.CustomRoles => GcpRoleReader.Read,
                GcpInputKind.Groups => GcpGroupReader.Read,
                GcpInputKind.ServiceAccounts => GcpServiceAccountReader.ReadAccounts,
                GcpInputKind.ServiceAccountKeys => GcpServiceAccountReader.ReadKeys,
                _ => null,
            };
            if (read is not null) { inventory = inventory.Merge(totals.Add(ImportFiles.Read(path, read))); }
        }
        if ((inventory.Resources.IsEmpty && inventory.Policies.IsEmpty && inventory.DenyPolicies.IsEmpty && inventory.CustomRoles.IsEmpty
            && inventory.Groups.IsEmpty && inventory.ServiceAccounts.IsEmpty && inventory.ServiceAccountKeys.IsEmpty)
            || (allOrNothing && totals.HasErrors))
        {
            return totals.Nothing();
        }

        session.Imported();
        var write = session.Store.ImportGcp(new GcpImportRequest(inventory, scope ?? GcpSnapshotScope.Of(inventory), takenAt ?? now, now,
            totals.Sources.ToImmutable(), totals.Counts));
        ImmutableArray<(string What, int Count)> contents =
        [
            ("resources", inventory.Resources.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count()), ("allow policies", inventory.Policies.Length),
            ("bindings", inventory.Policies.Sum(p => p.Bindings.Length)), ("deny policies", inventory.DenyPolicies.Length),
            ("custom roles", inventory.CustomRoles.Length), ("groups", inventory.Groups.Length),
            ("service accounts", inventory.ServiceAccounts.Length), ("service account keys", inventory.ServiceAccountKeys.Length),
        ];
        return totals.Stored([write], contents);
    }

    /// <summary>Recognises an input file from the shape of its first record.</summary>
    public static GcpInputKind Detect(string path)
    {
        var shape = RecordShape.Of(path, Wrappers);
        if (shape is null) { return GcpInputKind.Unknown; }
        if (shape.IsEmpty) { return GcpInputKind.Empty; }
        if (shape.Has("asset_type") || shape.Has("assetType") || (shape.Has("resource") && shape.Has("policy")) || (shape.Has("projectId") && shape.Has("projectNumber")))
        {
            return GcpInputKind.Assets;
        }
        bool NameHas(string part) => shape.Name?.Contains(part, StringComparison.Ordinal) ?? false;
        if (shape.Has("rules") || NameHas("/denypolicies/")) { return GcpInputKind.DenyPolicies; }
        if (shape.Has("includedPermissions") || (shape.Has("title") && NameHas("roles/"))) { return GcpInputKind.CustomRoles; }
        if (shape.Has("group") && shape.Has("members")) { return GcpInputKind.Groups; }
        if (shape.Has("keyType") || NameHas("/keys/") && NameHas("/serviceAccounts/")) { return GcpInputKind.ServiceAccountKeys; }
        if (shape.Has("email") && NameHas("/serviceAccounts/")) { return GcpInputKind.ServiceAccounts; }
        if (shape.Has("bindings") && shape.Has("etag")) { return GcpInputKind.IamPolicyWithoutResource; }
        return GcpInputKind.Unknown;
    }
}
