using System.CommandLine;
using Ciem.Collect;
using Ciem.Collect.Aws;

namespace Ciem.Cli.Commands;

/// <summary>`ciem collect identity-center`: SSO Admin and Identity Store.</summary>
public static partial class CollectCommand
{
    private static Command IdentityCenter(CliHost host)
    {
        var profile = new Option<string?>("--profile")
        {
            Description = "the AWS shared-config profile (default: $AWS_PROFILE, else the SDK's standard credential chain)",
        };
        var region = new Option<string?>("--region")
        {
            Description = "the identity center instance's region (default: the profile's or $AWS_REGION)",
        };
        var timeout = Timeout();
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "find the instance (one call), list the calls it would make, write nothing",
        };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("identity-center", "read IAM Identity Center users, groups, memberships, permission sets and "
            + "account assignments (read-only) into the store as a directory snapshot")
        {
            profile, region, timeout, dryRun, db, format,
        };
        command.SetAction(p => Settings(host, () =>
        {
            var options = new AwsCollectOptions
            {
                Profile = p.GetValue(profile),
                Regions = p.GetValue(region) is { } r ? [r] : [],
                Call = CollectSettings.Call(p.GetValue(timeout)),
                DryRun = p.GetValue(dryRun),
                Environment = host.Environment,
            };
            return RunIdentityCenter(host, options, p.GetValue(db), p.GetValue(format)!);
        }));
        return command;
    }

    public static int RunIdentityCenter(CliHost host, AwsCollectOptions options, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var (session, result, failed) = Collect(host, options.DryRun, db, format,
            (session, progress) => IdentityCenterCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        return result is null ? failed : RenderDirectory(host, result, session?.StorePath, format);
    }
}
