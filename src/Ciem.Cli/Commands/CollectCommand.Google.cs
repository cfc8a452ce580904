using System.CommandLine;
using Ciem.Collect;
using Ciem.Collect.Workspace;

namespace Ciem.Cli.Commands;

/// <summary>`ciem collect google`: the Google Workspace directory from the Admin SDK Directory API.</summary>
public static partial class CollectCommand
{
    private static Command Google(CliHost host)
    {
        var customer = new Option<string>("--customer")
        {
            Description = "the workspace customer id, e.g. `C01abc23`", DefaultValueFactory = _ => GoogleWorkspaceCollectOptions.MyCustomer,
        };
        var subject = new Option<string?>("--subject")
        {
            Description = "the administrator a service account acts as (domain-wide delegation), e.g. `admin@example.com`",
        };
        var endpoint = new Option<string?>("--admin-endpoint")
        {
            Description = "admin sdk's root url instead of `https://admin.googleapis.com/`",
        };
        var timeout = Timeout();
        var dryRun = new Option<bool>("--dry-run") { Description = "list the calls it would make, read nothing and write nothing" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("google",
            "read google workspace users, groups and members (read-only) into the store as a directory snapshot")
        {
            customer, subject, endpoint, timeout, dryRun, db, format,
        };
        command.SetAction(p => Settings(host, () =>
        {
            var options = new GoogleWorkspaceCollectOptions(p.GetValue(customer)!)
            {
                Subject = p.GetValue(subject),
                Call = CollectSettings.Call(p.GetValue(timeout)),
                DryRun = p.GetValue(dryRun),
            };
            var admin = CollectSettings.Url(p.GetValue(endpoint), "--admin-endpoint");
            options = options with { AdminEndpoint = admin ?? options.AdminEndpoint };
            return RunGoogle(host, options, p.GetValue(db), p.GetValue(format)!);
        }));
        return command;
    }

    public static int RunGoogle(CliHost host, GoogleWorkspaceCollectOptions options, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var (session, result, failed) = Collect(host, options.DryRun, db, format,
            (session, progress) => GoogleWorkspaceCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        return result is null ? failed : RenderDirectory(host, result, session?.StorePath, format);
    }
}
