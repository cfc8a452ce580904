using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;

namespace Ciem.App.Identities;

/// <summary>
/// Which provider a name belongs to by its form, for questions that do not say: an identity (an ARN, an Azure object
/// id, a GCP member or e-mail) or a permission (`s3:GetObject`, `Microsoft.Storage/…`, `storage.objects.get`).
/// </summary>
public static class PrincipalForms
{
    /// <summary>
    /// An ARN (or a bare AWS name) is aws; an object id (GUID) is azure; a GCP member (`user:`, `serviceAccount:`,
    /// `group:`, `principal://`) or an email is gcp.
    /// </summary>
    public static string ProviderOfIdentity(string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.StartsWith("arn:", StringComparison.Ordinal)) { return Provider.AwsName; }
        if (Guid.TryParse(identity, out _)) { return Provider.AzureName; }
        if (identity.StartsWith("user:", StringComparison.Ordinal) || identity.StartsWith("serviceAccount:", StringComparison.Ordinal)
            || identity.StartsWith("group:", StringComparison.Ordinal) || identity.StartsWith("principal", StringComparison.Ordinal)
            || identity.StartsWith("domain:", StringComparison.Ordinal) || identity is "allUsers" or "allAuthenticatedUsers"
            || identity.Contains('@', StringComparison.Ordinal))
        {
            return Provider.GcpName;
        }
        return Provider.AwsName;
    }

    /// <summary>`s3:GetObject` is aws, `Microsoft.Storage/…` (or any `/`) is azure, `storage.objects.get` is gcp.</summary>
    public static string ProviderOfPermission(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        if (permission.Contains(':', StringComparison.Ordinal)) { return Provider.AwsName; }
        if (permission.Contains('/', StringComparison.Ordinal)) { return Provider.AzureName; }
        return Provider.GcpName;
    }

    /// <summary>A GCP member as IAM writes it: `user:` for a bare email, `serviceAccount:` for one in `gserviceaccount.com`.</summary>
    public static string GcpMember(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Contains(':', StringComparison.Ordinal) || !query.Contains('@', StringComparison.Ordinal))
        {
            return GcpMembers.Canonical(query);
        }
        return query.EndsWith(".gserviceaccount.com", StringComparison.OrdinalIgnoreCase) ? "serviceAccount:" + query : "user:" + query;
    }
}
