using System.CommandLine;
using Ciem.Cli.Commands;
using Ciem.Core.Diagnostics;

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
        root.Subcommands.Add(CollectCommand.Create(host));
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
        root.Subcommands.Add(JobsCommand.Create(host));
        root.Subcommands.Add(ServeCommand.Create(host));
        root.Subcommands.Add(UsersCommand.Create(host));
        root.Subcommands.Add(CompletionCommand.Create(root));
        GlobalOptions.AddTo(root);
        InputChecks.AddTo(root);
        return root;
    }

    public static int Run(string[] args, CliHost? host = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        host ??= CliHost.System();
        var root = Build(host);
        OutputFile? output = null;
        try
        {
            var parse = root.Parse(args);
            if (parse.Action is System.CommandLine.Help.HelpAction || (args.Length == 1 && args[0] == "--version")) { return parse.Invoke(Invocation(host)); }
            host.Verbosity = parse.GetValue<bool>(GlobalOptions.Quiet) ? Verbosity.Quiet : parse.GetValue<bool>(GlobalOptions.Verbose) ? Verbosity.Verbose : Verbosity.Normal;
            // An unknown `--option` may have been taken as an argument's value (`gap --windows 30`): an error too.
            if (parse.Errors.Count > 0 || ArgumentErrors.UnknownOption(parse) is ['-', '-', ..])
            {
                host.Error.WriteLine($"error {DiagnosticCodes.CliArgument}: {ArgumentErrors.Describe(parse)}");
                host.Error.WriteLine($"run `{ArgumentErrors.CommandPath(parse.CommandResult)} --help` for usage");
                return ExitCodes.InvalidInput;
            }
            foreach (var d in host.Settings.Diagnostics) { host.Error.WriteLine(d.ToString()); }
            if (host.Settings.Diagnostics.Any(d => d.Severity == Severity.Error)) { return ExitCodes.InvalidInput; }
            if (parse.GetValue<string?>(GlobalOptions.Output) is { Length: > 0 } path)
            {
                output = OutputFile.Create(path, out var problem);
                if (output is null)
                {
                    host.Error.WriteLine(problem);
                    return ExitCodes.InvalidInput;
                }
                host.SetOutput(output.Writer, interactive: false);
            }
            // Exceptions reach the handlers below: a store's errors are messages, not stack traces.
            var code = parse.Invoke(Invocation(host));
            if (output is not null)
            {
                if (code is ExitCodes.Ok or ExitCodes.Findings)
                {
                    output.Commit();
                    host.Error.WriteLine($"wrote `{output.Target}`");
                }
                else { host.Error.WriteLine($"nothing written to `{output.Target}`: the command failed"); }
            }
            return code;
        }
        catch (Ciem.Storage.StoreLocationException ex)
        {
            host.Error.WriteLine($"error {ex.Code}: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Ciem.Storage.StoreException ex)
        {
            host.Error.WriteLine($"error {ex.Code}: {ex.Message}");
            Details(host, ex);
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            host.Error.WriteLine($"error: {Ciem.Storage.StoreLocation.Redact(ex.Message)}");
            Details(host, ex);
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No stack trace and no type name for users: one line, the cause; `--verbose` shows the details for a bug report.
            host.Error.WriteLine($"error {DiagnosticCodes.CliInternal}: {Ciem.Storage.StoreLocation.Redact(FirstLine(ex.Message))} "
                + "(an unexpected failure: run again with `--verbose` for details, and please report it)");
            Details(host, ex);
            return ExitCodes.Failure;
        }
        finally
        {
            output?.Dispose();
            host.CloseSessions();
        }
    }

    private static InvocationConfiguration Invocation(CliHost host) =>
        new() { Output = host.Out, Error = host.Error, EnableDefaultExceptionHandler = false };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r', '.');

    private static void Details(CliHost host, Exception ex)
    {
        if (host.Verbosity == Verbosity.Verbose) { host.Error.WriteLine(Ciem.Storage.StoreLocation.Redact(ex.ToString())); }
    }
}
