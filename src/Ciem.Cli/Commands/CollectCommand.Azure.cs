using System.CommandLine;
using System.Globalization;
using Ciem.Collect;
using Ciem.Collect.Azure;
using Ciem.Core.Diagnostics;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem collect azure` and `ciem collect entra`: Azure Resource Manager and Microsoft Graph.</summary>
public static partial class CollectCommand
{
    private static Command Azure(CliHost host)
    {
        var (cloud, arm, graph, timeout) = ConnectionOptions();
        var subscriptions = new Option<string[]>("--subscription")
        {
            Description = "read only these subscriptions (repeatable; default: every subscription the credential sees)",
            AllowMultipleArgumentsPerToken = true,
        };
        var group = new Option<string?>("--management-group")
        {
            Description = "the management group whose tree is read (default: the tenant root group)",
        };
        var noMembers = new Option<bool>("--no-group-memberships")
        {
            Description = "do not read the members of groups holding roles from microsoft graph",
        };
        var parallel = new Option<int>("--parallel") { Description = "subscriptions read at once", DefaultValueFactory = _ => 4 };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "list the subscriptions (one call) and the calls it would make, write nothing",
        };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("azure", "read management groups, subscriptions, resource groups, role definitions, role, deny and "
            + "eligible assignments from Azure (read-only) into the store")
        {
            cloud, arm, graph, subscriptions, group, noMembers, parallel, timeout, dryRun, db, format,
        };
        command.SetAction(p => Settings(host, () =>
        {
            var connection = Connection(host, p, cloud, arm, graph, timeout);
            if (p.GetValue(parallel) < 1) { throw CollectSettings.Bad("`--parallel` must be at least 1"); }
            var options = new AzureCollectOptions
            {
                Connection = connection,
                Subscriptions = [.. p.GetValue(subscriptions) ?? []],
                ManagementGroup = p.GetValue(group),
                GroupMemberships = !p.GetValue(noMembers),
                Parallelism = p.GetValue(parallel),
                DryRun = p.GetValue(dryRun),
            };
            return RunAzure(host, options, p.GetValue(db), p.GetValue(format)!);
        }));
        return command;
    }

    private static Command Entra(CliHost host)
    {
        var (cloud, arm, graph, timeout) = ConnectionOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "list the calls it would make, read nothing and write nothing" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("entra", "read Entra ID users, groups and members, service principals, applications and owners, "
            + "directory roles (read-only) into the store as a directory snapshot")
        {
            cloud, graph, timeout, dryRun, db, format,
        };
        command.SetAction(p => Settings(host, () =>
            RunEntra(host, Connection(host, p, cloud, arm, graph, timeout), p.GetValue(dryRun), p.GetValue(db), p.GetValue(format)!)));
        return command;
    }

    public static int RunAzure(CliHost host, AzureCollectOptions options, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var (session, result, failed) = Collect(host, options.DryRun, db, format,
            (session, progress) => AzureCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        if (result is null) { return failed; }
        if (format == "json")
        {
            CliJson.Write(host, "collect-azure", CollectJson.Azure(result, session?.StorePath));
        }
        else
        {
            host.Console.MarkupLine($"tenant: {Cell(result.Tenant ?? "several or none")}");
            var table = new Table()
                .AddColumns("subscription", "name", "status", "role assignments", "resource groups", "why not read");
            foreach (var s in result.Subscriptions)
            {
                string N(int v) => s.Status == Ciem.Collect.Aws.AccountStatus.Read ? v.ToString(CultureInfo.InvariantCulture) : "";
                table.AddRow(Cell(s.Id), Cell(s.Name ?? ""), Status(s.Status), N(s.RoleAssignments), N(s.ResourceGroups),
                    Cell(s.Reason ?? ""));
            }
            host.Console.Write(table);
            if (result.DryRun)
            {
                host.Console.WriteLine("dry run: nothing else was read and nothing was written; it would read:");
                foreach (var line in result.Plan) { host.Console.MarkupLine($"  {Cell(line)}"); }
            }
            else
            {
                var w = result.Write!;
                var i = result.Inventory!;
                Written(host, w);
                host.Console.WriteLine($"{i.RoleDefinitions.Length} role definitions, {i.RoleAssignments.Length} role assignments, " +
                    $"{i.DenyAssignments.Length} deny assignments, {i.EligibleAssignments.Length} eligible assignments, " +
                    $"{i.ManagementGroups.Length} management groups, {i.GroupMemberships.Length} principals in groups; " +
                    $"{result.Calls} calls in {result.Elapsed.TotalSeconds:0.0} s; quarantined {result.Counts.Quarantined}; " +
                    $"store: {session?.StorePath}");
            }
            if (result.Diagnostics.Length > 0)
            {
                host.Console.WriteLine($"{result.Diagnostics.Length} diagnostic(s):");
                StoreAccess.WriteDiagnostics(host, result.Diagnostics);
            }
        }
        return result.NotRead.Any() ? ExitCodes.Failure : ExitCodes.Ok;
    }

    public static int RunEntra(CliHost host, AzureConnection connection, bool dryRun, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (session, result, failed) = Collect(host, dryRun, db, format,
            (session, progress) => EntraCollector.CollectAsync(session, connection, dryRun, host.Clock.GetUtcNow(), progress));
        return result is null ? failed : RenderDirectory(host, result, session?.StorePath, format);
    }

    private static (Option<string> Cloud, Option<string?> Arm, Option<string?> Graph, Option<int> Timeout) ConnectionOptions() =>
    (
        new Option<string>("--cloud")
        {
            Description = "`AzureCloud`, `AzureChinaCloud` or `AzureUSGovernment` (default: $AZURE_CLOUD, else AzureCloud)",
        },
        new Option<string?>("--arm-endpoint")
        {
            Description = "azure resource manager's root url instead of the cloud's (a private endpoint or proxy)",
        },
        new Option<string?>("--graph-endpoint") { Description = "microsoft graph's root url instead of the cloud's" },
        Timeout()
    );

    /// <summary>The connection the options name (<see cref="CollectSettings.Azure"/>).</summary>
    private static AzureConnection Connection(CliHost host, ParseResult p, Option<string> cloud, Option<string?> arm, Option<string?> graph,
        Option<int> timeout) =>
        CollectSettings.Azure(p.GetValue(cloud), p.GetValue(arm), p.GetValue(graph), p.GetValue(timeout), host.Environment);
}
