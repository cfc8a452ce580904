using System.Collections.Immutable;
using Ciem.Core.Directories;
using Ciem.Core.Model;

namespace Ciem.App.People;

/// <summary>One service of a person's rights in one cloud: permissions granted, how many were used, the paths that grant them.</summary>
public sealed record PersonServiceRights(string Cloud, string Service, int Granted, int Used, ImmutableArray<int> Paths);

/// <summary>A person's rights in one cloud grouped by service (`ciem person`'s "rights by service"), services in name order.</summary>
public static class PersonServices
{
    public static ImmutableArray<PersonServiceRights> Of(PersonCloudAccess cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var used = cloud.Usage.Actions.Where(a => a.Granted).Select(a => a.Action).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. cloud.Rights.GroupBy(r => ServiceOf(cloud.Cloud, r.Permission), StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new PersonServiceRights(cloud.Cloud, g.Key, g.Count(), g.Count(r => used.Contains(r.Permission)),
                [.. g.SelectMany(r => r.Paths).Distinct().Order()]))];
    }

    /// <summary>
    /// The service of a permission: `s3` of `s3:GetObject`, `Microsoft.Storage` of `Microsoft.Storage/…`, `storage` of
    /// `storage.objects.get`; the whole permission when it has no separator.
    /// </summary>
    public static string ServiceOf(string cloud, string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var separator = cloud switch { Provider.AwsName => ':', Provider.AzureName => '/', _ => '.' };
        var at = permission.IndexOf(separator, StringComparison.Ordinal);
        return at > 0 ? permission[..at] : permission;
    }
}
