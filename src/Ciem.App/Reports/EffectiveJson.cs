using Ciem.App.Questions;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` documents of `ciem effective`: `effective` (AWS: counts, administrator standing and its path, every
/// grant with provenance and limits), `effective-azure` (with the eligible PIM roles) and `effective-gcp`.
/// </summary>
public static class EffectiveJson
{
    /// <summary>The document's name and body for the answer.</summary>
    public static (string Name, object Body) Of(EffectiveExplanation answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Aws is { } aws) { return ("effective", Aws(answer, aws)); }
        var azure = answer.Identity.Provider == Provider.AzureName;
        return (azure ? "effective-azure" : "effective-gcp", EffectiveQuestion.Json(answer.Access, answer.Grants, !azure ? null : new
        {
            eligible = answer.Eligible.Select(e => new
            {
                assignment = e.AssignmentId, role = e.RoleName, scope = e.Scope, viaGroup = e.ViaGroup, start = e.StartDateTime,
                end = e.EndDateTime, operations = e.OperationCount, admin = e.IsAdministrator, condition = e.Condition,
            }),
        }));
    }

    private static object Aws(EffectiveExplanation answer, AwsEffectiveDetail aws)
    {
        var (who, p, standing) = (aws.Who, aws.Permissions, aws.Standing);
        return new
        {
            identity = who.Identity.Id,
            kind = IdentityKindNames.Of(who.Identity.Kind),
            account = who.Identity.Scope,
            granted = p.GrantedCount,
            grantedUnconditionally = p.AllowedUnconditionally.Count,
            admin = standing.Category == AdminCategory.Administrator,
            adminCategory = PathJson.CategoryName(standing.Category),
            pathToAdministrator = standing.PathToAdministrator is { } path ? PathJson.Aws(path) : null,
            grantsAdministratorTo = standing.GrantsAdministratorTo,
            fullAdmin = p.IsFullAdministrator,
            indeterminate = answer.Access.Indeterminate,
            permissions = answer.Grants.Select(g => new
            {
                action = g.Permission, accessLevel = g.AccessLevel, resources = g.Scope, condition = g.Condition, grantedBy = g.Sources,
                limitedBy = g.LimitedBy,
            }),
        };
    }
}
