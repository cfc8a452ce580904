using System.Globalization;
using System.Text.Json;
using Ciem.App.Imports;
using Ciem.App.Usage;
using Ciem.Cli.Commands;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli;

/// <summary>
/// The snapshot and log imports as the CLI runs them (inputs expanded, the App workflow, the outcome rendered): the
/// `ciem import` verbs and `ciem sweep --aws/--cloudtrail` share them.
/// </summary>
public static class ImportRuns
{
    /// <summary>`ciem import aws PATH…` (and `ciem sweep --aws`): every file's kind recognised, one transaction.</summary>
    public static int Aws(CliHost host, string[] paths, DateTimeOffset? takenAt, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var now = host.Clock.GetUtcNow();
        var files = ImportInputs.Expand(host, paths, AwsImport.Detect, "*.json", "*.csv");
        if (files is null) { return ExitCodes.InvalidInput; }
        var unknown = files.Where(f => f.Kind == AwsInputKind.Unknown).ToList();
        foreach (var (path, _) in unknown)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.ImportUnknownFormat}: `{path}` is not an authorization-details export, an Organizations bundle, a resource-policy file or a credential report (see docs/import-formats.md)");
        }
        if (unknown.Count > 0) { return ExitCodes.InvalidInput; }
        var orgFiles = files.Where(f => f.Kind == AwsInputKind.Organization).Select(f => f.Path).ToList();
        if (orgFiles.Count > 1)
        {
            host.Error.WriteLine($"error: more than one Organizations bundle given ({string.Join(", ", orgFiles)}); import one organization at a time");
            return ExitCodes.InvalidInput;
        }
        var result = AwsImport.Import(host.Session(db), files, takenAt ?? now, now);
        if (result.Summary is not { } summary)
        {
            StoreAccess.WriteDiagnostics(host, result.Diagnostics);
            host.Error.WriteLine("error: nothing could be imported; the store was not changed");
            return ExitCodes.InvalidInput;
        }
        if (format == "json")
        {
            WriteJson(host, summary, result.Counts, [.. result.Diagnostics], StoreAccess.PathFor(host, db));
        }
        else
        {
            Render(host, result.Inventory, summary, result.Counts, [.. result.Diagnostics], StoreAccess.PathFor(host, db));
        }
        return ExitCodes.Ok;
    }

    private static void Render(CliHost host, AwsInventory inventory, AwsImportSummary summary, ImportCounts counts, List<Diagnostic> diagnostics, string dbPath)
    {
        var table = new Table().AddColumns("snapshot", "scope", "outcome", "users", "groups", "roles", "policies");
        foreach (var s in summary.Snapshots)
        {
            var account = inventory.Accounts.FirstOrDefault(a => a.AccountId == s.Scope);
            string N(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
            table.AddRow(Markup.Escape(s.Kind), Markup.Escape(s.Scope), s.Outcome.ToString(), N(account?.Users.Length), N(account?.Groups.Length), N(account?.Roles.Length),
                N(account?.Policies.Length ?? (s.Kind == SnapshotKinds.ResourcePolicies ? inventory.ResourcePolicies.Length : s.Kind == SnapshotKinds.Organization ? inventory.Organization?.Policies.Length : null)));
        }
        host.Console.Write(table);
        if (!inventory.CredentialReports.IsDefaultOrEmpty)
        {
            host.Console.WriteLine($"credential reports: {string.Join(", ", inventory.CredentialReports.Select(r => $"{r.AccountId} ({r.Entries.Length} rows)"))}");
        }
        host.Console.WriteLine($"imported {counts.Imported} records, skipped {counts.Skipped}, quarantined {counts.Quarantined}; {inventory.ManagedPolicies.Length} AWS-managed policies; store: {dbPath}");
        if (diagnostics.Count > 0)
        {
            host.Console.WriteLine($"{diagnostics.Count} diagnostic(s):");
            StoreAccess.WriteDiagnostics(host, diagnostics);
        }
    }

    private static void WriteJson(CliHost host, AwsImportSummary summary, ImportCounts counts, List<Diagnostic> diagnostics, string dbPath)
    {
        var doc = new
        {
            store = dbPath,
            imported = counts.Imported,
            skipped = counts.Skipped,
            quarantined = counts.Quarantined,
            snapshots = summary.Snapshots.Select(s => new { kind = s.Kind, scope = s.Scope, id = s.SnapshotId, outcome = s.Outcome.ToString() }),
            diagnostics = diagnostics.Select(d => new { severity = d.Severity.ToString().ToLowerInvariant(), code = d.Code, message = d.Message, location = d.Location?.ToString() }),
        };
        CliJson.Write(host, "import-aws", doc);
    }

    /// <summary>`ciem import cloudtrail PATH…` (and `ciem sweep --cloudtrail`): the App's ingestion, its counts rendered.</summary>
    public static int CloudTrail(CliHost host, string[] paths, string? db, string format)
    {
        var result = UsageIngest.Ingest(host, CloudTrailLog.Default, paths, db, quiet: format == "json");
        if (result is null) { return ExitCodes.InvalidInput; }
        var c = result.Counts;
        if (format == "json")
        {
            CliJson.Write(host, "import-cloudtrail", new
            {
                run = result.RunId,
                files = c.Files,
                filesSkipped = c.FilesSkipped,
                events = c.Events,
                usageEvents = c.UsageEvents,
                attempts = c.Attempts,
                duplicates = c.Duplicates,
                noAction = c.NoAction,
                unmapped = c.Unmapped,
                malformed = c.Malformed,
                seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
                diagnostics = result.Diagnostics.Select(d => d.ToString()),
            });
        }
        else
        {
            var table = new Table().AddColumns("files read", "skipped (already ingested)", "events", "usage", "failed attempts", "duplicates", "no IAM action", "unmapped", "malformed");
            table.AddRow(N(c.Files), N(c.FilesSkipped), N(c.Events), N(c.UsageEvents), N(c.Attempts), N(c.Duplicates), N(c.NoAction), N(c.Unmapped), N(c.Malformed));
            host.Console.Write(table);
            var rate = result.Elapsed.TotalSeconds > 0 ? c.Events / result.Elapsed.TotalSeconds : 0;
            host.Console.WriteLine($"ingested in {result.Elapsed.TotalSeconds:0.0} s ({rate:N0} events/s); store: {StoreAccess.PathFor(host, db)}");
            if (result.Diagnostics.Count > 0) { StoreAccess.WriteDiagnostics(host, result.Diagnostics); }
        }
        return result.NothingReadable ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
