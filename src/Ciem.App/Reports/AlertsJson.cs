using System.Collections.Immutable;
using Ciem.App.Metrics;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` documents of `ciem alerts` (`ciem.alerts-evaluate/1`: what fired, resolved and was sent;
/// `ciem.alerts-list/1`: every alert with its history).
/// </summary>
public static class AlertsJson
{
    public static object Evaluation(AlertRunResult result, FindingSeverity threshold)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new
        {
            measured = result.Measured is { } d ? TrendTable.Day(d) : null,
            failOn = FindingSeverities.Name(threshold),
            fires = result.FiresAtOrAbove(threshold),
            firing = result.Firing.Select(f => new
            {
                rule = f.Rule, key = f.Key, severity = FindingSeverities.Name(f.Severity), message = f.Message,
                isNew = result.Opened.Any(o => o.Rule == f.Rule && o.Key == f.Key),
            }),
            resolved = result.Resolved.Select(r => new { id = r.Id, rule = r.Rule, key = r.Key }),
            deliveries = result.Deliveries.Select(d => new
            {
                alert = d.AlertId, channel = d.Channel, delivered = d.Delivered, detail = d.Detail,
            }),
        };
    }

    public static object List(ImmutableArray<AlertRecord> alerts) => new
    {
        alerts = alerts.Select(a => new
        {
            id = a.Id, rule = a.Rule, key = a.Key, severity = FindingSeverities.Name(a.Severity), message = a.Message,
            channels = a.Channels,
            firedAt = a.FiredAt, lastSeenAt = a.LastSeenAt, resolvedAt = a.ResolvedAt,
            history = a.History.Select(h => new { at = h.At, kind = h.Kind, channel = h.Channel, detail = h.Detail }),
        }),
    };
}
