using System.Collections.Immutable;
using Ciem.App.Identities;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.App.Questions;

/// <summary>
/// `ciem effective`'s answer: the identity's access, the grants shown (those of the asked service), Azure's eligible
/// (PIM) roles, and for AWS the full calculation with its administrator standing and per-service summary.
/// </summary>
public sealed record EffectiveExplanation(
    ResolvedIdentity Identity,
    EffectiveAccess Access,
    ImmutableArray<PermissionGrant> Grants,
    ImmutableArray<EligibleRole> Eligible,
    AwsEffectiveDetail? Aws);

/// <summary>The AWS side of an effective-permission answer: the calculation, the standing on the attack graph, the services.</summary>
public sealed record AwsEffectiveDetail(
    AwsIdentityContext Who, AwsEffectivePermissions Permissions, AdminStanding Standing, ImmutableArray<ServiceSummary> Services);

/// <summary>One service of an AWS identity's grants: distinct actions allowed, of how many, per access level, and where.</summary>
public sealed record ServiceSummary(
    string Service,
    int Allowed,
    int Of,
    int List,
    int Read,
    int Write,
    int PermissionsManagement,
    int Tagging,
    int Conditional,
    ImmutableArray<string> Resources);

/// <summary>
/// What one identity can effectively do, with the statement, role assignment or binding behind each permission: the
/// question `ciem effective` answers over a session's current estate. A host that asks it again and again (the server)
/// prepares the estates once with <see cref="EffectiveEstates"/>; hosts that list many identities read the metric's
/// measurements instead.
/// </summary>
public static class EffectiveQuestion
{
    /// <summary>
    /// What the identity <paramref name="query"/> names (any name form; the provider from its form unless given) can do,
    /// restricted to <paramref name="service"/> when given (`s3`, `Microsoft.Storage`, `storage`; case ignored except GCP).
    /// </summary>
    public static QuestionResult<EffectiveExplanation> Explain(
        CiemSession session, string query, string? service, DateTimeOffset asOf, string? provider = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(query);
        var cloud = provider ?? PrincipalForms.ProviderOfIdentity(query);
        var log = new QuestionLog();
        if (service is not null) { log.CheckService(cloud, service); }
        switch (cloud)
        {
            case Provider.AzureName:
            {
                if (!log.TryLoad(session.Azure, out var inventory)) { return log.Result<EffectiveExplanation>(null); }
                var estate = inventory.ToEstate();
                var who = IdentityLookup.Azure(log, session, estate, query);
                if (who.Answer is not { } principal) { return who.As<EffectiveExplanation>(); }
                var identity = AzureEffectiveAccess.IdentityOf(principal.Id, principal.Type, estate);
                var result = AzureEffectiveAccess.Compute(identity, estate, AzureOperationCatalog.Default);
                var grants = Only(result.Access, service, "/", StringComparison.OrdinalIgnoreCase);
                return log.Result(new EffectiveExplanation(principal, result.Access, grants, result.Eligible, null));
            }
            case Provider.GcpName:
            {
                if (!log.TryLoad(session.Gcp, out var inventory)) { return log.Result<EffectiveExplanation>(null); }
                var member = IdentityLookup.Gcp(query);
                var access = GcpEffectiveAccess.Compute(GcpPolicySet.Create(inventory), member.Id);
                return log.Result(new EffectiveExplanation(member, access, Only(access, service, ".", StringComparison.Ordinal), [], null));
            }
            default:
            {
                if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<EffectiveExplanation>(null); }
                var who = IdentityLookup.Aws(log, estate, query);
                if (who.Answer is not { Aws: { } context } identity) { return who.As<EffectiveExplanation>(); }
                var permissions = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default, asOf).Compute(context);
                var paths = EstatePaths.Analyse(estate, null);
                var access = AwsEffectivePermissionCalculator.ToEffectiveAccess(permissions);
                var grants = Only(access, service, ":", StringComparison.OrdinalIgnoreCase);
                var detail = new AwsEffectiveDetail(context, permissions, paths.Standings[paths.Graph.IndexOf(context)], Services(grants));
                return log.Result(new EffectiveExplanation(identity, access, grants, [], detail));
            }
        }
    }

    private static ImmutableArray<PermissionGrant> Only(
        EffectiveAccess access, string? service, string separator, StringComparison comparison) =>
        [.. access.Grants.Where(g => service is null || g.Permission.StartsWith(service + separator, comparison))];

    /// <summary>The AWS grants per service (prefix before `:`), in service order, counted by distinct action.</summary>
    private static ImmutableArray<ServiceSummary> Services(ImmutableArray<PermissionGrant> grants) =>
    [
        .. grants.GroupBy(g => g.Permission[..g.Permission.IndexOf(':', StringComparison.Ordinal)], StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(svc =>
            {
                var distinct = svc.GroupBy(g => g.Permission, StringComparer.Ordinal).ToList();
                AwsActionCatalog.Default.TryGetService(svc.Key, out var info);
                int Level(string level) => distinct.Count(d => d.First().AccessLevel == level);
                return new ServiceSummary(svc.Key, distinct.Count, info?.Actions.Length ?? 0, Level("List"), Level("Read"), Level("Write"),
                    Level("Permissions management"), Level("Tagging"), distinct.Count(d => d.All(g => g.IsConditional)),
                    [.. svc.Select(g => g.Scope).Distinct(StringComparer.Ordinal)]);
            }),
    ];

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
