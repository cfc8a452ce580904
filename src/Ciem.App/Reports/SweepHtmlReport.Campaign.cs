using System.Globalization;
using Ciem.App.Review;
using Ciem.Core.Review;
using static Ciem.App.Reports.ReportFormat;

namespace Ciem.App.Reports;

/// <summary>The campaign section: the review programme's batches, states, deadlines, objections and changes (docs/review.md).</summary>
public static partial class SweepHtmlReport
{
    private sealed partial class Page
    {
        private static readonly ReviewState[] Changed = [ReviewState.Applied, ReviewState.Verified, ReviewState.Failed, ReviewState.RolledBack];

        private void CampaignSection(ReviewCampaignStatus c)
        {
            Section("campaign", "Review campaign");
            var all = c.Counts;
            _sb.Append("<p class=\"hint\">Campaign <strong data-campaign>").Append(E(c.Id)).Append("</strong> (").Append(E(c.Name)).Append("), planned ")
                .Append(E(ReportFormat.Stamp(c.PlannedAt))).Append(" UTC from the sweep of ").Append(E(ReportFormat.Stamp(c.SweepAsOf))).Append(" UTC: <strong>")
                .Append(N(all.Reduced)).Append("</strong> of ").Append(N(all.Identities)).Append(" identities reduced, <strong>").Append(N(all.GrantedRemoved))
                .Append("</strong> of ").Append(N(all.GrantedBefore)).Append(" effective permissions removed (")
                .Append(all.ReductionPercent.ToString("0.#", CultureInfo.InvariantCulture)).Append(" %).</p>\n");
            _sb.Append("<table class=\"campaign-batches\"><thead><tr><th>batch</th><th>stage</th><th>identities</th><th>states</th><th>noticed</th>")
                .Append("<th>objections until</th><th>reduced</th><th>permissions removed</th></tr></thead><tbody>\n");
            foreach (var b in c.Batches)
            {
                var n = b.Counts;
                _sb.Append("<tr data-batch=\"").Append(b.Number.ToString(CultureInfo.InvariantCulture)).Append("\"><td>").Append(N(b.Number)).Append("</td><td>")
                    .Append(E(b.Stage)).Append("</td><td>").Append(N(n.Identities)).Append("</td><td>")
                    .Append(E(string.Join(", ", n.States.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}")))).Append("</td><td>")
                    .Append(b.NoticedAt is { } at ? E(ReportFormat.Stamp(at)) : "from " + E(ReportFormat.Stamp(b.NotBefore))).Append("</td><td>")
                    .Append(b.Deadline is { } d ? E(ReportFormat.Stamp(d)) : "—").Append("</td><td>").Append(N(n.Reduced)).Append("</td><td>")
                    .Append(N(n.GrantedRemoved)).Append(" of ").Append(N(n.GrantedBefore)).Append("</td></tr>\n");
            }
            _sb.Append("</tbody></table>\n");
            Objections(c);
            ChangedItems(c);
            var apart = c.SetAside;
            _sb.Append("<p class=\"hint\">Set apart: ").Append(N(apart.Excluded.Length)).Append(" excluded by the config, ").Append(N(apart.Unverified.Length))
                .Append(" unverified proposals, ").Append(N(apart.AdminQueue.Length)).Append(" in the programme-admin queue (`ciem review status` lists them).</p>\n");
            _sb.Append("</section>\n");
        }

        private void Objections(ReviewCampaignStatus c)
        {
            _sb.Append("<h3>Objections</h3>\n");
            if (c.Exceptions.IsEmpty)
            {
                _sb.Append("<p class=\"empty\">No owner objected.</p>\n");
                return;
            }
            var names = c.Batches.SelectMany(b => b.Items).ToDictionary(i => i.Identity, i => i.Name, StringComparer.Ordinal);
            _sb.Append("<table class=\"campaign-objections\"><thead><tr><th>identity</th><th>kept</th><th>reason</th><th>until</th><th>by</th><th>when</th></tr></thead><tbody>\n");
            foreach (var x in c.Exceptions.Take(o.MaxRowsPerTable))
            {
                _sb.Append("<tr><td><span class=\"id\" title=\"").Append(E(x.Identity)).Append("\">").Append(E(names.GetValueOrDefault(x.Identity, x.Identity)))
                    .Append("</span></td><td>").Append(E(string.Join(", ", x.Actions))).Append("</td><td>").Append(E(x.Reason)).Append("</td><td>")
                    .Append(x.Until is { } u ? E(ReportFormat.Stamp(u)) : "no end").Append("</td><td>").Append(E(x.By)).Append("</td><td>")
                    .Append(E(ReportFormat.Stamp(x.At))).Append("</td></tr>\n");
            }
            _sb.Append("</tbody></table>\n");
            More(c.Exceptions.Length);
        }

        /// <summary>The identities changed so far: applied, verified, failed or rolled back, the failed and rolled back first.</summary>
        private void ChangedItems(ReviewCampaignStatus c)
        {
            _sb.Append("<h3>Changes</h3>\n");
            var items = c.Batches.SelectMany(b => b.Items).Where(i => Changed.Contains(i.State))
                .OrderBy(i => i.State switch { ReviewState.Failed => 0, ReviewState.RolledBack => 1, ReviewState.Applied => 2, _ => 3 })
                .ThenBy(i => i.Batch).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
            if (items.Count == 0)
            {
                _sb.Append("<p class=\"empty\">Nothing applied yet.</p>\n");
                return;
            }
            _sb.Append("<table class=\"campaign-changes\"><thead><tr><th>batch</th><th>state</th><th>identity</th><th>owner</th><th>granted</th>")
                .Append("<th>change</th></tr></thead><tbody>\n");
            foreach (var i in items.Take(o.MaxRowsPerTable))
            {
                var state = ReviewNames.Of(i.State);
                _sb.Append("<tr data-state=\"").Append(state).Append("\"><td>").Append(N(i.Batch)).Append("</td><td>").Append(state).Append("</td><td><span class=\"id\" title=\"")
                    .Append(E(i.Identity)).Append("\">").Append(E(i.Name)).Append("</span></td><td>").Append(E(i.Owner)).Append("</td><td>").Append(N(i.GrantedBefore))
                    .Append(" → ").Append(N(i.GrantedAfter)).Append("</td><td>")
                    .Append(i.Change is { } ch ? E($"{ch.Channel}: {ch.PullRequest ?? ch.Location}") : "").Append("</td></tr>\n");
            }
            _sb.Append("</tbody></table>\n");
            More(items.Count);
        }

        private void More(int total)
        {
            if (total > o.MaxRowsPerTable)
            {
                _sb.Append("<p class=\"hint\">").Append(N(total - o.MaxRowsPerTable)).Append(" more not shown (`ciem review status --format json`).</p>\n");
            }
        }
    }
}
