using Ciem.Core.Model;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ciem.App;
using Ciem.Cli.Reports;
using Ciem.Core.Risk;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem identities --risk`: AWS identities ranked by risk, every factor and its fixed points shown.</summary>
public static class IdentitiesRisk
{
    public static int Run(CliHost host, string? account, string? db, string format, int top)
    {
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return ExitCodes.Failure; }
        var ranked = EstatePaths.Risk(estate, host.Clock.GetUtcNow(), account);
        var exposed = EstatePaths.ResourceExposures(estate, account);
        if (format == "json")
        {
            CliJson.Write(host, "identities-risk", new
            {
                points = RiskFactors.All.Select(f => new { factor = f.Id, points = f.Points, meaning = f.Meaning }),
                identities = ranked.Select(r => new
                {
                    identity = r.Identity.Identity.Id,
                    account = r.Identity.Identity.Scope,
                    kind = IdentityKindNames.Of(r.Identity.Identity.Kind),
                    score = r.Score,
                    factors = r.Factors.Select(f => new { factor = f.Id, points = f.Points, detail = f.Detail }),
                    pathToAdministrator = r.PathToAdministrator is { } p ? AttackPathRendering.Json(p) : null,
                }),
                resources = exposed.Select(e => new
                {
                    resource = e.Resource,
                    service = e.Service,
                    factor = e.Factor,
                    points = e.Points,
                    detail = e.Detail,
                    indeterminate = e.Indeterminate,
                }),
            });
            return ExitCodes.Ok;
        }
        if (format == "csv")
        {
            var csv = new StringBuilder("identity,account,kind,score,factors\n");
            foreach (var r in ranked)
            {
                csv.Append(Csv(r.Identity.Identity.Id)).Append(',').Append(r.Identity.Identity.Scope).Append(',')
                    .Append(IdentityKindNames.Of(r.Identity.Identity.Kind)).Append(',')
                    .Append(r.Score.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(Csv(string.Join("; ", r.Factors.Select(f => $"{f.Id} +{f.Points}: {f.Detail}")))).Append('\n');
            }
            foreach (var e in exposed)
            {
                // A resource row: the account is the one its ARN names (none for an S3 bucket).
                csv.Append(Csv(e.Resource)).Append(',').Append(Core.Aws.Gate.ResourcePolicyRules.AccountOf(e.Resource)
                    ?? "").Append(",resource,")
                    .Append(e.Points.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(Csv($"{e.Factor} +{e.Points}: {e.Detail}")).Append('\n');
            }
            host.Out.Write(csv.ToString());
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("identity", "account", "score", "factors (points)");
        table.Columns[2].RightAligned();
        foreach (var r in ranked.Where(r => r.Score > 0).Take(top))
        {
            table.AddRow(Markup.Escape(r.Identity.Identity.Name), r.Identity.Identity.Scope, r.Score.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(string.Join("\n", r.Factors.Select(f => $"+{f.Points} {f.Id}: {f.Detail}"))));
        }
        host.Console.Write(table);
        CommonOptions.WriteCut(host, Math.Min(top, ranked.Count(r => r.Score > 0)), ranked.Count(r => r.Score > 0),
            "identities with a risk factor, highest score first");
        if (exposed.Count > 0)
        {
            var resources = new Table().AddColumns("resource", "points", "exposure");
            resources.Columns[1].RightAligned();
            foreach (var e in exposed.Take(top))
            {
                resources.AddRow(Markup.Escape(e.Resource), e.Points.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape($"{e.Factor}{(e.Indeterminate ? " (indeterminate)" : "")}: {e.Detail}"));
            }
            host.Console.Write(resources);
            host.Console.WriteLine(
                $"{exposed.Count} resource polic{(exposed.Count == 1 ? "y lets" : "ies let")} anyone or an outside account in");
        }
        host.Console.WriteLine($"{ranked.Count(r => r.Score > 0)} of {ranked.Count} identities carry a risk factor; "
            + "the score is the sum of the points: "
            + string.Join(", ", RiskFactors.All.Select(f => $"{f.Id} {f.Points}")));
        return ExitCodes.Ok;
    }

    /// <summary>A CSV field, quoted when needed; a leading formula character is neutralised for spreadsheets.</summary>
    private static string Csv(string value)
    {
        var v = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{v.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : v;
    }
}
