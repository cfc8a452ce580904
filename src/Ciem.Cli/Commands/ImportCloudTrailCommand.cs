using System.CommandLine;
using System.Text.Json;
using Ciem.App.Usage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem import cloudtrail PATH…`: reads CloudTrail (S3 layout, Records files, arrays, JSON Lines, lookup-events),
/// maps events to IAM actions and identities, and adds the daily rollups to the store in one transaction. Files
/// already ingested (same path, size and time, or same content) are skipped, so re-running never double counts and
/// a run stopped half-way leaves nothing behind.
/// </summary>
public static class ImportCloudTrailCommand
{

    public static Command Create(CliHost host)
    {
        var paths = new Argument<string[]>("paths") { Description = "CloudTrail files or folders (e.g. a synced `AWSLogs/` tree)", Arity = ArgumentArity.OneOrMore };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("cloudtrail", "ingest CloudTrail logs: usage per identity, action, resource and day") { paths, db, format };
        command.SetAction(p => Run(host, p.GetValue(paths)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    /// <summary>The run of `ciem import cloudtrail` (<see cref="ImportRuns.CloudTrail"/>).</summary>
    public static int Run(CliHost host, string[] paths, string? db, string format) => ImportRuns.CloudTrail(host, paths, db, format);
}
