using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;

namespace Ciem.App.Questions;

/// <summary>The effective access of one identity of any provider, or why there is none (lowercase, values in backticks).</summary>
public sealed record EffectiveAnswer(EffectiveAccess? Access, string? Error);

/// <summary>
/// A store's current estates prepared once for one-identity questions: the AWS estate resolved, the Azure estate (the
/// engine's view of the inventory) and the GCP policy set, each built when the value is made and shared, read-only, by
/// every later question. <see cref="Ask"/> then computes the one identity asked (by provider and id: an AWS ARN, an Azure
/// object id, a GCP member), never the estate.
/// </summary>
public sealed class EffectiveEstates
{
    private readonly Loaded<AwsEstate> _aws;
    private readonly (AzureEstate? Estate, string? Error) _azure;
    private readonly (GcpPolicySet? Policies, string? Error) _gcp;

    private EffectiveEstates(Loaded<AwsEstate> aws, (AzureEstate?, string?) azure, (GcpPolicySet?, string?) gcp)
    {
        (_aws, _azure, _gcp) = (aws, azure, gcp);
    }

    /// <summary>Reads every provider's current estate from the session and prepares it (the session may be closed after).</summary>
    public static EffectiveEstates Load(CiemSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var azure = session.Azure;
        var gcp = session.Gcp;
        return new EffectiveEstates(session.Aws, (azure.Value?.ToEstate(), azure.Error),
            (gcp.Value is { } inventory ? GcpPolicySet.Create(inventory) : null, gcp.Error));
    }

    /// <summary>What the identity can effectively do, computed for that identity only over the prepared estate.</summary>
    public EffectiveAnswer Ask(string provider, string id, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(id);
        switch (provider)
        {
            case Provider.AwsName:
            {
                if (_aws.Value is not { } estate) { return new(null, _aws.Error); }
                var found = estate.Find(id);
                if (found.Length != 1)
                {
                    return new(null, found.IsEmpty ? $"no AWS identity `{id}` in the current estate"
                        : $"`{id}` is ambiguous: {found.Length} identities match");
                }
                var permissions = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default, asOf).Compute(found[0]);
                return new(AwsEffectivePermissionCalculator.ToEffectiveAccess(permissions), null);
            }
            case Provider.AzureName:
            {
                if (_azure.Estate is not { } estate) { return new(null, _azure.Error); }
                var identity = AzureEffectiveAccess.IdentityOf(id, null, estate);
                var access = AzureEffectiveAccess.Compute(identity, estate, AzureOperationCatalog.Default).Access;
                return access.Grants.IsEmpty && access.Indeterminate.IsEmpty
                    ? new(null, $"no Azure principal `{id}` holds a role in the current estate")
                    : new(access, null);
            }
            case Provider.GcpName:
            {
                if (_gcp.Policies is not { } policies) { return new(null, _gcp.Error); }
                var access = GcpEffectiveAccess.Compute(policies, id);
                return access.Grants.IsEmpty && access.Indeterminate.IsEmpty
                    ? new(null, $"no GCP member `{id}` holds a role in the current inventory")
                    : new(access, null);
            }
            default:
                return new(null, $"unknown provider `{provider}`: use aws, azure or gcp");
        }
    }
}
