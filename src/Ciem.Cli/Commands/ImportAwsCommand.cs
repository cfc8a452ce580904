using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Imports;
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

    /// <summary>The run of `ciem import aws` (<see cref="ImportRuns.Aws"/>).</summary>
    public static int Run(CliHost host, string[] paths, DateTimeOffset? takenAt, string? db, string format) => ImportRuns.Aws(host, paths, takenAt, db, format);
}
