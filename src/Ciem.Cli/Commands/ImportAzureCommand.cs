using System.CommandLine;
using Ciem.App.Imports;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem import azure PATH…`: reads `az` / ARM outputs (each file's kind recognised from its content) and writes them
/// to the store as one snapshot of the tenant (or of the subscriptions they cover), in one transaction (<see cref="AzureImport"/>).
/// </summary>
public static class ImportAzureCommand
{
    public static Command Create(CliHost host) => ImportInputs.Command(host, "azure",
        "import an Azure estate: role definitions and assignments, deny and eligible assignments, hierarchy, group memberships",
        "files or folders (*.json inside) with `az role definition list`, `az role assignment list --all`, deny assignments, PIM eligible instances, `az account management-group show --expand --recurse`, `az account list`, `az group list`, group memberships",
        "what the snapshot covers (default: the tenant id, else the subscription ids)", Run);

    public static int Run(CliHost host, string[] paths, DateTimeOffset? takenAt, string? scope, string? db, string format) =>
        ImportRuns.Azure(host, paths, takenAt, scope, db, format);
}
