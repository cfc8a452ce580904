using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Paths;
using Ciem.Core.Risk;

namespace Ciem.App;

/// <summary>
/// The attack-path workflow every host shares: every identity's effective permissions, the attack graph built once
/// from them with the session a request carries, and the risk ranking on top (docs/attack-paths.md).
/// </summary>
public static class EstatePaths
{
    /// <summary>Every identity's effective permissions, computed in parallel (by estate index).</summary>
    public static IReadOnlyList<AwsEffectivePermissions> EffectiveAll(AwsEstate estate)
    {
        ArgumentNullException.ThrowIfNull(estate);
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        var results = new AwsEffectivePermissions[estate.Identities.Length];
        Parallel.For(0, results.Length, i => results[i] = calculator.Compute(estate.Identities[i]));
        return results;
    }

    /// <summary>The attack graph of an estate and the questions it answers (effective permissions computed when not given).</summary>
    public static AttackPaths Analyse(AwsEstate estate, IReadOnlyList<AwsEffectivePermissions>? effective = null, RequestContext? session = null)
    {
        ArgumentNullException.ThrowIfNull(estate);
        var graph = AttackGraphBuilder.Build(estate, effective ?? EffectiveAll(estate), new AttackGraphOptions { Session = Session(session) });
        return new AttackPaths(graph);
    }

    /// <summary>The MFA session every request carries, with the keys given by the caller in its place.</summary>
    public static RequestContext Session(RequestContext? given)
    {
        if (given is null || given.Count == 0) { return AttackGraphOptions.MfaSession; }
        var keys = given.Entries.Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Saying anything about MFA replaces the default session's MFA keys as a whole.
        var mfa = keys.Any(k => k.StartsWith("aws:MultiFactorAuth", StringComparison.OrdinalIgnoreCase));
        var kept = AttackGraphOptions.MfaSession.Entries.Where(e => !mfa && !keys.Contains(e.Key));
        return RequestContext.Create(kept.Concat(given.Entries));
    }

    /// <summary>
    /// The resources whose own policies let anyone or an outside account in; with <paramref name="account"/>, those whose
    /// ARN names it (an S3 bucket's ARN names no account, so buckets are listed only for the whole estate).
    /// </summary>
    public static IReadOnlyList<ResourceExposure> ResourceExposures(AwsEstate estate, string? account = null) =>
        [.. ResourceExposureScanner.Scan(estate).Where(r => account is null || Core.Aws.Gate.ResourcePolicyRules.AccountOf(r.Resource) == account)];
}
