using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Risk;

/// <summary>
/// A resource whose own policy lets anyone (`public-resource`) or an account outside the organisation and the estate
/// (`cross-account-resource`) in, with the factor's fixed points (<see cref="RiskFactors"/>) and the deciding statement.
/// </summary>
public sealed record ResourceExposure(string Resource, string Service, string Factor, int Points, string Detail, bool Indeterminate);

/// <summary>
/// The resource policies of the estate as they are, read with the gate's own rules on resource policies
/// (<see cref="ResourcePolicyRules"/>): what a change would be reported for when it adds it is reported here when it is
/// already there. A condition the rules cannot read leaves the exposure indeterminate, never dropped.
/// </summary>
public static class ResourceExposureScanner
{
    public static ImmutableArray<ResourceExposure> Scan(AwsEstate estate)
    {
        ArgumentNullException.ThrowIfNull(estate);
        var inventory = estate.Inventory;
        var known = inventory.Accounts.Select(a => a.AccountId).ToHashSet(StringComparer.Ordinal);
        if (inventory.Organization is { } org) { known.UnionWith(org.Accounts.Select(a => a.Id)); }
        var result = ImmutableArray.CreateBuilder<ResourceExposure>();
        foreach (var rp in inventory.ResourcePolicies)
        {
            var location = new SourceLocation(File: rp.Arn, JsonPath: "$");
            // An unreadable policy is reported by the estate's own diagnostics; it exposes nothing it can be read for.
            if (PolicyParser.Parse(rp.Document, rp.Arn, PolicyKind.Resource, location).Document is not { } document) { continue; }
            var change = new ResourcePolicyChange(rp.Service, rp.Arn, null, new GatePolicy(rp.Arn, document, location), location);
            foreach (var f in ResourcePolicyRules.Evaluate(change, known))
            {
                var factor = f.RuleId switch
                {
                    GateRules.NewPublicTrust => "public-resource",
                    GateRules.NewCrossAccountTrust => "cross-account-resource",
                    _ => null,
                };
                if (factor is null) { continue; }
                var detail = f.Message.Replace($"the policy of `{change.Id}` lets", "lets", StringComparison.Ordinal)
                    .Replace(" (not an account of the imported organisation)", "", StringComparison.Ordinal);
                result.Add(new ResourceExposure(rp.Arn, rp.Service, factor, RiskFactors.Points(factor), $"{detail} — {string.Join("; ", f.Evidence)}", f.Indeterminate));
            }
        }
        return [.. result.OrderByDescending(r => r.Points).ThenBy(r => r.Resource, StringComparer.Ordinal)];
    }
}
