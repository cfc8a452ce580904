using System.CommandLine;
using Ciem.App.Usage;

namespace Ciem.Cli.Commands;

/// <summary>`ciem import gcp-audit PATH…`: Cloud Audit Log entries as usage (provider `gcp`), one per checked permission.</summary>
public static class ImportGcpAuditCommand
{

    public static Command Create(CliHost host)
    {
        var paths = new Argument<string[]>("paths") { Description = "Cloud Audit Log files or folders, plain or gzip (`gcloud logging read --format=json` output, GCS sink JSON Lines `cloudaudit.googleapis.com/activity/…/*_S0.json`, `entries.list` pages)", Arity = ArgumentArity.OneOrMore };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("gcp-audit", "ingest GCP Cloud Audit Logs: permissions used per member, resource and day") { paths, db, format };
        command.SetAction(p => Run(host, p.GetValue(paths)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string[] paths, string? db, string format) =>
        UsageIngest.Run(host, StreamedUsageLog.GcpAudit, paths, db, format);
}
