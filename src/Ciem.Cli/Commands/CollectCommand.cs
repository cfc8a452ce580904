using System.CommandLine;
using System.Globalization;
using Ciem.Collect;
using Ciem.Collect.Aws;
using Ciem.Collect.Okta;
using Ciem.Core.Diagnostics;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem collect aws|okta|azure|entra`: reads the estate from the cloud's or directory's APIs (read-only) into the store, as
/// `ciem import aws`, `ciem import cloudtrail` and `ciem import directory okta` would from export files (Ciem.Collect
/// does the work; this file parses and renders).
/// </summary>
public static partial class CollectCommand
{
    public static Command Create(CliHost host)
    {
        var collect = new Command("collect", "read an estate straight from the cloud's APIs (read-only) into the store");
        collect.Subcommands.Add(Aws(host));
        collect.Subcommands.Add(Okta(host));
        collect.Subcommands.Add(Azure(host));
        collect.Subcommands.Add(Entra(host));
        collect.Subcommands.Add(Gcp(host));
        collect.Subcommands.Add(IdentityCenter(host));
        collect.Subcommands.Add(Google(host));
        collect.Subcommands.Add(AzureActivity(host));
        collect.Subcommands.Add(GcpAudit(host));
        return collect;
    }

    private static Command Aws(CliHost host)
    {
        var profile = new Option<string?>("--profile")
        {
            Description = "the AWS shared-config profile (default: $AWS_PROFILE, else the SDK's standard credential chain)",
        };
        var region = new Option<string[]>("--region")
        {
            Description = "regions whose regional resources and trails are read (repeatable; default: the profile's or $AWS_REGION)",
            AllowMultipleArgumentsPerToken = true,
        };
        var role = new Option<string>("--member-role")
        {
            Description = "the read-only role assumed in each member account (docs/collectors.md)",
            DefaultValueFactory = _ => "OpenCiemReadOnly",
        };
        var externalId = new Option<string?>("--external-id") { Description = "the external id the member roles' trust policy requires" };
        var callerOnly = new Option<bool>("--caller-account-only")
        {
            Description = "read only the account of the credentials, not the organization's member accounts",
        };
        var accounts = new Option<string[]>("--account")
        {
            Description = "read only these accounts (repeatable)", AllowMultipleArgumentsPerToken = true,
        };
        var parallel = new Option<int>("--parallel") { Description = "accounts read at once", DefaultValueFactory = _ => 4 };
        var timeout = Timeout();
        var policies = new Option<string>("--resource-policies")
        {
            Description = "services whose resource policies are read: `all`, `none` or a list (s3,kms,sqs,sns,lambda,secretsmanager,ecr)",
            DefaultValueFactory = _ => "all",
        };
        var noReport = new Option<bool>("--no-credential-report") { Description = "do not read the IAM credential report" };
        var noTrail = new Option<bool>("--no-cloudtrail") { Description = "do not ingest CloudTrail from the trails' buckets" };
        var maxObjects = new Option<int?>("--max-trail-objects")
        {
            Description = "at most this many new CloudTrail objects per run (the rest next run)",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "list the accounts and calls it would read, read nothing else and write nothing",
        };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("aws", "read IAM, Organizations, resource policies and CloudTrail from AWS (read-only) into the store")
        {
            profile, region, role, externalId, callerOnly, accounts, parallel, timeout, policies, noReport, noTrail, maxObjects, dryRun,
            db, format,
        };
        command.SetAction(p => Settings(host, () =>
        {
            var services = CollectSettings.ResourcePolicies(p.GetValue(policies)!);
            if (p.GetValue(parallel) < 1 || p.GetValue(timeout) < 1 || p.GetValue(maxObjects) is < 0)
            {
                throw CollectSettings.Bad("`--parallel` and `--timeout` must be at least 1 and `--max-trail-objects` at least 0");
            }
            var options = new AwsCollectOptions
            {
                Profile = p.GetValue(profile),
                Regions = p.GetValue(region) ?? [],
                MemberRole = p.GetValue(callerOnly) ? null : p.GetValue(role),
                ExternalId = p.GetValue(externalId),
                Accounts = p.GetValue(accounts) ?? [],
                Parallelism = p.GetValue(parallel),
                Call = CollectSettings.Call(p.GetValue(timeout)),
                ResourcePolicies = services,
                CredentialReport = !p.GetValue(noReport),
                CloudTrail = !p.GetValue(noTrail),
                MaxTrailObjects = p.GetValue(maxObjects),
                DryRun = p.GetValue(dryRun),
                Environment = host.Environment,
            };
            return Run(host, options, p.GetValue(db), p.GetValue(format)!);
        }));
        return command;
    }

    private static Command Okta(CliHost host)
    {
        var orgUrl = new Option<string>("--org-url")
        {
            Description = "the Okta org, e.g. `https://example.okta.com` (default: $OKTA_ORG_URL); "
                + "the API token is read from $OKTA_API_TOKEN",
        };
        var timeout = Timeout();
        var dryRun = new Option<bool>("--dry-run") { Description = "list the calls it would make, read nothing and write nothing" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("okta",
            "read Okta users, groups, members, apps and assignments (read-only) into the store as a directory snapshot")
        {
            orgUrl, timeout, dryRun, db, format,
        };
        command.SetAction(p => Settings(host, () => RunOkta(host,
            CollectSettings.Okta(p.GetValue(orgUrl), p.GetValue(timeout), p.GetValue(dryRun), host.Environment),
            p.GetValue(db), p.GetValue(format)!)));
        return command;
    }

    /// <summary>`--timeout`, every collector's.</summary>
    private static Option<int> Timeout() =>
        new("--timeout") { Description = "seconds each call may take before it is retried", DefaultValueFactory = _ => 30 };

    /// <summary>
    /// Runs a command's action; a setting <see cref="CollectSettings"/> refuses is written as the command line's error
    /// (exit 3, or 1 for a missing credential) before anything is read.
    /// </summary>
    private static int Settings(CliHost host, Func<int> action)
    {
        try { return action(); }
        catch (CollectException ex) when (ex.Code is DiagnosticCodes.CliBadArgument or DiagnosticCodes.CollectBadSetting
            or DiagnosticCodes.CollectCredentials)
        {
            host.Error.WriteLine($"error {ex.Code}: {ex.Message}");
            return ex.Code == DiagnosticCodes.CollectCredentials ? ExitCodes.Failure : ExitCodes.InvalidInput;
        }
    }

    public static int RunOkta(CliHost host, OktaCollectOptions options, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var (session, result, failed) = Collect(host, options.DryRun, db, format,
            (session, progress) => OktaCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        return result is null ? failed : RenderDirectory(host, result, session?.StorePath, format);
    }

    /// <summary>The summary of a directory collection (Okta, Entra): its snapshot, counts and diagnostics.</summary>
    private static int RenderDirectory(CliHost host, DirectoryCollectResult result, string? store, string format)
    {
        if (format == "json")
        {
            CliJson.Write(host, "collect-directory", CollectJson.Directory(result, store));
            return ExitCodes.Ok;
        }
        if (result.DryRun)
        {
            host.Console.WriteLine("dry run: nothing was read and nothing written; it would read:");
            foreach (var line in result.Plan) { host.Console.MarkupLine($"  {Cell(line)}"); }
            return ExitCodes.Ok;
        }
        var s = result.Snapshot!;
        foreach (var w in result.Writes) { Written(host, w); }
        host.Console.WriteLine($"{s.Users.Length} users, {s.Groups.Length} groups, {s.AppAssignments.Length} app assignments " +
            $"from {result.Calls} calls in " +
            $"{result.Elapsed.TotalSeconds:0.0} s; quarantined {result.Counts.Quarantined}; store: {store}");
        if (result.Diagnostics.Length > 0) { StoreAccess.WriteDiagnostics(host, result.Diagnostics); }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Runs a collector (its store opened unless it is a dry run) under the progress display; on a
    /// <see cref="CollectException"/>, writes it and gives the exit code instead of a result.
    /// </summary>
    internal static (Ciem.App.CiemSession? Session, T? Result, int Exit) Collect<T>(CliHost host, bool dryRun, string? db, string format,
        Func<Ciem.App.CiemSession?, IProgress<CollectProgress>?, Task<T>> run)
        where T : class
    {
        var session = dryRun ? null : host.Session(db);
        try
        {
            return (session, WithProgress(host, format != "json", progress => run(session, progress)), ExitCodes.Ok);
        }
        catch (CollectException ex)
        {
            return (session, null, Failed(host, ex, format));
        }
    }

    private static int Failed(CliHost host, CollectException ex, string format)
    {
        if (format == "json")
        {
            CliJson.Write(host, "collect-error", new { error = new { code = ex.Code, message = ex.Message } });
        }
        host.Error.WriteLine($"error {ex.Code}: {ex.Message}");
        return ex.Code == DiagnosticCodes.CollectBadSetting ? ExitCodes.InvalidInput : ExitCodes.Failure;
    }

    public static int Run(CliHost host, AwsCollectOptions options, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var (session, result, failed) = Collect(host, options.DryRun, db, format,
            (session, progress) => AwsCollector.CollectAsync(session, options, host.Clock.GetUtcNow(), progress));
        if (result is null) { return failed; }
        if (format == "json") { CliJson.Write(host, "collect-aws", CollectJson.Aws(result, session?.StorePath)); }
        else { Render(host, result, session?.StorePath); }
        return result.NotRead.Any() ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>Runs the collector under a live status line on a terminal (step, accounts done), plainly otherwise.</summary>
    private static T WithProgress<T>(CliHost host, bool show, Func<IProgress<CollectProgress>?, Task<T>> run)
    {
        if (!show || !host.Interactive) { return run(null).GetAwaiter().GetResult(); }
        T result = default!;
        host.Console.Status().Start("collecting", context =>
        {
            var progress = new Progress<CollectProgress>(p =>
                context.Status(Markup.Escape(p.Total > 0 ? $"{p.Step}: {p.Done}/{p.Total}" : p.Step)));
            result = run(progress).GetAwaiter().GetResult();
        });
        return result;
    }

    private static void Render(CliHost host, AwsCollectResult result, string? store)
    {
        var organization = result.OrganizationId is { } org ? $"; organization {Cell(org)}" : "; no organization read";
        host.Console.MarkupLine($"caller: {Cell(result.Caller)}{organization}");
        var table = new Table().AddColumns("account", "name", "status", "users", "groups", "roles", "policies", "why not read");
        foreach (var a in result.Accounts)
        {
            string N(int v) => a.Status == AccountStatus.Read ? v.ToString(CultureInfo.InvariantCulture) : "";
            table.AddRow(Cell(a.Id), Cell(a.Name ?? ""), Status(a.Status), N(a.Users), N(a.Groups), N(a.Roles), N(a.Policies),
                Cell(a.Reason ?? ""));
        }
        host.Console.Write(table);
        if (result.DryRun)
        {
            host.Console.WriteLine("dry run: nothing else was read and nothing was written; it would read:");
            foreach (var line in result.Plan) { host.Console.MarkupLine($"  {Cell(line)}"); }
        }
        else
        {
            foreach (var s in result.Snapshot?.Snapshots ?? []) { Written(host, s); }
            var inventory = result.Inventory!;
            host.Console.WriteLine($"read {result.Counts.Imported} records, skipped {result.Counts.Skipped}, " +
                $"quarantined {result.Counts.Quarantined}; {inventory.ResourcePolicies.Length} resource policies; " +
                $"{inventory.CredentialReports.Length} credential reports; {result.Elapsed.TotalSeconds:0.0} s; store: {store}");
            if (result.CloudTrail is { } trail)
            {
                var ingested = trail.Ingested?.Counts;
                var later = trail.ObjectsLeftForLater > 0 ? $", {trail.ObjectsLeftForLater} left for the next run" : "";
                host.Console.WriteLine($"cloudtrail: {trail.Buckets.Length} trail bucket(s), {trail.ObjectsListed} objects listed, " +
                    $"{trail.ObjectsSkipped} already ingested, {ingested?.Files ?? 0} read ({ingested?.Events ?? 0} events){later}");
            }
        }
        if (result.Diagnostics.Length > 0)
        {
            host.Console.WriteLine($"{result.Diagnostics.Length} diagnostic(s):");
            StoreAccess.WriteDiagnostics(host, result.Diagnostics);
        }
    }

    private static string Status(AccountStatus status) => CollectJson.Status(status);

    /// <summary>A value from the cloud as table text: no control or direction-changing characters, markup escaped.</summary>
    private static string Cell(string text) =>
        Markup.Escape(new string([.. text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E')
            or (>= '\u2066' and <= '\u2069') ? '?' : c)]));

    private static void Written(CliHost host, SnapshotWrite w) =>
        host.Console.MarkupLine($"snapshot {Cell(w.Kind)} {Cell(w.Scope)}: {w.Outcome.ToString().ToLowerInvariant()}");
}
