using System.Globalization;
using Ciem.App;
using Ciem.App.Reports;
using Ciem.Core.Risk;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem identities --risk`: the identities of every provider ranked by risk, every factor and its fixed points shown.</summary>
public static class IdentitiesRisk
{
    public static int Run(CliHost host, string? account, string? db, string format, int top, string? provider = null)
    {
        var result = EstateRisk.Rank(host.Session(db), provider, account, host.Clock.GetUtcNow());
        if (!QuestionOutput.TryAnswer(host, result, out var answer, out var exit)) { return exit; }
        var (ranked, exposed) = (answer.Identities, answer.Resources);
        if (format == "json")
        {
            CliJson.Write(host, "identities-risk", IdentitiesJson.Risk(answer));
            return ExitCodes.Ok;
        }
        if (format == "csv")
        {
            host.Out.Write(IdentitiesJson.RiskCsv(answer));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("provider", "identity", "account", "category", "score", "factors (points)");
        table.Columns[4].RightAligned();
        foreach (var r in ranked.Where(r => r.Score > 0).Take(top))
        {
            table.AddRow(r.Provider, Markup.Escape(r.Name), Markup.Escape(r.Scope), PathJson.CategoryName(r.Category)
                + (r.GrantsNeedActivation ? " (on PIM activation)" : ""), r.Score.ToString(CultureInfo.InvariantCulture),
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
        foreach (var note in answer.Notes) { host.Console.WriteLine($"note: {note}"); }
        host.Console.WriteLine($"{ranked.Count(r => r.Score > 0)} of {ranked.Length} identities carry a risk factor; "
            + "the score is the sum of the points: "
            + string.Join(", ", RiskFactors.All.Select(f => $"{f.Id} {f.Points}")));
        return ExitCodes.Ok;
    }
}
