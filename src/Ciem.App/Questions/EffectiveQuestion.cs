using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;

namespace Ciem.App.Questions;

/// <summary>The effective access of one identity of any provider, or why there is none (lowercase, values in backticks).</summary>
public sealed record EffectiveAnswer(EffectiveAccess? Access, string? Error);

/// <summary>
/// What one identity can effectively do, with the statement, role assignment or binding behind each permission: the
/// question `ciem effective` answers, asked by provider and id (an AWS ARN, an Azure object id, a GCP member) over a
/// session's current estate. Hosts that list many identities read the metric's measurements instead.
/// </summary>
public static class EffectiveQuestion
{
    public static EffectiveAnswer Ask(CiemSession session, string provider, string id, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(id);
        switch (provider)
        {
            case Provider.AwsName:
            {
                var loaded = session.Aws;
                if (loaded.Value is not { } estate) { return new(null, loaded.Error); }
                var found = estate.Find(id);
                if (found.Length != 1)
                {
                    return new(null, found.IsEmpty ? $"no AWS identity `{id}` in the current estate" : $"`{id}` is ambiguous: {found.Length} identities match");
                }
                var permissions = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default, asOf).Compute(found[0]);
                return new(AwsEffectivePermissionCalculator.ToEffectiveAccess(permissions), null);
            }
            case Provider.AzureName:
            {
                var loaded = session.Azure;
                if (loaded.Value is not { } inventory) { return new(null, loaded.Error); }
                var estate = inventory.ToEstate();
                var access = AzureEffectiveAccess.Compute(AzureEffectiveAccess.IdentityOf(id, null, estate), estate, AzureOperationCatalog.Default).Access;
                return access.Grants.IsEmpty && access.Indeterminate.IsEmpty
                    ? new(null, $"no Azure principal `{id}` holds a role in the current estate")
                    : new(access, null);
            }
            case Provider.GcpName:
            {
                var loaded = session.Gcp;
                if (loaded.Value is not { } inventory) { return new(null, loaded.Error); }
                var access = GcpEffectiveAccess.Compute(GcpPolicySet.Create(inventory), id);
                return access.Grants.IsEmpty && access.Indeterminate.IsEmpty
                    ? new(null, $"no GCP member `{id}` holds a role in the current inventory")
                    : new(access, null);
            }
            default:
                return new(null, $"unknown provider `{provider}`: use aws, azure or gcp");
        }
    }

    /// <summary>The JSON of `ciem effective --format json` (Azure and GCP; AWS adds its attack-path fields) and of the server's API.</summary>
    public static object Json(EffectiveAccess a, IEnumerable<PermissionGrant> grants, object? extra = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(grants);
        return new
        {
            provider = a.Identity.Provider,
            identity = a.Identity.Id,
            name = a.Identity.Name,
            kind = IdentityKindNames.Of(a.Identity.Kind),
            account = a.Identity.Scope,
            granted = a.GrantedCount,
            admin = a.IsAdministrator,
            indeterminate = a.Indeterminate,
            permissions = grants.Select(g => new { action = g.Permission, accessLevel = g.AccessLevel, resources = g.Scope, condition = g.Condition, grantedBy = g.Sources, limitedBy = g.LimitedBy }),
            extra,
            diagnostics = a.Diagnostics.Select(d => d.ToString()),
        };
    }
}
