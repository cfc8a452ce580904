using System.Collections.Immutable;
using System.CommandLine;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import.Gcp;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem import gcp PATH…`: reads Cloud Asset Inventory exports or searches, deny policies, custom roles and group
/// memberships (each file's kind recognised from its content) and writes them as one snapshot of the organisation
/// (or of the projects they cover), in one transaction.
/// </summary>
public static class ImportGcpCommand
{
    public enum InputKind
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

    private const string Expected = "an input the gcp import reads: `gcloud asset export` (resource or iam-policy), `gcloud asset search-all-iam-policies`, deny policies, custom roles, group memberships, `gcloud iam service-accounts list` or `gcloud iam service-accounts keys list`";

    private static readonly string[] Wrappers = ["results", "assets", "policies", "roles", "groups", "accounts", "keys"];

    public static Command Create(CliHost host) => ImportInputs.Command(host, "gcp",
        "import a GCP estate: resource hierarchy, allow and deny policies, custom roles, group memberships, service accounts and their keys",
        "files or folders (*.json inside) with Cloud Asset Inventory exports or `search-all-iam-policies` output, deny policies, custom roles, group memberships, service accounts, service account keys",
        "what the snapshot covers (default: the organisation, else the projects)", Run);

    public static int Run(CliHost host, string[] paths, DateTimeOffset? takenAt, string? scope, string? db, string format)
    {
        var now = host.Clock.GetUtcNow();
        var files = ImportInputs.Expand(host, paths, Detect);
        if (files is null) { return ExitCodes.InvalidInput; }
        foreach (var (path, _) in files.Where(f => f.Kind == InputKind.IamPolicyWithoutResource))
        {
            host.Error.WriteLine($"error {Core.Diagnostics.DiagnosticCodes.ImportUnknownFormat}: `{path}` is `get-iam-policy` output, which does not say which resource it belongs to: export with `gcloud asset search-all-iam-policies` or `gcloud asset export --content-type=iam-policy` instead");
        }
        var unknown = ImportInputs.ReportUnknown(host, files.Where(f => f.Kind == InputKind.Unknown).Select(f => f.Path), Expected);
        if (unknown || files.Any(f => f.Kind == InputKind.IamPolicyWithoutResource)) { return ExitCodes.InvalidInput; }

        var totals = new ImportInputs.Totals();
        var inventory = GcpInventory.Empty;
        foreach (var (path, kind) in files)
        {
            Func<Stream, string, Import.ImportResult<GcpInventory>>? read = kind switch
            {
                InputKind.Assets => GcpAssetReader.Read,
                InputKind.DenyPolicies => GcpDenyPolicyReader.Read,
                InputKind.CustomRoles => GcpRoleReader.Read,
                InputKind.Groups => GcpGroupReader.Read,
                InputKind.ServiceAccounts => GcpServiceAccountReader.ReadAccounts,
                InputKind.ServiceAccountKeys => GcpServiceAccountReader.ReadKeys,
                _ => null,
            };
            if (read is not null) { inventory = inventory.Merge(totals.Add(ImportInputs.Read(path, read))); }
        }

        if (inventory.Resources.IsEmpty && inventory.Policies.IsEmpty && inventory.DenyPolicies.IsEmpty && inventory.CustomRoles.IsEmpty && inventory.Groups.IsEmpty
            && inventory.ServiceAccounts.IsEmpty && inventory.ServiceAccountKeys.IsEmpty)
        {
            StoreAccess.WriteDiagnostics(host, totals.Diagnostics);
            host.Error.WriteLine("error: nothing could be imported; the store was not changed");
            return ExitCodes.InvalidInput;
        }

        var store = StoreAccess.OpenForImport(host, db);
        var write = store.ImportGcp(new GcpImportRequest(inventory, scope ?? ScopeOf(inventory), takenAt ?? now, now, totals.Sources.ToImmutable(), totals.Counts));
        var dbPath = StoreAccess.PathFor(host, db);
        ImmutableArray<(string What, int Count)> contents =
        [
            ("resources", inventory.Resources.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count()), ("allow policies", inventory.Policies.Length), ("bindings", inventory.Policies.Sum(p => p.Bindings.Length)),
            ("deny policies", inventory.DenyPolicies.Length), ("custom roles", inventory.CustomRoles.Length), ("groups", inventory.Groups.Length),
            ("service accounts", inventory.ServiceAccounts.Length), ("service account keys", inventory.ServiceAccountKeys.Length),
        ];
        if (format == "json") { ImportOutput.WriteJson(host, write, totals, dbPath, contents); }
        else { ImportOutput.Render(host, write, totals, dbPath, contents); }
        return ExitCodes.Ok;
    }

    /// <summary>The organisation when the inputs name exactly one, else the sorted projects, else `gcp`.</summary>
    public static string ScopeOf(GcpInventory inventory) => GcpSnapshotScope.Of(inventory);

    /// <summary>Recognises an input file from the shape of its first record.</summary>
    public static InputKind Detect(string path)
    {
        var shape = ImportInputs.Sniff(path, Wrappers);
        if (shape is null) { return InputKind.Unknown; }
        if (shape.IsEmpty) { return InputKind.Empty; }
        if (shape.Has("asset_type") || shape.Has("assetType") || (shape.Has("resource") && shape.Has("policy")) || (shape.Has("projectId") && shape.Has("projectNumber")))
        {
            return InputKind.Assets;
        }
        if (shape.Has("rules") || (shape.Name?.Contains("/denypolicies/", StringComparison.Ordinal) ?? false)) { return InputKind.DenyPolicies; }
        if (shape.Has("includedPermissions") || (shape.Has("title") && (shape.Name?.Contains("roles/", StringComparison.Ordinal) ?? false))) { return InputKind.CustomRoles; }
        if (shape.Has("group") && shape.Has("members")) { return InputKind.Groups; }
        if (shape.Has("keyType") || (shape.Name?.Contains("/keys/", StringComparison.Ordinal) ?? false) && (shape.Name?.Contains("/serviceAccounts/", StringComparison.Ordinal) ?? false)) { return InputKind.ServiceAccountKeys; }
        if (shape.Has("email") && (shape.Name?.Contains("/serviceAccounts/", StringComparison.Ordinal) ?? false)) { return InputKind.ServiceAccounts; }
        if (shape.Has("bindings") && shape.Has("etag")) { return InputKind.IamPolicyWithoutResource; }
        return InputKind.Unknown;
    }
}
