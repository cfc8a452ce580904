using Ciem.App.Questions;
using Ciem.Core.Model;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` documents of `ciem gap` (`ciem.gap/1` for AWS, `ciem.cloud-gap/1` for Azure and GCP): per
/// identity granted, used, unused and unknown; with <c>detail</c> (one identity asked) the actions it used.
/// </summary>
public static class GapJson
{
    public static object Aws(AwsGapAnswer answer, bool detail)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new
        {
            asOf = answer.AsOf,
            windowDays = answer.WindowDays,
            identities = answer.Gaps.Select((g, i) => new
            {
                identity = g.Identity.Id,
                kind = IdentityKindNames.Of(g.Identity.Kind),
                granted = g.Granted,
                used = g.Used,
                unused = g.Unused,
                unknown = g.Unknown,
                lastActivity = g.LastActivity,
                lastUsedIam = g.Identity.LastUsed,
                admin = g.IsAdministrator,
                adminCategory = PathJson.CategoryName(g.Category),
                privilegeAdministrator = g.PrivilegeAdministrator,
                adminActionUsed = g.AdminActionUsed,
                unusedServices = g.UnusedServices,
                usedActions = !detail ? null : answer.Used[i].GroupBy(u => u.Action, StringComparer.OrdinalIgnoreCase)
                    .Select(x => new { action = x.Key, count = x.Sum(o => o.Count), lastUsed = x.Max(o => o.LastSeen) }),
            }),
        };
    }

    public static object Cloud(CloudGapAnswer answer, bool detail)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new
        {
            provider = answer.Provider.Name,
            asOf = answer.AsOf,
            windowDays = answer.WindowDays,
            identities = answer.Gaps.Select(g => new
            {
                identity = g.Identity.Id,
                name = g.Identity.Name,
                kind = IdentityKindNames.Of(g.Identity.Kind),
                granted = g.Granted,
                used = g.Used,
                unused = g.Unused,
                unknown = g.Unknown,
                usedNotGranted = g.UsedNotGranted,
                calls = g.Calls,
                lastActivity = g.LastActivity,
                admin = g.IsAdministrator,
                adminCategory = PathJson.CategoryName(g.Category),
                privilegeAdministrator = g.PrivilegeAdministrator,
                adminActionUsed = g.AdminActionUsed,
                usedActions = !detail ? null
                    : g.UsedActions.Select(a => new { action = a.Permission, count = a.Count, lastUsed = a.LastUsed }),
                unknownPermissions = !detail ? null : (IEnumerable<string>)g.UnknownPermissions,
            }),
        };
    }
}
