using System.Collections.Immutable;
using Ciem.App.Usage;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Gate;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Sweep;
using Ciem.Import.Iac;
using Ciem.Storage;

namespace Ciem.App.Gate;

/// <summary>
/// The gate's evaluation of one change: the AWS permission deltas, the Azure, GCP and resource-policy part, and every
/// finding (the rules, regrown reductions, new escalation paths) before the rules file's severities and exceptions.
/// </summary>
public sealed record GateEvaluation(ImmutableArray<PermissionDelta> Deltas, CloudGateResult Clouds, ImmutableArray<GateFinding> Findings);

/// <summary>
/// `ciem check`: a change read from a plan, a template, a policy pair or a Terraform folder, evaluated on its own or in
/// the context of the store (the AWS estate, the usage of the last 90 days, the delivered reductions, the Azure and
/// GCP inventories).
/// </summary>
public static class GateEvaluator
{
    /// <param name="store">the store for context, or null to evaluate the change on its own.</param>
    /// <param name="estate">the AWS estate the change applies to (null: none, or not needed).</param>
    public static GateEvaluation Evaluate(IacReadResult input, ICiemStore? store, AwsEstate? estate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var usage = GateUsage.None;
        var reductions = ImmutableArray<DeliveredReduction>.Empty;
        CloudGateResult clouds;
        if (store is not null)
        {
            usage = LoadUsage(store, now);
            clouds = CheckClouds.Evaluate(input.Clouds, store, estate, now);
            reductions = store.LoadReductions();
        }
        else { clouds = CheckClouds.Evaluate(input.Clouds, null, null, now); }
        var calculator = new PermissionDeltaCalculator(AwsActionCatalog.Default, estate);
        var deltas = input.Changes.Select(calculator.Compute).ToImmutableArray();
        var findings = deltas.SelectMany(d => AwsGateRules.Evaluate(d, usage).AddRange(RegrownReductions.Evaluate(d, reductions, AwsActionCatalog.Default))).Concat(clouds.Findings).ToList();
        if (estate is not null) { findings.AddRange(EscalationPathRule.Evaluate(estate, deltas)); }
        return new GateEvaluation(deltas, clouds, [.. findings]);
    }

    /// <summary>Actions each identity used in the last 90 days, by identity name (the last segment of its ARN).</summary>
    private static GateUsage LoadUsage(ICiemStore store, DateTimeOffset asOf)
    {
        var data = UsageAccess.Load(store, asOf, new SweepOptions());
        var byName = data.Window.ToImmutableDictionary(
            kv => kv.Key[(kv.Key.LastIndexOf('/') + 1)..],
            kv => kv.Value.Select(a => a.Action).ToImmutableHashSet(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        return new GateUsage(byName);
    }
}
