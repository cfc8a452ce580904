using System.Collections.Immutable;
using Ciem.App.Questions;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using Ciem.Core.Sweep;

namespace Ciem.App.Identities;

/// <summary>
/// Which identities to list: of one kind (`human`, `service`, `role`, `service-linked`, `sso`), of one AWS account,
/// administrators only, of one environment (`prod`, `preprod`, `dev`, `other`), or service identities with no known owner.
/// </summary>
public sealed record IdentityFilter(
    string? Kind = null, string? Account = null, bool AdminsOnly = false, string? Environment = null, bool NoOwner = false);

/// <summary>The identities of every provider asked, one section each (aws, azure, gcp); listing stops at the first that fails.</summary>
public sealed record IdentityList(ImmutableArray<QuestionResult<ProviderIdentities>> Sections);

/// <summary>
/// One provider's identities: AWS rows (<see cref="Aws"/>) or Azure/GCP rows (<see cref="Cloud"/>); the owners and
/// credentials known of service identities (empty without a directory or service-account import), and a note on
/// what is unknown (no Entra directory to name owners).
/// </summary>
public sealed record ProviderIdentities(
    string Provider,
    ImmutableArray<AwsIdentityRow> Aws,
    ImmutableArray<CloudIdentityRow> Cloud,
    ImmutableDictionary<string, ServiceIdentityOwnership> Owners,
    string? Note = null);

/// <summary>An AWS identity: its effective permissions, its administrator standing on the attack graph, its environment.</summary>
public sealed record AwsIdentityRow(AwsEffectivePermissions Permissions, AdminStanding Standing, string Environment);

/// <summary>
/// An Azure or GCP identity: its effective access (named by the directory first), Azure's eligible roles, its owner, and its
/// administrator standing on the multi-cloud graph (null for what the graph does not hold as an actor: groups, public members).
/// </summary>
public sealed record CloudIdentityRow(EffectiveAccess Access, ImmutableArray<EligibleRole> Eligible, ServiceIdentityOwnership? Owner)
{
    public CloudStanding? Standing { get; init; }

    /// <summary>The engine-decided category; for an identity the graph does not hold, administrator when its grants say so.</summary>
    public AdminCategory Category => Standing?.Category
        ?? (Access.IsAdministrator ? AdminCategory.Administrator : AdminCategory.None);
}

/// <summary>`ciem identities`: every identity of the store's providers with its effective access, filtered.</summary>
public static class IdentityListing
{
    /// <param name="paths">the multi-cloud graph when the caller has built it already (else built for each of Azure and GCP).</param>
    public static QuestionResult<IdentityList> List(CiemSession session, string? provider, IdentityFilter filter, DateTimeOffset asOf,
        CloudAttackPaths? paths = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(filter);
        var log = new QuestionLog();
        if (filter.NoOwner && filter.Kind is not null and not "service")
        {
            return log.Invalid<IdentityList>($"`--no-owner` lists service identities; it cannot be combined with `--kind {filter.Kind}`");
        }
        // AWS alone when the store holds nothing: its section says why.
        ImmutableArray<string> providers = provider is not null ? [provider]
            : session.ProvidersWithData() is { IsEmpty: false } present ? [.. present.Select(p => p.Name)] : [Provider.AwsName];
        var sections = ImmutableArray.CreateBuilder<QuestionResult<ProviderIdentities>>();
        foreach (var p in providers)
        {
            var section = p switch
            {
                Provider.AzureName => Azure(session, filter, asOf, paths),
                Provider.GcpName => Gcp(session, filter, asOf, paths),
                _ => Aws(session, filter),
            };
            sections.Add(section);
            if (section.Problem is not null) { break; }
        }
        return log.Result(new IdentityList(sections.ToImmutable()));
    }

    private static QuestionResult<ProviderIdentities> Aws(CiemSession session, IdentityFilter f)
    {
        var log = new QuestionLog();
        if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<ProviderIdentities>(null); }
        var all = EstatePaths.EffectiveAll(estate);
        var standings = EstatePaths.Analyse(estate, all).Standings.ToDictionary(s => s.Identity.Identity.Id, StringComparer.Ordinal);
        ImmutableArray<AwsIdentityRow> rows = [.. all
            .Select(p => new AwsIdentityRow(p, standings[p.Context.Identity.Id], estate.EnvironmentOf(p.Context.Identity.Scope)))
            .Where(r => f.Kind is null || IdentityKindNames.Of(r.Permissions.Context.Identity.Kind) == f.Kind)
            .Where(r => f.Account is null || r.Permissions.Context.Identity.Scope == f.Account)
            .Where(r => !f.AdminsOnly || r.Standing.Category != AdminCategory.None)
            .Where(r => f.Environment is null || r.Environment == f.Environment)
            .Where(r => !f.NoOwner || (r.Permissions.Context.Identity.Kind is IdentityKind.ServiceIdentity or IdentityKind.Role
                && r.Permissions.Context.Identity.Owner is null))
            .OrderBy(r => r.Permissions.Context.Identity.Scope, StringComparer.Ordinal)
            .ThenBy(r => r.Permissions.Context.Identity.Kind)
            .ThenBy(r => r.Permissions.Context.Identity.Name, StringComparer.OrdinalIgnoreCase)];
        return log.Result(new ProviderIdentities(Provider.AwsName, rows, [], ImmutableDictionary<string, ServiceIdentityOwnership>.Empty));
    }

    private static QuestionResult<ProviderIdentities> Azure(CiemSession session, IdentityFilter f, DateTimeOffset asOf, CloudAttackPaths? paths)
    {
        var log = new QuestionLog();
        if (!log.TryLoad(session.Azure, out var inventory)) { return log.Result<ProviderIdentities>(null); }
        var estate = inventory.ToEstate();
        // The Entra service principals with their owners and credentials; empty without an Entra import.
        var (directories, links) = session.People;
        var owners = directories.Any(d => d.Source == DirectorySource.Entra)
            ? ServiceOwnership.ForEntra(directories, links, asOf)
            : ImmutableDictionary<string, ServiceIdentityOwnership>.Empty;
        var environmentOf = EnvironmentResolver.ForAzurePrincipals(inventory);
        var resolver = IdentityLookup.AzureResolver(session, estate);
        var standings = paths is null ? CloudEstatePaths.Standings(session, Provider.AzureName, asOf)
            : CloudEstatePaths.Standings(paths, Provider.AzureName);
        ImmutableArray<CloudIdentityRow> rows = [.. AzureEffectiveAccess.ComputeAll(estate, AzureOperationCatalog.Default)
            .Where(r => Keep(r.Access, f, owners) && (f.Environment is null || environmentOf(r.Access).Name == f.Environment))
            // Named as every other command names it (the directory first; role assignments may carry only an id).
            .Select(r => new CloudIdentityRow(
                r.Access with { Identity = r.Access.Identity with { Name = NameOf(r.Access.Identity, owners, resolver) } },
                r.Eligible,
                owners.GetValueOrDefault(r.Access.Identity.Id)) { Standing = StandingOf(r.Access, standings) })
            .Where(r => !f.AdminsOnly || r.Category != AdminCategory.None)
            .OrderBy(r => r.Access.Identity.Name, StringComparer.OrdinalIgnoreCase)];
        var note = owners.IsEmpty && (f.NoOwner || f.Kind == "service")
            ? "no Entra directory in the store: owners and credentials are unknown (`ciem import directory entra PATH`)" : null;
        return log.Result(new ProviderIdentities(Provider.AzureName, [], rows, owners, note));
    }

    private static QuestionResult<ProviderIdentities> Gcp(CiemSession session, IdentityFilter f, DateTimeOffset asOf, CloudAttackPaths? paths)
    {
        var log = new QuestionLog();
        if (!log.TryLoad(session.Gcp, out var inventory)) { return log.Result<ProviderIdentities>(null); }
        var policies = GcpPolicySet.Create(inventory);
        // The imported service accounts with their owners (description, name, directory people and groups) and user-managed keys.
        var owners = inventory.ServiceAccounts.IsEmpty
            ? ImmutableDictionary<string, ServiceIdentityOwnership>.Empty
            : ServiceOwnership.ForGcp(
                inventory.ServiceAccounts, inventory.ServiceAccountKeys, session.People.Directories, session.People.Links, asOf);
        var environmentOf = EnvironmentResolver.ForGcpPrincipals(policies);
        var computed = GcpEffectiveAccess.ComputeAll(policies);
        // Service accounts no binding names are still identities to review (and may hold keys).
        var unbound = owners.Keys.Where(m => !computed.Any(a => string.Equals(a.Identity.Id, m, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal).Select(m => GcpEffectiveAccess.Compute(policies, m));
        var standings = paths is null ? CloudEstatePaths.Standings(session, Provider.GcpName, asOf)
            : CloudEstatePaths.Standings(paths, Provider.GcpName);
        ImmutableArray<CloudIdentityRow> rows = [.. computed.Concat(unbound)
            .Where(a => Keep(a, f, owners) && (f.Environment is null || environmentOf(a).Name == f.Environment))
            .OrderBy(a => a.Identity.Scope, StringComparer.Ordinal).ThenBy(a => a.Identity.Id, StringComparer.Ordinal)
            .Select(a => new CloudIdentityRow(a, [], owners.GetValueOrDefault(a.Identity.Id)) { Standing = StandingOf(a, standings) })
            .Where(r => !f.AdminsOnly || r.Category != AdminCategory.None)];
        return log.Result(new ProviderIdentities(Provider.GcpName, [], rows, owners));
    }

    /// <summary>
    /// The identity's standing on the graph (category none for an actor of the graph with no standing); null for an identity
    /// the graph does not hold as an actor (a group, a domain), whose category falls back to its own grants.
    /// </summary>
    private static CloudStanding? StandingOf(EffectiveAccess a, IReadOnlyDictionary<string, CloudStanding> standings) =>
        standings.GetValueOrDefault(a.Identity.Id);

    private static bool Keep(EffectiveAccess a, IdentityFilter f, ImmutableDictionary<string, ServiceIdentityOwnership> owners) =>
        (f.Kind is null || IdentityKindNames.Of(a.Identity.Kind) == f.Kind)
        && (!f.NoOwner || (a.Identity.Kind == IdentityKind.ServiceIdentity
            && !(owners.TryGetValue(a.Identity.Id, out var o) && o.Owner is not null)));

    private static string NameOf(
        Identity identity, IReadOnlyDictionary<string, ServiceIdentityOwnership> owners, IdentityResolver resolver) =>
        owners.TryGetValue(identity.Id, out var o) ? o.Name
        : resolver.NameOf(identity.Id) is var name && name != identity.Id ? name : identity.Name;
}
