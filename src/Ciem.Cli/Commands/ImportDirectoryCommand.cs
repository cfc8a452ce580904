using System.CommandLine;
using Ciem.App.Imports;
using Ciem.Core.Directories;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem import directory identity-center|entra|okta|google PATH…`: reads directory bundles and stores one snapshot per
/// directory, atomically (<see cref="DirectoryImport"/>).
/// </summary>
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
        return ImportRuns.Directory(host, source, paths, takenAt, db, format);
    }
}
