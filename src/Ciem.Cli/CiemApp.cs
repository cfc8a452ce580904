using System.CommandLine;
using Ciem.Cli.Commands;

namespace Ciem.Cli;

public static class CiemApp
{
    public static RootCommand Build(CliHost host)
    {
        var root = new RootCommand("ciem — OpenCIEM: effective permissions, usage and least privilege for cloud identities");
        var aws = new Command("aws", "AWS-specific tools");
        aws.Subcommands.Add(SimulateCommand.Create(host));
        root.Subcommands.Add(aws);
        var import = new Command("import", "import inventory exports into the store");
        import.Subcommands.Add(ImportAwsCommand.Create(host));
        import.Subcommands.Add(ImportCloudTrailCommand.Create(host));
        import.Subcommands.Add(ImportAzureCommand.Create(host));
        import.Subcommands.Add(ImportGcpCommand.Create(host));
        import.Subcommands.Add(ImportAzureActivityCommand.Create(host));
        import.Subcommands.Add(ImportGcpAuditCommand.Create(host));
        import.Subcommands.Add(ImportDirectoryCommand.Create(host));
        root.Subcommands.Add(import);
        root.Subcommands.Add(IdentitiesCommand.Create(host));
        root.Subcommands.Add(EffectiveCommand.Create(host));
        root.Subcommands.Add(PersonCommand.Create(host));
        root.Subcommands.Add(CanCommand.Create(host));
        root.Subcommands.Add(WhoCanCommand.Create(host));
        root.Subcommands.Add(PathsCommand.Create(host));
        root.Subcommands.Add(GapCommand.Create(host));
        root.Subcommands.Add(ProposeCommand.Create(host));
        root.Subcommands.Add(SweepCommand.Create(host));
        root.Subcommands.Add(ReductionsCommand.Create(host));
        root.Subcommands.Add(CheckCommand.Create(host));
        root.Subcommands.Add(DemoCommand.Create(host));
        root.Subcommands.Add(DbCommand.Create(host));
        root.Subcommands.Add(ReviewCommand.Create(host));
        root.Subcommands.Add(MetricsCommand.Create(host));
        root.Subcommands.Add(TrendCommand.Create(host));
        root.Subcommands.Add(AlertsCommand.Create(host));
        root.Subcommands.Add(EvidenceCommand.Create(host));
        return root;
    }

    public static int Run(string[] args, CliHost? host = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        host ??= CliHost.System();
        var root = Build(host);
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
            {
                foreach (var e in parse.Errors) { host.Error.WriteLine($"error: {e.Message}"); }
                host.Error.WriteLine("run `ciem --help` for usage");
                return ExitCodes.InvalidInput;
            }
            // Exceptions reach the handlers below: a store's errors are messages, not stack traces.
            return parse.Invoke(new InvocationConfiguration { Output = host.Out, Error = host.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Ciem.Storage.StoreLocationException ex)
        {
            host.Error.WriteLine($"error {ex.Code}: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Ciem.Storage.StoreException ex)
        {
            host.Error.WriteLine($"error {ex.Code}: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            host.Error.WriteLine($"error: {Ciem.Storage.StoreLocation.Redact(ex.Message)}");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            host.Error.WriteLine($"Unhandled exception: {ex}");
            return ExitCodes.Failure;
        }
        finally
        {
            host.CloseSessions();
        }
    }
}
