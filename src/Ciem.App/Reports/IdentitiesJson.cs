using System.Globalization;
using System.Text;
using System.Text.Json;
using Ciem.App.Identities;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Risk;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` rows of `ciem identities` (AWS rows with credentials and the administrator path; Azure and GCP rows
/// with the category decided on the multi-cloud graph) and the `identities-risk` document and CSV of `ciem identities --risk`.
/// </summary>
public static class IdentitiesJson
{
    /// <summary>The rows of one provider's section, as of <paramref name="now"/> (key ages).</summary>
    public static IEnumerable<object> Rows(ProviderIdentities identities, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(identities);
        return identities.Provider == Provider.AwsName ? AwsRows(identities, now) : CloudRows(identities, now);
    }

    /// <summary>Azure and GCP rows: the access row, and the engine-decided administrator category on the multi-cloud graph.</summary>
    private static IEnumerable<object> CloudRows(ProviderIdentities identities, DateTimeOffset now) =>
        identities.Cloud.Select(r =>
        {
            var row = JsonSerializer.SerializeToNode(IdentityRowJson.Of(r.Access, r.Eligible.Length, r.Owner, now), ReportJson.Options)!
                .AsObject();
            row["adminCategory"] = PathJson.CategoryName(r.Category);
            row["pathToAdministrator"] = r.Standing is { Category: not AdminCategory.Administrator, Shortest: { } path }
                ? JsonSerializer.SerializeToNode(PathJson.Cloud(path), ReportJson.Options) : null;
            row["grantsAdministratorAt"] = JsonSerializer.SerializeToNode(PathJson.Grants(r.Standing), ReportJson.Options);
            row["privilegeAdministrator"] = r.Standing?.IsPrivilegeAdministrator ?? r.Category == AdminCategory.Administrator;
            return (object)row;
        });

    private static IEnumerable<object> AwsRows(ProviderIdentities identities, DateTimeOffset now) => identities.Aws.Select(r =>
    {
        var (p, standing) = (r.Permissions, r.Standing);
        return (object)new
        {
            id = p.Context.Identity.Id,
            name = p.Context.Identity.Name,
            kind = IdentityKindNames.Of(p.Context.Identity.Kind),
            account = p.Context.Identity.Scope,
            granted = p.GrantedCount,
            grantedUnconditionally = p.AllowedUnconditionally.Count,
            indeterminate = p.Indeterminate.Count,
            admin = standing.Category == AdminCategory.Administrator,
            adminCategory = PathJson.CategoryName(standing.Category),
            pathToAdministrator = standing.PathToAdministrator is { } path ? PathJson.Aws(path) : null,
            grantsAdministratorTo = standing.GrantsAdministratorTo,
            fullAdmin = p.IsFullAdministrator,
            lastUsed = p.Context.Identity.LastUsed,
            environment = r.Environment,
            owner = p.Context.Identity.Owner,
            credentials = p.Context.Identity.Credentials is { } c ? new
            {
                consolePassword = c.ConsolePassword,
                mfa = c.MfaActive,
                activeKeys = c.ActiveKeys,
                oldestActiveKeyCreated = c.OldestActiveKeyCreated,
                oldestActiveKeyAgeDays = c.OldestActiveKeyCreated is { } k ? (int?)(now - k).TotalDays : null,
                lastUsed = c.LastUsed,
                lastUsedService = c.LastUsedService,
            } : null,
        };
    });

    /// <summary>
    /// `identities-risk`: the points of every factor, the identities of every provider ranked (with their engine-decided category
    /// and shortest path), the exposed resources, and what could not be scored.
    /// </summary>
    public static object Risk(RiskAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new
        {
            points = RiskFactors.All.Select(f => new { factor = f.Id, points = f.Points, meaning = f.Meaning }),
            identities = answer.Identities.Select(r => new
            {
                identity = r.Id,
                account = r.Scope,
                kind = r.Kind,
                score = r.Score,
                factors = r.Factors.Select(f => new { factor = f.Id, points = f.Points, detail = f.Detail }),
                pathToAdministrator = r.PathToAdministrator is { } p ? new
                {
                    goal = p.Goal,
                    hops = p.Hops,
                    certainty = PathJson.CertaintyName(p.Certainty),
                    steps = p.Steps.Select(s => new { from = s.From, to = s.To, technique = s.Technique,
                        certainty = PathJson.CertaintyName(s.Certainty) }),
                } : null,
                provider = r.Provider,
                name = r.Name,
                adminCategory = PathJson.CategoryName(r.Category),
                privilegeAdministrator = r.IsPrivilegeAdministrator,
                grantsAdministratorAt = r.GrantsAt,
                grantsNeedActivation = r.GrantsNeedActivation,
            }),
            resources = answer.Resources.Select(e => new
            {
                resource = e.Resource,
                service = e.Service,
                factor = e.Factor,
                points = e.Points,
                detail = e.Detail,
                indeterminate = e.Indeterminate,
            }),
            notes = answer.Notes,
        };
    }

    /// <summary>
    /// `--risk --format csv`: one row per identity (its account, subscription or project), then one per exposed resource (kind
    /// `resource`); the provider and the administrator category last.
    /// </summary>
    public static string RiskCsv(RiskAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var csv = new StringBuilder("identity,account,kind,score,factors,provider,category\n");
        foreach (var r in answer.Identities)
        {
            csv.Append(Csv(r.Id)).Append(',').Append(Csv(r.Scope)).Append(',').Append(Csv(r.Kind)).Append(',')
                .Append(r.Score.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Csv(string.Join("; ", r.Factors.Select(f => $"{f.Id} +{f.Points}: {f.Detail}")))).Append(',')
                .Append(r.Provider).Append(',').Append(PathJson.CategoryName(r.Category)).Append('\n');
        }
        foreach (var e in answer.Resources)
        {
            // A resource row: the account is the one its ARN names (none for an S3 bucket).
            csv.Append(Csv(e.Resource)).Append(',').Append(Core.Aws.Gate.ResourcePolicyRules.AccountOf(e.Resource)
                ?? "").Append(",resource,")
                .Append(e.Points.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Csv($"{e.Factor} +{e.Points}: {e.Detail}")).Append(",aws,\n");
        }
        return csv.ToString();
    }

    /// <summary>A CSV field, quoted when needed; a leading formula character is neutralised for spreadsheets.</summary>
    private static string Csv(string value)
    {
        var v = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{v.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : v;
    }
}
