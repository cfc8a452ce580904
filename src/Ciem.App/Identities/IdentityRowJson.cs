using Ciem.Core.Directories;
using Ciem.Core.Model;

namespace Ciem.App.Identities;

/// <summary>
/// One row of `ciem identities --format json` for an Azure or GCP identity (AWS rows keep their own shape): grants,
/// eligible (PIM) roles, the owner of a service identity and the age of its credentials.
/// </summary>
public static class IdentityRowJson
{
    public static object Of(EffectiveAccess a, int eligible, ServiceIdentityOwnership? service, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new
        {
            provider = a.Identity.Provider,
            id = a.Identity.Id,
            name = a.Identity.Name,
            kind = IdentityKindNames.Of(a.Identity.Kind),
            account = a.Identity.Scope,
            granted = a.GrantedCount,
            indeterminate = a.Indeterminate.Length,
            admin = a.IsAdministrator,
            eligible,
            owner = service?.Owner?.Owners,
            ownerSource = service?.Owner?.Source,
            credentials = service?.Credentials is { } c ? new
            {
                active = c.Active,
                expired = c.Expired,
                oldestActiveStart = c.OldestActiveStart,
                oldestActiveAgeDays = c.OldestActiveStart is { } s ? (int?)(asOf - s).TotalDays : null,
                nextExpiry = c.NextExpiry,
            } : null,
        };
    }
}
