using System.Collections.Concurrent;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths.Clouds;

namespace Ciem.Core.Paths;

/// <summary>
/// An identity's administrator standing as every per-identity view shows it (the sweep's rows and slices, the gap, the
/// metrics): the engine-decided <see cref="AdminCategory"/> and whether it can make other principals administrators.
/// </summary>
public readonly record struct AdminFlag(AdminCategory Category, bool PrivilegeAdministrator)
{
    public static readonly AdminFlag None = new(AdminCategory.None, false);

    /// <summary>Administrator (who can always make others administrators too) or nothing.</summary>
    public static AdminFlag Of(bool isAdministrator) => isAdministrator ? new(AdminCategory.Administrator, true) : None;

    /// <summary>Full control of its account, subscription or project, every condition evaluated.</summary>
    public bool IsAdministrator => Category == AdminCategory.Administrator;

    /// <summary>Can become an administrator through a path.</summary>
    public bool CanBecomeAdministrator => Category == AdminCategory.CanBecomeAdministrator;
}

/// <summary>
/// The administrator standings of every identity of an estate, decided on the attack graphs (docs/attack-paths.md): AWS
/// identities on the AWS attack graph, Azure and GCP principals on the multi-cloud graph. Built once per estate and read
/// by identity; an identity the graph does not hold has no standing (<see cref="AdminFlag.None"/>).
/// </summary>
public sealed class AdminStandings
{
    private readonly ConcurrentDictionary<(string Provider, string Id), AdminFlag> _flags = new(KeyComparer.Instance);

    /// <summary>The AWS identities' standings on an AWS attack graph.</summary>
    public static AdminStandings Aws(AttackPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new AdminStandings().AddAws(paths);
    }

    /// <summary>The AWS standings of an estate, its attack graph built from the effective permissions given (the default session).</summary>
    public static AdminStandings Aws(AwsEstate estate, IReadOnlyList<AwsEffectivePermissions> effective)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(effective);
        return Aws(new AttackPaths(AttackGraphBuilder.Build(estate, effective, new AttackGraphOptions())));
    }

    /// <summary>The Azure principals' standings on a graph of the Azure estate alone (no directory, no other cloud).</summary>
    public static AdminStandings Azure(AzureEstate estate, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(estate);
        return new AdminStandings().AddCloud(new CloudAttackPaths(CloudGraphBuilder.Build(new CloudGraphInputs { Azure = estate, AsOf = asOf })),
            Provider.AzureName);
    }

    /// <summary>The GCP members' standings on a graph of the GCP policies alone (no directory, no other cloud).</summary>
    public static AdminStandings Gcp(GcpPolicySet policies, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return new AdminStandings().AddCloud(new CloudAttackPaths(CloudGraphBuilder.Build(new CloudGraphInputs { Gcp = policies, AsOf = asOf })),
            Provider.GcpName);
    }

    /// <summary>Adds the standings of every AWS identity of <paramref name="paths"/>.</summary>
    public AdminStandings AddAws(AttackPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var s in paths.Standings)
        {
            _flags[(Provider.AwsName, s.Identity.Identity.Id)] = new AdminFlag(s.Category, s.IsPrivilegeAdministrator);
        }
        return this;
    }

    /// <summary>Adds the standings of one provider's principals on a multi-cloud graph.</summary>
    public AdminStandings AddCloud(CloudAttackPaths paths, string provider)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(provider);
        foreach (var s in paths.AllStandings(provider, includeNone: true))
        {
            _flags.TryAdd((provider, s.Node.Id), new AdminFlag(s.Category, s.IsPrivilegeAdministrator));
        }
        return this;
    }

    /// <summary>Whether any identity of <paramref name="provider"/> has a standing here.</summary>
    public bool Covers(string provider) => _flags.Keys.Any(k => k.Provider == provider);

    /// <summary>The standing of an identity (AWS ids exactly; Azure and GCP ids without regard to case).</summary>
    public AdminFlag Of(string provider, string id) => _flags.TryGetValue((provider, id), out var flag) ? flag : AdminFlag.None;

    private sealed class KeyComparer : IEqualityComparer<(string Provider, string Id)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((string Provider, string Id) x, (string Provider, string Id) y) =>
            string.Equals(x.Provider, y.Provider, StringComparison.Ordinal)
            && string.Equals(x.Id, y.Id, x.Provider == Provider.AwsName ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Provider, string Id) obj) => HashCode.Combine(obj.Provider, obj.Provider == Provider.AwsName
            ? obj.Id.GetHashCode(StringComparison.Ordinal) : obj.Id.GetHashCode(StringComparison.OrdinalIgnoreCase));
    }
}
