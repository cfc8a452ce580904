using System.CommandLine;
using Ciem.App.Usage;

namespace Ciem.Cli.Commands;

/// <summary>`ciem import azure-activity PATH…`: Azure Activity Log records and Entra ID sign-ins as usage (provider `azure`).</summary>
public static class ImportAzureActivityCommand
{

    public static Command Create(CliHost host)
    {
        var paths = new Argument<string[]>("paths") { Description = "Activity Log and sign-in log files or folders, plain or gzip (`az monitor activity-log list` output, diagnostic-settings storage exports `resourceId=/…/PT1H.json`, `{\"records\":[…]}`, JSON Lines)", Arity = ArgumentArity.OneOrMore };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("azure-activity", "ingest Azure Activity Log and Entra ID sign-in logs: usage per principal, operation, resource and day") { paths, db, format };
        command.SetAction(p => Run(host, p.GetValue(paths)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string[] paths, string? db, string format) =>
        UsageIngest.Run(host, StreamedUsageLog.AzureActivity, paths, db, format);
}
