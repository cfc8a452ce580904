using System.Globalization;
using System.Net;
using System.Text;
using Ciem.App.Review;
using Ciem.Core.Review;

namespace Ciem.App.Reports;

/// <summary>The campaign's state as one self-contained HTML page (`ciem review status --report`); every value escaped.</summary>
public static class ReviewHtml
{
    public static string Render(ReviewCampaignStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder();
        var all = s.Counts;
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ciem review ").Append(E(s.Id)).Append("</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}")
            .Append("td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}.s-verified{color:#176117}.s-failed,.s-rolled-back{color:#a11}")
            .Append("</style></head><body>\n");
        sb.Append("<h1>Review campaign ").Append(E(s.Id)).Append("</h1>\n<p>").Append(E(s.Name)).Append(", planned ").Append(ReportFormat.Stamp(s.PlannedAt))
            .Append(" UTC from the sweep of ").Append(ReportFormat.Stamp(s.SweepAsOf)).Append(" UTC.</p>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p><strong>{all.Reduced}</strong> of {all.Identities} identities reduced; ")
            .Append(CultureInfo.InvariantCulture, $"<strong>{all.GrantedRemoved}</strong> of {all.GrantedBefore} effective permissions removed ")
            .Append(CultureInfo.InvariantCulture, $"({all.ReductionPercent.ToString("0.#", CultureInfo.InvariantCulture)} %).</p>\n");
        sb.Append("<table><tr><th>batch</th><th>stage</th><th>identities</th><th>states</th><th>deadline</th><th>reduced</th><th>permissions removed</th></tr>\n");
        foreach (var b in s.Batches)
        {
            var c = b.Counts;
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{b.Number}</td><td>{E(b.Stage)}</td><td>{c.Identities}</td><td>")
                .Append(E(string.Join(", ", c.States.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}"))))
                .Append("</td><td>").Append(b.Deadline is { } d ? ReportFormat.Stamp(d) : "not noticed")
                .Append(CultureInfo.InvariantCulture, $"</td><td>{c.Reduced}</td><td>{c.GrantedRemoved} of {c.GrantedBefore}</td></tr>\n");
        }
        sb.Append("</table>\n<table><tr><th>batch</th><th>state</th><th>provider</th><th>identity</th><th>scope</th><th>owner</th><th>granted</th><th>change</th></tr>\n");
        foreach (var i in s.Batches.SelectMany(b => b.Items))
        {
            var state = ReviewNames.Of(i.State);
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{i.Batch}</td><td class=\"s-{state}\">{state}</td><td>{E(i.Provider)}</td><td title=\"{E(i.Identity)}\">{E(i.Name)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(i.Scope)}</td><td>{E(i.Owner)} ({E(i.OwnerSource)})</td><td>{i.GrantedBefore} → {i.GrantedAfter}</td><td>")
                .Append(i.Change is { } ch ? E($"{ch.Channel}: {ch.PullRequest ?? ch.Location}") : "").Append("</td></tr>\n");
        }
        sb.Append("</table>\n");
        Apart(sb, "Excluded", s.SetAside.Excluded);
        Apart(sb, "Unverified proposals", s.SetAside.Unverified);
        Apart(sb, "Programme-admin queue", s.SetAside.AdminQueue);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void Apart(StringBuilder sb, string title, System.Collections.Immutable.ImmutableArray<ReviewSetAsideItem> items)
    {
        if (items.IsEmpty) { return; }
        sb.Append("<h2>").Append(E(title)).Append("</h2>\n<ul>\n");
        foreach (var a in items) { sb.Append("<li>").Append(E($"{a.Provider} {a.Name} ({a.Scope}): {a.Reason}")).Append("</li>\n"); }
        sb.Append("</ul>\n");
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
