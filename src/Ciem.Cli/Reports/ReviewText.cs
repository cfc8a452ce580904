using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ciem.App.Notify;
using Ciem.App.Reports;
using Ciem.App.Review;
using Ciem.Core.Review;

namespace Ciem.Cli.Reports;

/// <summary>`ciem review` output: readable text (every untrusted value made safe for a terminal) and JSON.</summary>
public static class ReviewText
{
    public static readonly JsonSerializerOptions Json = new(CliJson.Options)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Status(TextWriter o, ReviewCampaignStatus s)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(s);
        o.WriteLine($"campaign `{Safe(s.Id)}` ({Safe(s.Name)}), planned {Stamp(s.PlannedAt)} from the sweep of {Stamp(s.SweepAsOf)}");
        foreach (var b in s.Batches)
        {
            var c = b.Counts;
            var when = b.Deadline is { } d ? $"noticed {Stamp(b.NoticedAt!.Value)}, objections until {Stamp(d)}" : $"notice from {Stamp(b.NotBefore)}";
            o.WriteLine();
            o.WriteLine($"batch {b.Number} · {Safe(b.Stage)} · {c.Identities} identities · {when}");
            o.WriteLine($"  {States(c)}; reduced {c.Reduced}, {c.GrantedRemoved} of {c.GrantedBefore} permissions removed ({Pct(c.ReductionPercent)})");
            foreach (var i in b.Items)
            {
                o.WriteLine($"  {ReviewNames.Of(i.State),-11} {Safe(i.Provider),-5} {Safe(i.Name)} ({Safe(i.Scope)}): {i.GrantedBefore} → {i.GrantedAfter}, " +
                    $"owner {Safe(i.Owner)} [{i.OwnerSource}]" + (i.Change is { } ch ? $", {ch.Channel} {Safe(ch.PullRequest ?? ch.Location)}" : ""));
            }
        }
        var all = s.Counts;
        o.WriteLine();
        o.WriteLine($"overall: {all.Identities} identities, {States(all)}; {all.Reduced} reduced, {all.GrantedRemoved} of {all.GrantedBefore} " +
            $"effective permissions removed ({Pct(all.ReductionPercent)})");
        foreach (var e in s.Exceptions)
        {
            o.WriteLine($"exception: {Safe(e.Identity)} keeps {Safe(string.Join(", ", e.Actions))} until {(e.Until is { } u ? Stamp(u) : "no end")} ({Safe(e.Reason)}, by {Safe(e.By)})");
        }
        Apart(o, "excluded", s.SetAside.Excluded);
        Apart(o, "unverified", s.SetAside.Unverified);
        Apart(o, "programme-admin queue", s.SetAside.AdminQueue);
    }

    public static void Notify(TextWriter o, ReviewNotifyOutcome n)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(n);
        o.WriteLine(n.NoticedBatches.IsEmpty ? "no batch due for notice" : $"noticed batch(es) {string.Join(", ", n.NoticedBatches)}");
        if (!n.Expired.IsEmpty) { o.WriteLine($"expired: {Safe(string.Join(", ", n.Expired))}"); }
        foreach (var d in n.Deliveries.Outcomes)
        {
            var what = d.Status switch
            {
                DeliveryStatus.Sent => $"sent ({Safe(d.Detail ?? "")})",
                DeliveryStatus.AlreadySent => "already sent",
                _ => $"failed after {d.Attempts} attempt(s): {Safe(d.Error ?? "")} (kept for retry)",
            };
            o.WriteLine($"  {Safe(d.Channel)}: {Safe(d.Subject)} — {what}");
        }
        o.WriteLine($"{n.Deliveries.Sent} sent, {n.Deliveries.AlreadySent} already sent, {n.Deliveries.Failed} failed");
    }

    public static void Log(TextWriter o, ReviewLog log, bool verify)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(log);
        foreach (var r in log.Rows)
        {
            o.WriteLine($"{r.Sequence,4} {Stamp(r.At)} {Safe(r.Actor)} {r.Action} {Safe(r.Subject)}" +
                (r.ToState is null ? "" : $" {r.FromState ?? "-"} → {r.ToState}") + $": {Safe(r.Reason)}");
        }
        if (!verify) { return; }
        if (log.Intact) { o.WriteLine($"decision log intact: {log.Rows.Length} rows, last hash {log.Rows.LastOrDefault()?.Hash ?? "-"}"); }
        foreach (var b in log.Breaks) { o.WriteLine($"error CIEM6720: {b.Reason}"); }
    }

    /// <summary>Control characters (escape sequences, new lines) shown as `\uXXXX`, so a name cannot drive the terminal.</summary>
    public static string Safe(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(char.IsControl)) { return value; }
        var sb = new StringBuilder(value.Length + 8);
        foreach (var ch in value)
        {
            if (char.IsControl(ch)) { sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}"); }
            else { sb.Append(ch); }
        }
        return sb.ToString();
    }

    private static void Apart(TextWriter o, string title, System.Collections.Immutable.ImmutableArray<ReviewSetAsideItem> items)
    {
        if (items.IsEmpty) { return; }
        o.WriteLine($"{title}: {items.Length}");
        foreach (var a in items) { o.WriteLine($"  {Safe(a.Provider)} {Safe(a.Name)} ({Safe(a.Scope)}): {Safe(a.Reason)}"); }
    }

    private static string States(ReviewOutcomeCounts c) =>
        string.Join(", ", Enum.GetValues<ReviewState>().Select(ReviewNames.Of).Where(c.States.ContainsKey).Select(s => $"{c.States[s]} {s}"));

    private static string Pct(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " %";

    public static string Stamp(DateTimeOffset t) => ReportFormat.Stamp(t);
}
