using System.CommandLine;
using Ciem.App.Imports;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem import gcp PATH…`: reads Cloud Asset Inventory exports or searches, deny policies, custom roles and group
/// memberships (each file's kind recognised from its content) and writes them as one snapshot of the organisation
/// (or of the projects they cover), in one transaction (<see cref="GcpImport"/>).
/// </summary>
public static class ImportGcpCommand
{
    public static Command Create(CliHost host) => ImportInputs.Command(host, "gcp",
        "import a GCP estate: resource hierarchy, allow and deny policies, custom roles, group memberships, service accounts and their keys",
        "files or folders (*.json inside) with Cloud Asset Inventory exports or `search-all-iam-policies` output, deny policies, custom roles, group memberships, service accounts, service account keys",
        "what the snapshot covers (default: the organisation, else the projects)", Run);

    public static int Run(CliHost host, string[] paths, DateTimeOffset? takenAt, string? scope, string? db, string format) =>
        ImportRuns.Gcp(host, paths, takenAt, scope, db, format);
}
