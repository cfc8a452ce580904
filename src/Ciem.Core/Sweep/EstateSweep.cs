using System.Collections.Immutable;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.Core.Sweep;

/// <summary>
/// One identity of any provider as the slices count it; <paramref name="Category"/> and <paramref name="PrivilegeAdministrator"/>
/// are decided on the attack graphs (docs/attack-paths.md), <paramref name="UnusedAdministrator"/> is an administrator that used
/// no permissions-management action in the window.
/// </summary>
public sealed record SweepRow(
    string Provider,
    string Id,
    string Name,
    IdentityKind Kind,
    ResolvedEnvironment Environment,
    AdminCategory Category,
    bool PrivilegeAdministrator,
    bool UnusedAdministrator,
    bool Inactive,
    long Granted,
    long Used,
    long GrantedAfter)
{
    /// <summary>`service`, `role` or `human` (<see cref="SweepRunner.KindGroup"/>).</summary>
    public string KindGroup => SweepRunner.KindGroup(Kind);

    /// <summary>Full control of its account, subscription or project, every condition evaluated.</summary>
    public bool IsAdministrator => Category == AdminCategory.Administrator;
}

/// <summary>One cell of the kind × environment matrix.</summary>
public sealed record SweepMatrixCell(string Kind, string Environment, SweepSlice Slice);

/// <summary>
/// The sweep of every provider: the AWS sweep and the Azure and GCP sweeps (null when the provider was not swept), one
/// row per identity, the combined <see cref="Total"/>, and slices by provider, by kind, by environment and by kind ×
/// environment, in review order: service identities first, then other roles, humans last; preprod before prod, then
/// dev and other. Empty slices are left out.
/// </summary>
public sealed record EstateSweepResult(
    DateTimeOffset AsOf,
    int WindowDays,
    int LookbackDays,
    SweepResult? Aws,
    CloudSweepResult? Azure,
    CloudSweepResult? Gcp,
    ImmutableArray<SweepRow> Rows,
    SweepSlice Total,
    ImmutableArray<SweepSlice> Providers,
    ImmutableArray<SweepSlice> Kinds,
    ImmutableArray<SweepSlice> Environments,
    ImmutableArray<SweepMatrixCell> Matrix)
{
    /// <summary>The days the usage was read from (inclusive start and end).</summary>
    public UsageWindow Window => UsageWindow.Of(AsOf, WindowDays, LookbackDays);

    /// <summary>AWS resources whose own policies let anyone or an outside account in (docs/attack-paths.md, risk view).</summary>
    public ImmutableArray<Risk.ResourceExposure> ResourceExposures { get; init; } = [];

    /// <summary>The risk view of every provider swept (docs/attack-paths.md); null when the sweep was asked without it.</summary>
    public Risk.RiskView? Risk { get; init; }

    /// <summary>Verified proposals of every provider.</summary>
    public int ProposalCount => (Aws?.Proposals.Length ?? 0) + (Azure?.Proposals.Length ?? 0) + (Gcp?.Proposals.Length ?? 0);

    /// <summary>Proposals not emitted, of every provider.</summary>
    public int FailureCount => (Aws?.Failures.Length ?? 0) + (Azure?.Failures.Length ?? 0) + (Gcp?.Failures.Length ?? 0);

    /// <summary>Identities left out of proposals on purpose (AWS service-linked roles, break-glass, GCP service agents).</summary>
    public int ExcludedCount => (Azure?.Excluded.Length ?? 0) + (Gcp?.Excluded.Length ?? 0) + (Aws?.Excluded.Length ?? 0);

    /// <summary>The providers swept, in the order aws, azure, gcp.</summary>
    public ImmutableArray<string> ProviderNames => [.. EstateSweep.ProviderOrder.Where(p => p switch { "aws" => Aws is not null, "azure" => Azure is not null, _ => Gcp is not null })];
}

/// <summary>Combines the per-provider sweeps into one <see cref="EstateSweepResult"/> and counts slices. Pure.</summary>
public static class EstateSweep
{
    /// <summary>Kinds in review order.</summary>
    public static readonly ImmutableArray<string> KindOrder = ["service", "role", "human"];

    /// <summary>Providers in the order the reports list them.</summary>
    public static readonly ImmutableArray<string> ProviderOrder = ["aws", "azure", "gcp"];

    /// <param name="asOf">the end of the window.</param>
    /// <param name="options">window and lookback, as the sweeps ran.</param>
    /// <param name="aws">the AWS sweep, or null.</param>
    /// <param name="awsEnvironment">the environment of an AWS account (<c>AwsEstate.ResolveEnvironment</c>); required with <paramref name="aws"/>.</param>
    /// <param name="azure">the Azure sweep, or null.</param>
    /// <param name="gcp">the GCP sweep, or null.</param>
    public static EstateSweepResult Combine(DateTimeOffset asOf, SweepOptions options, SweepResult? aws, Func<string, ResolvedEnvironment>? awsEnvironment, CloudSweepResult? azure, CloudSweepResult? gcp)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (aws is not null) { ArgumentNullException.ThrowIfNull(awsEnvironment); }
        var rows = new List<SweepRow>();
        if (aws is not null)
        {
            var after = aws.Proposals.ToDictionary(p => p.Identity.Id, p => (long)p.GrantedAfter, StringComparer.Ordinal);
            rows.AddRange(aws.Gaps.Select(g => AwsRow(g, awsEnvironment!(g.Identity.Scope), after.TryGetValue(g.Identity.Id, out var a) ? a : g.Granted)));
        }
        foreach (var cloud in new[] { azure, gcp }.OfType<CloudSweepResult>())
        {
            rows.AddRange(cloud.Identities.Select(i => new SweepRow(cloud.Provider, i.Gap.Identity.Id, i.Gap.Identity.Name, i.Gap.Identity.Kind,
                i.Environment, i.Gap.Category, i.Gap.PrivilegeAdministrator, i.Gap.IsAdministrator && !i.Gap.AdminActionUsed, i.Gap.Inactive,
                i.Gap.Granted, i.Gap.Used, i.GrantedAfter)));
        }
        var environments = EnvironmentResolver.ReviewOrder.Concat(rows.Select(r => r.Environment.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal).ToList();
        var matrix = KindOrder.SelectMany(k => environments.Select(e => new SweepMatrixCell(k, e, Slice($"{k}/{e}", rows.Where(r => r.KindGroup == k && r.Environment.Name == e)))))
            .Where(c => c.Slice.Identities > 0);
        return new EstateSweepResult(
            asOf, options.WindowDays, options.LookbackDays, aws, azure, gcp, [.. rows],
            Slice("all", rows),
            [.. ProviderOrder.Select(p => Slice($"provider:{p}", rows.Where(r => r.Provider == p))).Where(s => s.Identities > 0)],
            [.. KindOrder.Select(k => Slice($"kind:{k}", rows.Where(r => r.KindGroup == k))).Where(s => s.Identities > 0)],
            [.. environments.Select(e => Slice($"env:{e}", rows.Where(r => r.Environment.Name == e))).Where(s => s.Identities > 0)],
            [.. matrix]);
    }

    /// <summary>The row of an AWS identity.</summary>
    public static SweepRow AwsRow(IdentityGap gap, ResolvedEnvironment environment, long grantedAfter)
    {
        ArgumentNullException.ThrowIfNull(gap);
        return new SweepRow("aws", gap.Identity.Id, gap.Identity.Name, gap.Identity.Kind, environment, gap.Category,
            gap.PrivilegeAdministrator, gap.IsAdministrator && !gap.AdminActionUsed, gap.Inactive, gap.Granted, gap.Used, grantedAfter);
    }

    /// <summary>Counts the rows of one slice.</summary>
    public static SweepSlice Slice(string name, IEnumerable<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = 0, service = 0, admins = 0, unusedAdmins = 0, inactive = 0, canBecome = 0, privilege = 0;
        long granted = 0, used = 0, remaining = 0;
        foreach (var r in rows)
        {
            n++;
            if (r.KindGroup == "service") { service++; }
            if (r.IsAdministrator) { admins++; }
            if (r.Category == AdminCategory.CanBecomeAdministrator) { canBecome++; }
            if (r.PrivilegeAdministrator) { privilege++; }
            if (r.UnusedAdministrator) { unusedAdmins++; }
            if (r.Inactive) { inactive++; }
            granted += r.Granted;
            used += r.Used;
            remaining += r.GrantedAfter;
        }
        return new SweepSlice(name, n, service, admins, unusedAdmins, inactive, granted, used, remaining)
        {
            CanBecomeAdministrators = canBecome,
            PrivilegeAdministrators = privilege,
        };
    }
}
