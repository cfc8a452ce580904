using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Usage;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.Usage;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Usage;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem gap [IDENTITY]`: granted versus used over the window, per identity or for one in detail.</summary>
public static class GapCommand
{
    public static Command Create(CliHost host)
    {
        var identity = new Argument<string?>("identity") { Description = "one identity for details; all identities when omitted", Arity = ArgumentArity.ZeroOrOne };
        var top = CommonOptions.Top(50, "identities by unused permissions (all identities mode)");
        var all = CommonOptions.All();
        var usage = new UsageOptions(host);
        var db = CommonOptions.Database();
        var format = CommonOptions.FormatWithCsv();
        var provider = Providers.Option("aws");
        var command = new Command("gap", "granted versus used permissions over the window: unused actions and services, inactive identities, unused admins") { identity, top, all, db, format, provider };
        usage.AddTo(command);
        int Gap(CliHost h, System.CommandLine.ParseResult p, string f) => p.GetValue(provider) is Provider.AzureName or Provider.GcpName
            ? RunCloud(h, p.GetValue(provider)!, p.GetValue(identity), CommonOptions.Limit(p.GetValue(top), p.GetValue(all)), p.GetValue(usage.Window), p.GetValue(usage.AsOf), p.GetValue(db), f)
            : Run(h, p.GetValue(identity), CommonOptions.Limit(p.GetValue(top), p.GetValue(all)), usage.ToSweepOptions(p), p.GetValue(usage.AsOf), p.GetValue(db), f);
        command.SetAction(p => p.GetValue(format) == "csv" ? CsvOutput.ViaJson(host, h => Gap(h, p, "json"), "identities") : Gap(host, p, p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string? query, int top, Core.Sweep.SweepOptions options, DateTimeOffset? asOf, string? db, string format)
    {
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return ExitCodes.Failure; }
        var when = asOf ?? host.Clock.GetUtcNow();
        var usage = Ciem.App.Usage.UsageAccess.Load(StoreAccess.Open(host, db), when, options);
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        var targets = estate.Identities;
        if (query is not null)
        {
            var who = Ciem.App.Identities.AwsIdentityQuery.Resolve(estate, query, out var problem);
            if (who is null)
            {
                host.Error.WriteLine($"error: {problem}");
                return ExitCodes.InvalidInput;
            }
            targets = [who];
        }
        var gaps = new IdentityGap[targets.Length];
        var used = new IReadOnlyList<ObservedAction>[targets.Length];
        Parallel.For(0, targets.Length, i =>
        {
            used[i] = usage.Window.TryGetValue(targets[i].Identity.Id, out var w) ? w : [];
            var account = targets[i].Identity.Scope;
            gaps[i] = GapAnalyzer.Analyze(calculator.Compute(targets[i]), used[i], a => usage.RecordedIn(account, a));
        });
        if (format == "json")
        {
            CliJson.Write(host, "gap", new
            {
                asOf = when,
                windowDays = options.WindowDays,
                identities = gaps.Select((g, i) => new
                {
                    identity = g.Identity.Id,
                    kind = IdentityKindNames.Of(g.Identity.Kind),
                    granted = g.Granted,
                    used = g.Used,
                    unused = g.Unused,
                    unknown = g.Unknown,
                    lastActivity = g.LastActivity,
                    lastUsedIam = g.Identity.LastUsed,
                    admin = g.IsAdministrator,
                    adminActionUsed = g.AdminActionUsed,
                    unusedServices = g.UnusedServices,
                    usedActions = query is null ? null : used[i].GroupBy(u => u.Action, StringComparer.OrdinalIgnoreCase).Select(x => new { action = x.Key, count = x.Sum(o => o.Count), lastUsed = x.Max(o => o.LastSeen) }),
                }),
            });
            return ExitCodes.Ok;
        }
        if (query is not null)
        {
            var g = gaps[0];
            host.Console.MarkupLineInterpolated($"[bold]{g.Identity.Id}[/] — {options.WindowDays} days to {when:yyyy-MM-dd}");
            host.Console.WriteLine($"granted {g.Granted:N0}, used {g.Used:N0}, unused {g.Unused:N0}, unknown (not recorded by CloudTrail) {g.Unknown:N0}; last activity in the logs {(g.LastActivity is { } l ? l.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "none in the window")}, last used per IAM {(g.Identity.LastUsed is { } iam ? iam.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "never/unknown")}");
            if (g.IsAdministrator) { host.Console.MarkupLine(g.AdminActionUsed ? "administrative, and used permissions-management actions" : "[red]administrative, but performed no permissions-management action in the window[/]"); }
            var table = new Table().AddColumns("used action", "calls", "last used", "resources");
            foreach (var a in used[0].GroupBy(u => u.Action, StringComparer.OrdinalIgnoreCase).OrderByDescending(x => x.Sum(o => o.Count)))
            {
                table.AddRow(Markup.Escape(a.Key), a.Sum(o => o.Count).ToString("N0", CultureInfo.InvariantCulture), a.Max(o => o.LastSeen).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", a.Select(o => o.Resource).Distinct().Take(3)) + (a.Select(o => o.Resource).Distinct().Count() > 3 ? ", …" : "")));
            }
            host.Console.Write(table);
            if (!g.UnusedServices.IsEmpty) { host.Console.WriteLine($"services granted but never used: {string.Join(", ", g.UnusedServices)}"); }
            return ExitCodes.Ok;
        }
        var rows = gaps.OrderByDescending(g => g.Unused).ThenBy(g => g.Identity.Id, StringComparer.Ordinal).Take(top).ToList();
        var grid = new Table().AddColumns("identity", "kind", "account", "granted", "used", "unused", "unknown", "last activity (logs)", "last used (IAM)", "admin");
        foreach (var g in rows)
        {
            grid.AddRow(Markup.Escape(g.Identity.Name), IdentityKindNames.Of(g.Identity.Kind), Markup.Escape(g.Identity.Scope), g.Granted.ToString("N0", CultureInfo.InvariantCulture),
                g.Used.ToString("N0", CultureInfo.InvariantCulture), g.Unused.ToString("N0", CultureInfo.InvariantCulture), g.Unknown.ToString("N0", CultureInfo.InvariantCulture),
                g.LastActivity?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "[yellow]inactive[/]",
                g.Identity.LastUsed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never/unknown",
                g.IsAdministrator ? (g.AdminActionUsed ? "yes" : "[red]unused[/]") : "");
        }
        host.Console.Write(grid);
        CommonOptions.WriteCut(host, rows.Count, gaps.Length, "identities, most unused permissions first");
        var summary = GapAnalyzer.Summarize(gaps, UsageWindow.Of(when, options.WindowDays).StartInstant, when);
        host.Console.WriteLine($"{summary.Identities:N0} identities: granted {summary.GrantedTotal:N0}, used {summary.UsedTotal:N0}; {summary.Inactive:N0} inactive; {summary.Administrators:N0} admins of which {summary.UnusedAdministrators:N0} never used admin rights");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// `ciem gap --provider azure|gcp`: per principal, the distinct permissions granted (effective access from the
    /// current inventory), how many of them the activity or audit logs show used in the window, how many were used
    /// without a grant in the inventory (a grant not imported, or a permission beyond the catalog), and the last activity
    /// of any kind (a sign-in counts), computed by <see cref="CloudGapAnalyzer"/> (shared with `ciem sweep`). Granted
    /// permissions not used are *unused* only when a log of the window would have recorded their use; otherwise *unknown*
    /// (docs/azure.md and docs/gcp.md, "Unknown, not unused").
    /// </summary>
    public static int RunCloud(CliHost host, string provider, string? query, int top, int windowDays, DateTimeOffset? asOf, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Accesses(host, provider, db) is not { } accesses) { return ExitCodes.Failure; }
        var when = asOf ?? host.Clock.GetUtcNow();
        var store = StoreAccess.Open(host, db);
        var window = UsageWindow.Of(when, windowDays);
        var usage = CloudUsage.Load(store, Provider.Parse(provider), window);
        var evidence = CloudUsage.Evidence(store, Provider.Parse(provider), window, []);
        if (query is not null)
        {
            var resolution = provider == Provider.AzureName
                ? Ciem.App.Identities.IdentityResolver.ForAzure(Providers.LoadAzure(host, db)!.ToEstate(), host.Session(db).People.Directories).Resolve(query)
                : Ciem.App.Identities.IdentityResolver.ForGcp(accesses.Select(a => (a.Identity.Id, a.Identity.Name))).Resolve(query);
            if (resolution.Found is not { } found)
            {
                host.Error.WriteLine($"error {Core.Diagnostics.DiagnosticCodes.CliUnknownIdentity}: {resolution.Problem(provider, query)}");
                return ExitCodes.InvalidInput;
            }
            accesses = [.. accesses.Where(a => string.Equals(a.Identity.Id, found.Id, StringComparison.OrdinalIgnoreCase))];
        }
        var gaps = CloudGapAnalyzer.Analyze(accesses, usage, CloudUsage.ActivityOnly, CloudUsage.RecordingOf(Provider.Parse(provider), evidence));
        if (format == "json")
        {
            CliJson.Write(host, "cloud-gap", new
            {
                provider,
                asOf = when,
                windowDays,
                identities = gaps.Select(g => new
                {
                    identity = g.Identity.Id,
                    name = g.Identity.Name,
                    kind = IdentityKindNames.Of(g.Identity.Kind),
                    granted = g.Granted,
                    used = g.Used,
                    unused = g.Unused,
                    unknown = g.Unknown,
                    usedNotGranted = g.UsedNotGranted,
                    calls = g.Calls,
                    lastActivity = g.LastActivity,
                    admin = g.IsAdministrator,
                    usedActions = query is null ? null : g.UsedActions.Select(a => new { action = a.Permission, count = a.Count, lastUsed = a.LastUsed }),
                    unknownPermissions = query is null ? null : (IEnumerable<string>)g.UnknownPermissions,
                }),
            });
            return ExitCodes.Ok;
        }
        var rows = gaps.OrderByDescending(g => g.Unused).ThenBy(g => g.Identity.Id, StringComparer.Ordinal).Take(query is null ? top : int.MaxValue).ToList();
        var grid = new Table().AddColumns("identity", "kind", "granted", "used", "unused", "unknown", "used, not granted", "calls", "last activity", "admin");
        foreach (var g in rows)
        {
            grid.AddRow(Markup.Escape(g.Identity.Name), IdentityKindNames.Of(g.Identity.Kind), N(g.Granted), N(g.Used), N(g.Unused), N(g.Unknown), N(g.UsedNotGranted), N(g.Calls),
                g.LastActivity?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "[yellow]inactive[/]", g.IsAdministrator ? "yes" : "");
        }
        host.Console.Write(grid);
        if (query is not null)
        {
            var used = new Table().AddColumns("used permission", "calls", "last used");
            foreach (var a in rows.SelectMany(g => g.UsedActions)) { used.AddRow(Markup.Escape(a.Permission), N(a.Count), a.LastUsed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); }
            host.Console.Write(used);
        }
        else { CommonOptions.WriteCut(host, rows.Count, gaps.Count, $"{provider} principals, most unused permissions first"); }
        host.Console.WriteLine($"{gaps.Count:N0} {provider} principals, {windowDays} days to {when:yyyy-MM-dd}: granted {gaps.Sum(g => g.Granted):N0}, used {gaps.Sum(g => g.Used):N0}, unused {gaps.Sum(g => g.Unused):N0}, unknown (not recorded by the logs) {gaps.Sum(g => g.Unknown):N0}; {gaps.Count(g => g.LastActivity is null):N0} inactive");
        return ExitCodes.Ok;
    }

    /// <summary>Effective access of every Azure or GCP principal of the current inventory; null (with a message) when the store holds none.</summary>
    private static ImmutableArray<EffectiveAccess>? Accesses(CliHost host, string provider, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (provider == Provider.AzureName)
        {
            var azure = Providers.LoadAzure(host, db);
            return azure is null ? null : [.. AzureEffectiveAccess.ComputeAll(azure.ToEstate(), AzureOperationCatalog.Default).Select(r => r.Access)];
        }
        var gcp = Providers.LoadGcp(host, db);
        return gcp is null ? null : GcpEffectiveAccess.ComputeAll(GcpPolicySet.Create(gcp));
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
