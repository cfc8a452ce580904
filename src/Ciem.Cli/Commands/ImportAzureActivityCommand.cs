using System.CommandLine;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;

namespace Ciem.Cli.Commands;

/// <summary>`ciem import azure-activity PATH…`: Azure Activity Log records and Entra ID sign-ins as usage (provider `azure`).</summary>
public static class ImportAzureActivityCommand
{
    public const string Provider = "azure";

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
        UsageIngest.Run(host, Provider, "activity-log", DiagnosticCodes.AzureActivityBadRecord, paths, db, format,
            Read);

    /// <summary>Hashing is left to <see cref="UsageIngest.SelectNew"/>, which fingerprints every file before it is read.</summary>
    internal static readonly Ciem.Import.Usage.UsageReadOptions UsageOptions = new() { HashFiles = false };

    /// <summary>Reads, rolls up and stores without printing (as `ciem demo` does); null when the paths name nothing readable.</summary>
    public static UsageIngest.Result? Ingest(CliHost host, string[] paths, string? db) =>
        UsageIngest.Ingest(host, Provider, "activity-log", DiagnosticCodes.AzureActivityBadRecord, paths, db, Read);

    private static Import.Usage.UsageReadResult Read(IReadOnlyList<string> files, Action<Import.Usage.UsageEvent> onEvent, IProgress<Import.Usage.UsageReadProgress>? progress) =>
        ActivityLogReader.Stream(files, AzureOperationCatalog.Default, onEvent, UsageOptions, progress);
}
