using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.Usage;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Usage;
using Ciem.Core.Model;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem gap --provider azure|gcp`: per principal, the distinct permissions granted (effective access from the
/// current inventory), how many of them the activity or audit logs show used in the window, how many were used
/// without a grant in the inventory (a grant not imported, or a permission beyond the catalog), and the last activity
/// of any kind (a sign-in counts). Usage rows match a principal by its id or, for Azure callers recorded by user
/// principal name, by its name. Granted permissions not used are *unused* only when a log of the window would have
/// recorded their use; otherwise *unknown* (docs/azure.md and docs/gcp.md, "Unknown, not unused").
/// </summary>
public static class CloudGapCommand
{
    /// <summary>
    /// One principal's gap. <see cref="Unknown"/> counts granted permissions not seen whose use no log of the window
    /// would have recorded (Azure reads and data actions, GCP Data Access permissions): never counted as unused.
    /// </summary>
    public sealed record PrincipalGap(Identity Identity, int Granted, int Used, int Unused, int UsedNotGranted, long Calls, DateTimeOffset? LastActivity, bool IsAdministrator,
        ImmutableArray<(string Action, long Count, DateTimeOffset LastUsed)> UsedActions, int Unknown = 0, ImmutableArray<string> UnknownPermissions = default);

    public static int Run(CliHost host, string provider, string? query, int top, int windowDays, DateTimeOffset? asOf, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Accesses(host, provider, db) is not { } accesses) { return ExitCodes.Failure; }
        var when = asOf ?? host.Clock.GetUtcNow();
        var end = DateOnly.FromDateTime(when.UtcDateTime).AddDays(1);
        ImmutableArray<UsageTotal> usage;
        ImmutableArray<LogCoverage> coverage;
        using (var store = StoreAccess.Open(host, db))
        {
            usage = store.LoadUsage(provider, end.AddDays(-windowDays), end);
            coverage = store.LoadLogCoverage(provider, end.AddDays(-windowDays), end);
        }
        if (query is not null)
        {
            accesses = [.. accesses.Where(a => Matches(a.Identity, query))];
            if (accesses.IsEmpty)
            {
                host.Error.WriteLine($"error: no {provider} principal `{query}` in the store");
                return ExitCodes.InvalidInput;
            }
        }
        var gaps = Analyze(accesses, usage, RecordingFor(provider, coverage));
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
                    kind = IdentitiesCommand.KindName(g.Identity.Kind),
                    granted = g.Granted,
                    used = g.Used,
                    unused = g.Unused,
                    unknown = g.Unknown,
                    usedNotGranted = g.UsedNotGranted,
                    calls = g.Calls,
                    lastActivity = g.LastActivity,
                    admin = g.IsAdministrator,
                    usedActions = query is null ? null : g.UsedActions.Select(a => new { action = a.Action, count = a.Count, lastUsed = a.LastUsed }),
                    unknownPermissions = query is null ? null : (IEnumerable<string>)g.UnknownPermissions,
                }),
            }, CliJson.Options));
            return ExitCodes.Ok;
        }
        var rows = gaps.OrderByDescending(g => g.Unused).ThenBy(g => g.Identity.Id, StringComparer.Ordinal).Take(query is null ? top : int.MaxValue).ToList();
        var grid = new Table().AddColumns("identity", "kind", "granted", "used", "unused", "unknown", "used, not granted", "calls", "last activity", "admin");
        foreach (var g in rows)
        {
            grid.AddRow(Markup.Escape(g.Identity.Name), IdentitiesCommand.KindName(g.Identity.Kind), N(g.Granted), N(g.Used), N(g.Unused), N(g.Unknown), N(g.UsedNotGranted), N(g.Calls),
                g.LastActivity?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "[yellow]inactive[/]", g.IsAdministrator ? "yes" : "");
        }
        host.Console.Write(grid);
        if (query is not null)
        {
            var used = new Table().AddColumns("used permission", "calls", "last used");
            foreach (var a in rows.SelectMany(g => g.UsedActions)) { used.AddRow(Markup.Escape(a.Action), N(a.Count), a.LastUsed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); }
            host.Console.Write(used);
        }
        host.Console.WriteLine($"{gaps.Count:N0} {provider} principals, {windowDays} days to {when:yyyy-MM-dd}: granted {gaps.Sum(g => g.Granted):N0}, used {gaps.Sum(g => g.Used):N0}, unused {gaps.Sum(g => g.Unused):N0}, unknown (not recorded by the logs) {gaps.Sum(g => g.Unknown):N0}; {gaps.Count(g => g.LastActivity is null):N0} inactive");
        return ExitCodes.Ok;
    }

    /// <summary>Effective access of every Azure or GCP principal of the current inventory; null (with a message) when the store holds none.</summary>
    public static ImmutableArray<EffectiveAccess>? Accesses(CliHost host, string provider, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (provider == Providers.Azure)
        {
            var azure = Providers.LoadAzure(host, db);
            return azure is null ? null : [.. AzureEffectiveAccess.ComputeAll(azure.ToEstate(), AzureOperationCatalog.Default).Select(r => r.Access)];
        }
        var gcp = Providers.LoadGcp(host, db);
        return gcp is null ? null : GcpEffectiveAccess.ComputeAll(GcpPolicySet.Create(gcp));
    }

    /// <summary>The provider's usage rows of the <paramref name="windowDays"/> days up to and including <paramref name="asOf"/>'s day.</summary>
    public static ImmutableArray<UsageTotal> Usage(CliHost host, string provider, int windowDays, DateTimeOffset asOf, string? db)
    {
        var end = DateOnly.FromDateTime(asOf.UtcDateTime).AddDays(1);
        using var store = StoreAccess.Open(host, db);
        return store.LoadUsage(provider, end.AddDays(-windowDays), end);
    }

    /// <summary>
    /// Whether the provider's logs of the window record a grant's use: Azure from the Activity Log plus the resource
    /// providers with data-plane coverage, GCP from Admin Activity plus the services with Data Access entries.
    /// </summary>
    public static Func<PermissionGrant, UsageRecording> RecordingFor(string provider, IEnumerable<LogCoverage> coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        if (provider == Providers.Azure)
        {
            var azure = new AzureUsageRecording(coverage.Where(c => c.Log == Import.Azure.ActivityLogReader.DataPlaneLog).Select(c => c.Service));
            return g => azure.Recording(g.Permission, g.AccessLevel.StartsWith("Data", StringComparison.Ordinal));
        }
        var gcp = new GcpUsageRecording(coverage.Where(c => c.Log == "data_access").Select(c => c.Service));
        return g => gcp.Recording(g.Permission);
    }

    /// <summary>
    /// Granted versus used for every principal; usage of permissions matched without regard to case. With
    /// <paramref name="recording"/>, granted permissions not used split into unused (recorded) and unknown (not recorded).
    /// </summary>
    public static IReadOnlyList<PrincipalGap> Analyze(IEnumerable<EffectiveAccess> accesses, IReadOnlyList<UsageTotal> usage, Func<PermissionGrant, UsageRecording>? recording = null)
    {
        ArgumentNullException.ThrowIfNull(accesses);
        ArgumentNullException.ThrowIfNull(usage);
        var byIdentity = usage.ToLookup(u => u.Identity, StringComparer.OrdinalIgnoreCase);
        var gaps = new List<PrincipalGap>();
        foreach (var access in accesses)
        {
            var rows = byIdentity[access.Identity.Id].Concat(string.Equals(access.Identity.Name, access.Identity.Id, StringComparison.OrdinalIgnoreCase) ? [] : byIdentity[access.Identity.Name]).ToList();
            var granted = access.Grants.Select(g => g.Permission).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var actions = rows.Where(r => r.Action != Import.Azure.ActivityLogReader.SignInAction)
                .GroupBy(r => r.Action, StringComparer.OrdinalIgnoreCase)
                .Select(g => (Action: g.Key, Count: g.Sum(r => r.Count), LastUsed: g.Max(r => r.LastSeen)))
                .OrderByDescending(a => a.Count).ThenBy(a => a.Action, StringComparer.Ordinal).ToImmutableArray();
            var used = actions.Count(a => granted.Contains(a.Action));
            var usedSet = actions.Select(a => a.Action).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var unknown = recording is null ? [] : access.Grants
                .Where(g => !usedSet.Contains(g.Permission) && !recording(g).Recorded)
                .Select(g => g.Permission).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToImmutableArray();
            gaps.Add(new PrincipalGap(access.Identity, granted.Count, used, granted.Count - used - unknown.Length, actions.Length - used, actions.Sum(a => a.Count),
                rows.Count == 0 ? null : rows.Max(r => r.LastSeen), access.IsAdministrator, actions, unknown.Length, unknown));
        }
        return gaps;
    }

    private static bool Matches(Identity identity, string query) =>
        string.Equals(identity.Id, query, StringComparison.OrdinalIgnoreCase) || string.Equals(identity.Name, query, StringComparison.OrdinalIgnoreCase)
        || identity.Id.EndsWith(":" + query, StringComparison.OrdinalIgnoreCase);

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
