using Ciem.App.Questions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` documents of `ciem paths` (`paths`, `paths-cloud`, `paths-admins`) and the attack-path objects other
/// documents embed (`effective`, `identities`, `who-can-transitive`): each step with the checks and statements that decide it.
/// </summary>
public static class PathJson
{
    public static string CertaintyName(EdgeCertainty c) => c switch
    {
        EdgeCertainty.Certain => "certain",
        EdgeCertainty.NeedsResource => "possible if the resource exists",
        _ => "indeterminate",
    };

    public static string CategoryName(AdminCategory c) => c switch
    {
        AdminCategory.Administrator => "administrator",
        AdminCategory.CanBecomeAdministrator => "can-become-administrator",
        AdminCategory.PrivilegeAdministrator => "privilege-administrator",
        _ => "none",
    };

    /// <summary>An AWS attack path.</summary>
    public static object Aws(AttackPath p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new
        {
            source = p.Source,
            goal = p.Goal,
            account = p.Account,
            certainty = CertaintyName(p.Certainty),
            hops = AttackPaths.CountedHops(p),
            steps = p.Steps.Select(s => new
            {
                from = s.From,
                to = s.To,
                technique = s.Technique.Id,
                title = s.Technique.Title,
                certainty = CertaintyName(s.Certainty),
                needs = s.Certainty == EdgeCertainty.NeedsResource ? s.Technique.Needs : null,
                via = s.Via,
                checks = s.Checks.Select(Check),
            }),
        };
    }

    public static object Check(PathCheck c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new
        {
            action = c.Action,
            resource = c.Resource,
            decision = c.Decision.ToString(),
            blockedBy = c.BlockedBy is { } b ? SimulationWriter.LayerName(b) : null,
            statements = c.Statements.Select(s => new
            {
                policy = s.Policy, layer = SimulationWriter.LayerName(s.Layer), statement = s.Statement, sid = s.Sid,
                effect = s.Effect.ToString(),
            }),
            note = c.Note,
        };
    }

    /// <summary>A multi-cloud attack path (Azure, Entra ID, GCP, across clouds).</summary>
    public static object Cloud(CloudPath p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new
        {
            source = p.Source.Id,
            goal = p.Goal.Name,
            certainty = CertaintyName(p.Certainty),
            hops = p.Hops,
            steps = p.Steps.Select(s => new
            {
                from = s.From.Id,
                fromProvider = s.From.Provider,
                to = s.To.Kind == CloudNodeKind.Administrator ? s.To.Name : s.To.Id,
                toProvider = s.To.Provider,
                technique = s.Technique.Id,
                title = s.Technique.Title,
                certainty = CertaintyName(s.Certainty),
                hops = s.Hops,
                evidence = s.Evidence,
            }),
        };
    }

    /// <summary>The scopes an identity can make others administrators of, each with what decides it (empty when none).</summary>
    public static object[] Grants(CloudStanding? standing) => [.. (standing?.GrantsAt ?? []).Select(g => new
    {
        scope = g.To.Name,
        technique = g.Technique.Id,
        certainty = CertaintyName(g.Certainty),
        evidence = g.Evidence,
    })];

    /// <summary>`paths`: an AWS identity's standing and its paths to the goal.</summary>
    public static object Paths(PathsAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new
        {
            identity = answer.Who.Identity.Id,
            to = answer.Goal,
            maxHops = answer.MaxHops,
            category = CategoryName(answer.Standing.Category),
            grantsAdministratorTo = answer.Standing.GrantsAdministratorTo,
            shortest = answer.Shortest is null ? null : Aws(answer.Shortest),
            paths = answer.Paths.Select(Aws),
            truncated = answer.Truncated,
        };
    }

    /// <summary>`paths-cloud`: a successful multi-cloud search (an identity and its standing were found).</summary>
    public static object CloudPaths(CloudPathsAnswer answer, int maxHops)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var node = answer.Identity!;
        var standing = answer.Standing!;
        return new
        {
            identity = node.Id,
            provider = node.Provider,
            name = node.Name,
            to = "administrator",
            maxHops,
            category = CategoryName(standing.Category),
            shortest = standing.Shortest is null ? null : Cloud(standing.Shortest),
            paths = answer.Paths.Select(Cloud),
            truncated = answer.Truncated,
            notModelled = answer.NotModelled,
        };
    }

    /// <summary>`paths-admins` for Azure and GCP: per subscription or project, administrators, paths and grants apart.</summary>
    public static object CloudAdministrators(CloudAdministratorsAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Scopes.Select(s => new
        {
            provider = s.Scope.Provider,
            account = s.Scope.Scope,
            name = s.Scope.Name,
            administrators = s.Administrators.Where(a => a.Category == AdminCategory.Administrator).Select(a => a.Node.Id),
            throughPaths = s.Administrators.Where(a => a.Category == AdminCategory.CanBecomeAdministrator)
                .Select(a => new { identity = a.Node.Id, provider = a.Node.Provider, path = Cloud(a.Shortest!) }),
            privilegeAdministrators = s.Administrators.Where(a => !a.GrantsAt.IsEmpty)
                .Select(a => new { identity = a.Node.Id, provider = a.Node.Provider, grants = Grants(a) }),
            notModelled = answer.NotModelled,
        });
    }

    /// <summary>`paths-admins` for AWS: per account, administrators and those with a path to one.</summary>
    public static object AwsAdministrators(AdministratorsAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Administrators.GroupBy(r => r.Account).Select(g => new
        {
            account = g.Key,
            administrators = g.Where(r => r.Standing.Category == AdminCategory.Administrator).Select(r =>
                r.Standing.Identity.Identity.Id),
            throughPaths = g.Where(r => r.Standing.Category != AdminCategory.Administrator).Select(r =>
                new { identity = r.Standing.Identity.Identity.Id, path = Aws(r.Standing.PathToAdministrator!) }),
        });
    }
}
