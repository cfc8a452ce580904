using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import;
using Ciem.Import.Directories;
using Ciem.Storage;

namespace Ciem.App.Imports;

/// <summary>A directory import's outcome, with the snapshots read (in the order of <see cref="SnapshotImportResult.Writes"/>).</summary>
public sealed record DirectoryImportResult(SnapshotImportResult Result, ImmutableArray<DirectorySnapshot> Snapshots);

/// <summary>
/// `ciem import directory`: IAM Identity Center, Entra ID, Okta or Google Workspace bundles, one snapshot per
/// directory, stored in one transaction.
/// </summary>
public static class DirectoryImport
{
    /// <summary>
    /// Reads the bundle files <paramref name="paths"/> of <paramref name="source"/>, taken at <paramref name="takenAt"/>
    /// (default: <paramref name="now"/>), and stores them unless nothing was readable; a path that is not a file and two
    /// bundles of one directory refuse the import (<paramref name="allOrNothing"/>: so does any error in a file, as in an
    /// upload to the server).
    /// </summary>
    public static DirectoryImportResult Import(CiemSession session, DirectorySource source, IReadOnlyList<string> paths, DateTimeOffset? takenAt,
        DateTimeOffset now, bool allOrNothing = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(paths);
        var missing = paths.Where(p => !File.Exists(p)).Select(p => Diagnostic.Error(DiagnosticCodes.CliBadArgument, $"`{p}` is not a file")).ToList();
        if (missing.Count > 0) { return new(SnapshotImportResult.Refused(missing), []); }

        var totals = new ImportTotals();
        var snapshots = ImmutableArray.CreateBuilder<DirectorySnapshot>();
        foreach (var path in paths)
        {
            var read = source switch
            {
                DirectorySource.IdentityCenter => IdentityCenterReader.ReadFile(path, takenAt ?? now),
                DirectorySource.Okta => OktaReader.ReadFile(path, takenAt ?? now),
                DirectorySource.Google => GoogleReader.ReadFile(path, takenAt ?? now),
                _ => EntraReader.ReadFile(path, takenAt ?? now),
            };
            if (totals.Add(read) is { } snapshot) { snapshots.Add(snapshot); }
        }
        var duplicated = snapshots.GroupBy(s => s.TenantId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicated is not null)
        {
            var message = $"more than one bundle for {DirectorySources.Name(source)} `{duplicated.Key}`; import one bundle per directory";
            return new(SnapshotImportResult.Refused([Diagnostic.Error(DiagnosticCodes.ImportDuplicate, message)]), []);
        }
        if (snapshots.Count == 0 || (allOrNothing && totals.HasErrors)) { return new(totals.Nothing(), []); }

        session.Imported();
        var writes = session.Store.ImportDirectories(new DirectoryImportRequest(snapshots.ToImmutable(), now, [.. paths.Select(Path.GetFullPath)], totals.Counts));
        ImmutableArray<(string What, int Count)> contents =
        [
            ("users", snapshots.Sum(s => s.Users.Length)), ("groups", snapshots.Sum(s => s.Groups.Length)),
            ("service principals", snapshots.Sum(s => s.ServicePrincipals.Length)), ("permission sets", snapshots.Sum(s => s.PermissionSets.Length)),
            ("assignments", snapshots.Sum(s => s.AccountAssignments.Length)),
        ];
        return new(totals.Stored(writes, contents), snapshots.ToImmutable());
    }
}
