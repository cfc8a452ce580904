using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Usage;
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

/// <summary>
/// `ciem gap --provider azure|gcp`: per principal, the distinct permissions granted (effective access from the
/// current inventory), how many of them the activity or audit logs show used in the window, how many were used
/// without a grant in the inventory (a grant not imported, or a permission beyond the catalog), and the last activity
/// of any kind (a sign-in counts), computed by <see cref="CloudGapAnalyzer"/> (shared with `ciem sweep`). Granted
/// permissions not used are *unused* only when a log of the window would have recorded their use; otherwise *unknown*
/// (docs/azure.md and docs/gcp.md, "Unknown, not unused").
/// </summary>
public static class CloudGapCommand
{
    public static int Run(CliHost host, string provider, string? query, int top, int windowDays, DateTimeOffset? asOf, string? db, string format)
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
                ? AzureCommands.Resolver(host, db, Providers.LoadAzure(host, db)!.ToEstate()).Resolve(query)
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
            host.Out.WriteLine(JsonSerializer.Serialize(new
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
            }, CliJson.Options));
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
    public static ImmutableArray<EffectiveAccess>? Accesses(CliHost host, string provider, string? db)
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
