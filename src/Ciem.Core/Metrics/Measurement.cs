using System.Collections.Immutable;

namespace Ciem.Core.Metrics;

/// <summary>
/// One identity in a dated measurement: where it lives, what it is, and granted versus used in the window. The gap is
/// kept in two parts: <see cref="Unused"/> (the logs would record a use and saw none) and <see cref="Unknown"/> (no
/// log of the window would record a use), so a reduction of the gap is never claimed for permissions nobody can see.
/// </summary>
/// <param name="Account">the AWS account, Azure subscription (or tenant) or GCP project the identity lives in.</param>
/// <param name="Kind">`human`, `service` or `other` (<see cref="MetricKinds"/>).</param>
/// <param name="Pending">delivered reductions of the identity not yet seen applied.</param>
/// <param name="Applied">delivered reductions seen applied.</param>
/// <param name="Regrown">delivered reductions whose removed permissions came back.</param>
/// <param name="OldestCredentialDays">age in days of the oldest active long-lived credential (an access key), when known.</param>
/// <param name="Tags">the identity's tags as `key=value` (for the alert rules' IaC tags).</param>
public sealed record IdentityMeasure(
    string Provider,
    string Account,
    string Identity,
    string Name,
    string Kind,
    string Environment,
    string? Owner,
    bool Administrator,
    bool UnusedAdministrator,
    bool Inactive,
    long Granted,
    long Used,
    long Unused,
    long Unknown,
    int Pending,
    int Applied,
    int Regrown,
    int? OldestCredentialDays = null,
    ImmutableArray<string> Tags = default)
{
    /// <summary>Granted and not seen used: <see cref="Unused"/> plus <see cref="Unknown"/>.</summary>
    public long Gap => Unused + Unknown;
}

/// <summary>What one provider's logs covered for a measurement: accounts swept and days of the window with usage.</summary>
public sealed record MeasuredProvider(string Provider, int Accounts, int Identities, int DaysWithUsage, long Events);

/// <summary>
/// The gap metric of one day: every identity of every provider swept, as the sweep (or a backfill from the store)
/// computed it with the window ending on <see cref="AsOf"/>. One measurement per day: recording a day again replaces it.
/// </summary>
/// <param name="Source">`sweep` or `backfill`.</param>
/// <param name="IsBaseline">the measurement the reduction is counted against (the first, unless one was chosen).</param>
public sealed record Measurement(
    DateOnly Day,
    DateTimeOffset AsOf,
    int WindowDays,
    string Source,
    ImmutableArray<MeasuredProvider> Providers,
    ImmutableArray<IdentityMeasure> Identities,
    bool IsBaseline = false)
{
    public MetricTotals Totals => MetricTotals.Of(Identities);
}

/// <summary>The counts of a set of identities (a slice, or one identity).</summary>
public sealed record MetricTotals(
    int Identities,
    int Administrators,
    int UnusedAdministrators,
    int Inactive,
    long Granted,
    long Used,
    long Unused,
    long Unknown,
    int Pending,
    int Applied,
    int Regrown)
{
    public static readonly MetricTotals Empty = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Granted and not seen used (unused plus unknown).</summary>
    public long Gap => Unused + Unknown;

    /// <summary>The unused part of the gap as a share of what is granted, in percent (one decimal).</summary>
    public double UnusedPercent => Granted == 0 ? 0 : Math.Round(100.0 * Unused / Granted, 1);

    public static MetricTotals Of(IEnumerable<IdentityMeasure> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        int n = 0, admins = 0, unusedAdmins = 0, inactive = 0, pending = 0, applied = 0, regrown = 0;
        long granted = 0, used = 0, unused = 0, unknown = 0;
        foreach (var i in identities)
        {
            n++;
            if (i.Administrator) { admins++; }
            if (i.UnusedAdministrator) { unusedAdmins++; }
            if (i.Inactive) { inactive++; }
            granted += i.Granted;
            used += i.Used;
            unused += i.Unused;
            unknown += i.Unknown;
            pending += i.Pending;
            applied += i.Applied;
            regrown += i.Regrown;
        }
        return new MetricTotals(n, admins, unusedAdmins, inactive, granted, used, unused, unknown, pending, applied, regrown);
    }
}

/// <summary>The kinds the metric counts: the sweep's kind groups, with roles that are neither people nor services as `other`.</summary>
public static class MetricKinds
{
    public const string Human = "human";
    public const string Service = "service";
    public const string Other = "other";

    public static readonly ImmutableArray<string> All = [Human, Service, Other];

    /// <summary>The metric kind of a sweep kind group (`human`, `service`, `role`).</summary>
    public static string OfGroup(string kindGroup) => kindGroup switch
    {
        "human" => Human,
        "service" => Service,
        _ => Other,
    };
}
