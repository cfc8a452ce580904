using System.Collections.Immutable;
using System.Globalization;
using Ciem.App.Jobs;
using Ciem.Core.Sweep;

namespace Ciem.Cli.Commands;

/// <summary>The handlers of the background job kinds, shared by `ciem jobs` and `ciem serve`.</summary>
public static class ServerJobs
{
    /// <summary>
    /// The job kinds `ciem jobs run` and `ciem serve` run, over the CLI's import and sweep workflows (the import verbs
    /// other than AWS have no App workflow yet, see ARCHITECTURE.md). A run's console output is dropped: its outcome and summary are what is recorded.
    /// </summary>
    public static JobHandlers Handlers(CliHost host, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        // Each run gets a host of its own, with its own store sessions, closed when it ends: runs may overlap in a
        // server, and an estate cached by an earlier run would hide what a later import changed.
        T Fresh<T>(Func<CliHost, T> run)
        {
            var quiet = new CliHost(TextWriter.Null, host.Error, host.Clock, host.Environment);
            try { return run(quiet); }
            finally { quiet.CloseSessions(); }
        }
        return new JobHandlers(
        [
            new ImportFolderJobHandler((context, files, _) => Task.FromResult(Fresh(h => Import(h, context.Job.Setting("format")!, [.. files], db)))),
            DelegateJobHandler.Sweep((context, _) => Task.FromResult(Fresh(h => Sweep(h, context, db)))),
            new AlertsJobHandler(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, host.Environment, (repo, _) =>
                Task.FromResult(Fresh(h => HclInput.Read(h, new DirectoryInfo(repo), null) is { } iac ? ImmutableHashSet.CreateRange(iac.Changes.Select(c => c.Name)) : null))),
        ]);
    }

    private static JobResult Import(CliHost host, string format, string[] files, string? db)
    {
        var code = format switch
        {
            "aws" => ImportAwsCommand.Run(host, files, null, db, "text"),
            "cloudtrail" => ImportCloudTrailCommand.Run(host, files, db, "text"),
            "azure" => ImportAzureCommand.Run(host, files, null, null, db, "text"),
            "azure-activity" => ImportAzureActivityCommand.Run(host, files, db, "text"),
            "gcp" => ImportGcpCommand.Run(host, files, null, null, db, "text"),
            _ => ImportGcpAuditCommand.Run(host, files, db, "text"),
        };
        return new JobResult(code == ExitCodes.Ok, $"{files.Length} new file(s) given to `ciem import {format}`: exit code {code}");
    }

    private static JobResult Sweep(CliHost host, JobContext context, string? db)
    {
        var options = new SweepOptions();
        if (context.Job.Setting("window-days") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 1)
            {
                return JobResult.Failure($"`window-days` is `{text}`: a whole number of days, at least 1", 1);
            }
            options = options with { WindowDays = days };
        }
        var code = SweepCommand.Run(host, [], [], options, null, null, null, db, "text");
        return new JobResult(code == ExitCodes.Ok, $"sweep (window {options.WindowDays} days): exit code {code}");
    }

}
