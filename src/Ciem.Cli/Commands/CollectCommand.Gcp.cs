using System.CommandLine;
using System.Globalization;
using Ciem.Collect;
using Ciem.Collect.Gcp;
using Ciem.Core.Diagnostics;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem collect gcp`: Cloud Asset Inventory and IAM.</summary>
public static partial class CollectCommand
{
    private static Command Gcp(CliHost host)
    {
        var organization = new Option<string>("--organization")
        {
            Description = "the organization's number, e.g. `123456789012`", Required = true,
        };
        var asset = new Option<string?>("--cloudasset-endpoint")
        {
            Description = "cloud asset api's root url instead of `https://cloudasset.googleapis.com/`",
        };
        var iam = new Option<string?>("--iam-endpoint") { Description = "iam api's root url instead of `https://iam.googleapis.com/`" };
        var identity = new Option<string?>("--cloudidentity-endpoint")
        {
            Description = "cloud identity api's root url instead of `https://cloudidentity.googleapis.com/`",
        };
        var noDeny = new Option<bool>("--no-deny-policies")
        {
            Description = "do not read deny policies (the current snapshot's are kept)",
        };
        var noGroups = new Option<bool>("--no-group-memberships")
        {
            Description = "do not read group members from cloud identity (the current snapshot's are kept)",
        };
        var parallel = new Option<int>("--parallel") { Description = "projects read at once", DefaultValueFactory = _ => 4 };
        var timeout = Timeout();
        var dryRun = new Option<bool>("--dry-run") { Description = "list the calls it would make, read nothing and write nothing" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("gcp",
            "read the hierarchy, allow and deny policies, custom roles, service accounts and keys, group members of a GCP organization " +
            "(read-only) into the store")
        {
            organization, asset, iam, identity, noDeny, noGroups, parallel, timeout, dryRun, db, format,
        };
        command.SetAction(p => Settings(host, () =>
        {
            if (p.GetValue(parallel) < 1 || p.GetValue(timeout) < 1)
            {
                throw CollectSettings.Bad("`--parallel` and `--timeout` must be at least 1");
            }
            var options = new GcpCollectOptions(p.GetValue(organization)!)
            {
                Parallelism = p.GetValue(parallel),
                Call = CollectSettings.Call(p.GetValue(timeout)),
                DryRun = p.GetValue(dryRun),
                DenyPolicies = !p.GetValue(noDeny),
                GroupMemberships = !p.GetValue(noGroups),
            };
            options = options with
            {
                CloudAssetEndpoint = CollectSettings.Url(p.GetValue(asset), asset.Name) ?? options.CloudAssetEndpoint,
                IamEndpoint = CollectSettings.Url(p.GetValue(iam), iam.Name) ?? options.IamEndpoint,
                CloudIdentityEndpoint = CollectSettings.Url(p.GetValue(identity), identity.Name) ?? options.CloudIdentityEndpoint,
            };
            return RunGcp(host, options, p.GetValue(db), p.GetValue(format)!);
        }));
        return command;
    }

    public static int RunGcp(CliHost host, GcpCollectOptions options, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var (session, result, failed) = Collect(host, options.DryRun, db, format,
            (session, progress) => GcpCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        if (result is null) { return failed; }
        var i = result.Inventory;
        if (format == "json")
        {
            CliJson.Write(host, "collect-gcp", CollectJson.Gcp(result, session?.StorePath));
            return result.Partial ? ExitCodes.Failure : ExitCodes.Ok;
        }
        if (result.DryRun)
        {
            host.Console.WriteLine("dry run: nothing was read and nothing written; it would read:");
            foreach (var line in result.Plan) { host.Console.MarkupLine($"  {Cell(line)}"); }
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("project", "status", "service accounts", "keys", "why not read");
        foreach (var p in result.Projects)
        {
            string N(int v) => p.Status == Ciem.Collect.Aws.AccountStatus.Read ? v.ToString(CultureInfo.InvariantCulture) : "";
            table.AddRow(Cell(p.Id), Status(p.Status), N(p.ServiceAccounts), N(p.Keys), Cell(p.Reason ?? ""));
        }
        host.Console.Write(table);
        Written(host, result.Write!);
        host.Console.WriteLine($"{i!.Resources.Length} resources, {i.Policies.Length} allow policies, " +
            $"{i.DenyPolicies.Length} deny policies, {i.CustomRoles.Length} custom roles, {i.ServiceAccounts.Length} service accounts, " +
            $"{i.ServiceAccountKeys.Length} keys, {i.Groups.Length} groups; {result.Calls} calls in {result.Elapsed.TotalSeconds:0.0} s; " +
            $"quarantined {result.Counts.Quarantined}; " +
            $"store: {session?.StorePath}");
        if (result.Diagnostics.Length > 0)
        {
            host.Console.WriteLine($"{result.Diagnostics.Length} diagnostic(s):");
            StoreAccess.WriteDiagnostics(host, result.Diagnostics);
        }
        return result.Partial ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
