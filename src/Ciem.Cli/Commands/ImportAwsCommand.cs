using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import;
using Ciem.Import.Aws;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem import aws PATH…`: reads authorization-details exports, an Organizations bundle and resource policies
/// (each file's kind is recognised from its content) and writes them to the store in one transaction.
/// </summary>
public static class ImportAwsCommand
{
    public enum InputKind
    {
        Unknown,
        AuthorizationDetails,
        Organization,
        ResourcePolicies,
        CredentialReport,
    }

    public static Command Create(CliHost host)
    {
        var paths = new Argument<string[]>("paths") { Description = "files or folders (*.json inside) with `aws iam get-account-authorization-details` output, an Organizations bundle, or resource policies keyed by ARN", Arity = ArgumentArity.OneOrMore };
        var takenAt = new Option<DateTimeOffset?>("--taken-at") { Description = "when the exports were taken (default: now)" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("aws", "import an AWS estate: IAM authorization details, AWS Organizations and resource policies") { paths, takenAt, db, format };
        command.SetAction(p => Run(host, p.GetValue(paths)!, p.GetValue(takenAt), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string[] paths, DateTimeOffset? takenAt, string? db, string format)
    {
        var now = host.Clock.GetUtcNow();
        var when = takenAt ?? now;
        var files = ImportInputs.Expand(host, paths, Detect, "*.json", "*.csv");
        if (files is null) { return ExitCodes.InvalidInput; }
        var unknown = files.Where(f => f.Kind == InputKind.Unknown).ToList();
        foreach (var (path, _) in unknown)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.ImportUnknownFormat}: `{path}` is not an authorization-details export, an Organizations bundle, a resource-policy file or a credential report (see docs/import-formats.md)");
        }
        if (unknown.Count > 0) { return ExitCodes.InvalidInput; }

        var authzFiles = files.Where(f => f.Kind == InputKind.AuthorizationDetails).Select(f => f.Path).ToList();
        var orgFiles = files.Where(f => f.Kind == InputKind.Organization).Select(f => f.Path).ToList();
        var rpFiles = files.Where(f => f.Kind == InputKind.ResourcePolicies).Select(f => f.Path).ToList();
        var credentialFiles = files.Where(f => f.Kind == InputKind.CredentialReport).Select(f => f.Path).ToList();
        if (orgFiles.Count > 1)
        {
            host.Error.WriteLine($"error: more than one Organizations bundle given ({string.Join(", ", orgFiles)}); import one organization at a time");
            return ExitCodes.InvalidInput;
        }

        var diagnostics = new List<Diagnostic>();
        var counts = default(ImportCounts);
        var sources = ImmutableArray.CreateBuilder<string>();
        var inventory = AwsInventory.Empty;
        if (authzFiles.Count > 0)
        {
            var authz = AuthorizationDetailsReader.ReadFiles(authzFiles, when);
            diagnostics.AddRange(authz.Diagnostics);
            counts += authz.Counts;
            sources.AddRange(authz.SourceFiles);
            inventory = authz.Value.ToInventory();
        }
        if (orgFiles.Count == 1)
        {
            var org = OrganizationsReader.ReadFile(orgFiles[0], when);
            diagnostics.AddRange(org.Diagnostics);
            counts += org.Counts;
            sources.AddRange(org.SourceFiles);
            inventory = inventory with { Organization = org.Value };
        }
        if (rpFiles.Count > 0)
        {
            var rp = ResourcePoliciesReader.ReadFiles(rpFiles);
            diagnostics.AddRange(rp.Diagnostics);
            counts += rp.Counts;
            sources.AddRange(rp.SourceFiles);
            inventory = inventory with { ResourcePolicies = rp.Value, ResourcePoliciesTakenAt = when };
        }
        if (credentialFiles.Count > 0)
        {
            var reports = CredentialReportReader.ReadFiles(credentialFiles);
            diagnostics.AddRange(reports.Diagnostics);
            counts += reports.Counts;
            sources.AddRange(reports.SourceFiles);
            inventory = inventory with { CredentialReports = [.. reports.Value.Select(r => r with { GeneratedAt = r.GeneratedAt ?? when })] };
        }

        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        if (counts.Imported == 0 && errors > 0)
        {
            StoreAccess.WriteDiagnostics(host, diagnostics);
            host.Error.WriteLine("error: nothing could be imported; the store was not changed");
            return ExitCodes.InvalidInput;
        }

        var store = StoreAccess.OpenForImport(host, db);
        var summary = store.ImportAws(new AwsImportRequest(inventory, now, sources.ToImmutable(), counts));
        if (format == "json")
        {
            WriteJson(host, summary, counts, diagnostics, StoreAccess.PathFor(host, db));
        }
        else
        {
            Render(host, inventory, summary, counts, diagnostics, StoreAccess.PathFor(host, db));
        }
        return ExitCodes.Ok;
    }

    /// <summary>Recognises an input file from its first top-level property names (a credential report from its header or `ReportFormat`).</summary>
    public static InputKind Detect(string path)
    {
        try
        {
            // UTF-16 and a byte order mark are read through; the readers report invalid UTF-8 later.
            var (buffer, whole) = Ciem.Import.InputFiles.ReadHead(path, 64 * 1024);
            var read = buffer.Length;
            if (CredentialReportReader.Looks(System.Text.Encoding.UTF8.GetString(buffer, 0, read))) { return InputKind.CredentialReport; }
            var reader = new Utf8JsonReader(buffer.AsSpan(0, read), isFinalBlock: whole, state: default);
            var depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName when depth is 1 or 2:
                        var name = reader.GetString() ?? "";
                        if (name is "UserDetailList" or "GroupDetailList" or "RoleDetailList" or "Policies") { return InputKind.AuthorizationDetails; }
                        if (name is "Format" or OrganizationsReader.DescribeOrganization or OrganizationsReader.ListRoots) { return InputKind.Organization; }
                        if (name.StartsWith("arn:", StringComparison.Ordinal)) { return InputKind.ResourcePolicies; }
                        reader.Skip();
                        break;
                    default:
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IOException)
        {
            // Not JSON at all (or truncated early), or a name that is not text: unknown.
        }
        return InputKind.Unknown;
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
        host.Out.WriteLine(JsonSerializer.Serialize(doc, CliJson.Options));
    }
}
