using System.Collections.Immutable;
using System.CommandLine;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Directories;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem import directory identity-center|entra|okta|google PATH…`: reads directory bundles and stores one snapshot per directory, atomically.</summary>
public static class ImportDirectoryCommand
{
    public static Command Create(CliHost host)
    {
        var source = new Argument<string>("source") { Description = "the directory: `identity-center` (aws identitystore + sso-admin bundle), `entra` (Microsoft Graph bundle), `okta` (Okta API bundle) or `google` (Directory API bundle)" };
        source.AcceptOnlyFromAmong(DirectorySources.Name(DirectorySource.IdentityCenter), DirectorySources.Name(DirectorySource.Entra), DirectorySources.Name(DirectorySource.Okta), DirectorySources.Name(DirectorySource.Google));
        var paths = new Argument<string[]>("paths") { Description = "bundle files (see docs/directory.md)", Arity = ArgumentArity.OneOrMore };
        var takenAt = new Option<DateTimeOffset?>("--taken-at") { Description = "when the exports were taken (default: now)" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("directory", "import a directory: IAM Identity Center, Entra ID, Okta or Google Workspace users, groups, permission sets, assignments, service principals") { source, paths, takenAt, db, format };
        command.SetAction(p => Run(host, p.GetValue(source)!, p.GetValue(paths)!, p.GetValue(takenAt), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string sourceName, string[] paths, DateTimeOffset? takenAt, string? db, string format)
    {
        if (!DirectorySources.TryParse(sourceName, out var source))
        {
            host.Error.WriteLine($"error: unknown directory `{sourceName}`: use `identity-center`, `entra`, `okta` or `google`");
            return ExitCodes.InvalidInput;
        }
        var now = host.Clock.GetUtcNow();
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        foreach (var p in missing) { host.Error.WriteLine($"error: `{p}` is not a file"); }
        if (missing.Count > 0) { return ExitCodes.InvalidInput; }

        var diagnostics = new List<Diagnostic>();
        var counts = default(ImportCounts);
        var snapshots = ImmutableArray.CreateBuilder<DirectorySnapshot>();
        foreach (var path in paths)
        {
            var result = source switch
            {
                DirectorySource.IdentityCenter => IdentityCenterReader.ReadFile(path, takenAt ?? now),
                DirectorySource.Okta => OktaReader.ReadFile(path, takenAt ?? now),
                DirectorySource.Google => GoogleReader.ReadFile(path, takenAt ?? now),
                _ => EntraReader.ReadFile(path, takenAt ?? now),
            };
            diagnostics.AddRange(result.Diagnostics);
            counts += result.Counts;
            if (result.Value is { } snapshot) { snapshots.Add(snapshot); }
        }
        var duplicated = snapshots.GroupBy(s => s.TenantId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicated is not null)
        {
            host.Error.WriteLine($"error: more than one bundle for {sourceName} `{duplicated.Key}`; import one bundle per directory");
            return ExitCodes.InvalidInput;
        }
        if (snapshots.Count == 0)
        {
            StoreAccess.WriteDiagnostics(host, diagnostics);
            host.Error.WriteLine("error: nothing could be imported; the store was not changed");
            return ExitCodes.InvalidInput;
        }

        var store = StoreAccess.OpenForImport(host, db);
        var writes = store.ImportDirectories(new DirectoryImportRequest(snapshots.ToImmutable(), now, [.. paths.Select(Path.GetFullPath)], counts));
        var dbPath = StoreAccess.PathFor(host, db);
        if (format == "json")
        {
            CliJson.Write(host, "import-directory", new
            {
                store = dbPath,
                imported = counts.Imported,
                skipped = counts.Skipped,
                quarantined = counts.Quarantined,
                snapshots = writes.Select(s => new { kind = s.Kind, scope = s.Scope, id = s.SnapshotId, outcome = s.Outcome.ToString() }),
                diagnostics = diagnostics.Select(d => new { severity = d.Severity.ToString().ToLowerInvariant(), code = d.Code, message = d.Message, location = d.Location?.ToString() }),
            });
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("directory", "outcome", "users", "groups", "service principals", "permission sets", "assignments");
        foreach (var (write, s) in writes.Zip(snapshots))
        {
            table.AddRow(Markup.Escape(write.Scope), write.Outcome.ToString(), $"{s.Users.Length}", $"{s.Groups.Length}", $"{s.ServicePrincipals.Length}", $"{s.PermissionSets.Length}", $"{s.AccountAssignments.Length}");
        }
        host.Console.Write(table);
        host.Console.WriteLine($"imported {counts.Imported} records, skipped {counts.Skipped}, quarantined {counts.Quarantined}; store: {dbPath}");
        if (diagnostics.Count > 0)
        {
            host.Console.WriteLine($"{diagnostics.Count} diagnostic(s):");
            StoreAccess.WriteDiagnostics(host, diagnostics);
        }
        return ExitCodes.Ok;
    }
}
