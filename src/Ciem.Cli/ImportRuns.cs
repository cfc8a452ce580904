using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Imports;
using Ciem.App.Reports;
using Ciem.App.Usage;
using Ciem.Cli.Commands;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli;

/// <summary>
/// The snapshot and log imports as the CLI runs them (the App workflow, its outcome rendered): the `ciem import` verbs
/// and `ciem sweep --aws/--cloudtrail` share them.
/// </summary>
public static class ImportRuns
{
    /// <summary>`ciem import aws PATH…` (and `ciem sweep --aws`): every file's kind recognised, one transaction.</summary>
    public static int Aws(CliHost host, string[] paths, DateTimeOffset? takenAt, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var result = AwsImport.Import(host.Session(db), paths, takenAt, host.Clock.GetUtcNow());
        if (Refused(host, result.Refusals, result.Diagnostics, result.Summary is not null)) { return ExitCodes.InvalidInput; }
        var summary = result.Summary!;
        var dbPath = StoreAccess.PathFor(host, db);
        if (format == "json")
        {
            WriteJson(host, "import-aws", dbPath, result.Counts, summary.Snapshots, result.Diagnostics, null);
            return ExitCodes.Ok;
        }
        var inventory = result.Inventory;
        var table = new Table().AddColumns("snapshot", "scope", "outcome", "users", "groups", "roles", "policies");
        foreach (var s in summary.Snapshots)
        {
            var account = inventory.Accounts.FirstOrDefault(a => a.AccountId == s.Scope);
            string N(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
            var policies = account?.Policies.Length
                ?? (s.Kind == SnapshotKinds.ResourcePolicies ? inventory.ResourcePolicies.Length
                    : s.Kind == SnapshotKinds.Organization ? inventory.Organization?.Policies.Length : null);
            table.AddRow(Markup.Escape(s.Kind), Markup.Escape(s.Scope), s.Outcome.ToString(), N(account?.Users.Length),
                N(account?.Groups.Length), N(account?.Roles.Length), N(policies));
        }
        host.Console.Write(table);
        if (!inventory.CredentialReports.IsDefaultOrEmpty)
        {
            var reports = inventory.CredentialReports.Select(r => $"{r.AccountId} ({r.Entries.Length} rows)");
            host.Console.WriteLine($"credential reports: {string.Join(", ", reports)}");
        }
        Totals(host, result.Counts, result.Diagnostics, $"; {inventory.ManagedPolicies.Length} AWS-managed policies; store: {dbPath}");
        return ExitCodes.Ok;
    }

    /// <summary>`ciem import azure PATH…` (<see cref="AzureImport"/>), rendered.</summary>
    public static int Azure(CliHost host, string[] paths, DateTimeOffset? takenAt, string? scope, string? db, string format) =>
        Snapshot(host, AzureImport.Import(host.Session(db), paths, takenAt, scope, host.Clock.GetUtcNow()), db, format);

    /// <summary>`ciem import gcp PATH…` (<see cref="GcpImport"/>), rendered.</summary>
    public static int Gcp(CliHost host, string[] paths, DateTimeOffset? takenAt, string? scope, string? db, string format) =>
        Snapshot(host, GcpImport.Import(host.Session(db), paths, takenAt, scope, host.Clock.GetUtcNow()), db, format);

    /// <summary>`ciem import directory SOURCE PATH…` (<see cref="DirectoryImport"/>), rendered.</summary>
    public static int Directory(CliHost host, DirectorySource source, string[] paths, DateTimeOffset? takenAt, string? db, string format) =>
        Directory(host, DirectoryImport.Import(host.Session(db), source, paths, takenAt, host.Clock.GetUtcNow()), db, format);

    /// <summary>`ciem import azure|gcp PATH…`: the snapshot, what it holds, the readers' counts and diagnostics.</summary>
    public static int Snapshot(CliHost host, SnapshotImportResult result, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(result);
        if (Refused(host, result.Refusals, result.Diagnostics, !result.Writes.IsEmpty)) { return ExitCodes.InvalidInput; }
        var dbPath = StoreAccess.PathFor(host, db);
        if (format == "json")
        {
            WriteJson(host, "import-cloud", dbPath, result.Counts, result.Writes, result.Diagnostics, result.Contents);
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("snapshot", "scope", "outcome", "contents");
        foreach (var write in result.Writes)
        {
            table.AddRow(write.Kind, Markup.Escape(write.Scope), write.Outcome.ToString(),
                Markup.Escape(string.Join(", ",
                    result.Contents.Where(c => c.Count > 0).Select(c => $"{c.Count.ToString(CultureInfo.InvariantCulture)} {c.What}"))));
        }
        host.Console.Write(table);
        Totals(host, result.Counts, result.Diagnostics, $"; store: {dbPath}");
        return ExitCodes.Ok;
    }

    /// <summary>`ciem import directory SOURCE PATH…`: one row per directory.</summary>
    public static int Directory(CliHost host, DirectoryImportResult imported, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(imported);
        var result = imported.Result;
        if (Refused(host, result.Refusals, result.Diagnostics, !result.Writes.IsEmpty)) { return ExitCodes.InvalidInput; }
        var dbPath = StoreAccess.PathFor(host, db);
        if (format == "json")
        {
            WriteJson(host, "import-directory", dbPath, result.Counts, result.Writes, result.Diagnostics, null);
            return ExitCodes.Ok;
        }
        var table = new Table()
            .AddColumns("directory", "outcome", "users", "groups", "service principals", "permission sets", "assignments");
        foreach (var (write, s) in result.Writes.Zip(imported.Snapshots))
        {
            table.AddRow(Markup.Escape(write.Scope), write.Outcome.ToString(), $"{s.Users.Length}", $"{s.Groups.Length}",
                $"{s.ServicePrincipals.Length}", $"{s.PermissionSets.Length}", $"{s.AccountAssignments.Length}");
        }
        host.Console.Write(table);
        Totals(host, result.Counts, result.Diagnostics, $"; store: {dbPath}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Writes why an import stopped: its input errors, or the readers' diagnostics when nothing could be imported; true
    /// when it stopped.
    /// </summary>
    private static bool Refused(CliHost host, ImmutableArray<Diagnostic> refusals, ImmutableArray<Diagnostic> diagnostics, bool stored)
    {
        foreach (var refusal in refusals) { host.Error.WriteLine(refusal.ToString()); }
        if (!refusals.IsEmpty) { return true; }
        if (stored) { return false; }
        StoreAccess.WriteDiagnostics(host, diagnostics);
        host.Error.WriteLine("error: nothing could be imported; the store was not changed");
        return true;
    }

    private static void Totals(CliHost host, ImportCounts counts, ImmutableArray<Diagnostic> diagnostics, string tail)
    {
        host.Console.WriteLine($"imported {counts.Imported} records, skipped {counts.Skipped}, quarantined {counts.Quarantined}{tail}");
        if (diagnostics.Length > 0)
        {
            host.Console.WriteLine($"{diagnostics.Length} diagnostic(s):");
            StoreAccess.WriteDiagnostics(host, diagnostics);
        }
    }

    private static void WriteJson(CliHost host, string name, string dbPath, ImportCounts counts, IEnumerable<SnapshotWrite> writes,
        ImmutableArray<Diagnostic> diagnostics, ImmutableArray<(string What, int Count)>? contents) =>
        CliJson.Write(host, name, ImportJson.Snapshots(dbPath, counts, writes, diagnostics, contents));

    /// <summary>`ciem import cloudtrail PATH…` (and `ciem sweep --cloudtrail`): the App's ingestion, its counts rendered.</summary>
    public static int CloudTrail(CliHost host, string[] paths, string? db, string format)
    {
        var result = UsageIngest.Ingest(host, CloudTrailLog.Default, paths, db, quiet: format == "json");
        if (result is null) { return ExitCodes.InvalidInput; }
        var c = result.Counts;
        if (format == "json")
        {
            CliJson.Write(host, "import-cloudtrail", ImportJson.CloudTrail(result));
        }
        else
        {
            var table = new Table().AddColumns("files read", "skipped (already ingested)", "events", "usage", "failed attempts",
                "duplicates", "no IAM action", "unmapped", "malformed");
            table.AddRow(N(c.Files), N(c.FilesSkipped), N(c.Events), N(c.UsageEvents), N(c.Attempts), N(c.Duplicates), N(c.NoAction),
                N(c.Unmapped), N(c.Malformed));
            host.Console.Write(table);
            var rate = result.Elapsed.TotalSeconds > 0 ? c.Events / result.Elapsed.TotalSeconds : 0;
            host.Console.WriteLine(
                $"ingested in {result.Elapsed.TotalSeconds:0.0} s ({rate:N0} events/s); store: {StoreAccess.PathFor(host, db)}");
            if (result.Diagnostics.Count > 0) { StoreAccess.WriteDiagnostics(host, result.Diagnostics); }
        }
        return result.NothingReadable ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
