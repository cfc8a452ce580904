using System.Globalization;
using System.Text;
using Ciem.App.Reports;
using Ciem.Core.Gate;

namespace Ciem.Cli.Reports;

/// <summary>`ciem check`'s text for the terminal: the principals touched, each finding with its evidence, the verdict.</summary>
public static class CheckText
{
    public static string Text(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{report.Deltas.Length + report.CloudDeltas.Length} principal(s) touched by {report.IamResources} IAM resource(s)\n");
        foreach (var d in report.Deltas)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {d.Change.Id}: +{d.Added.Count} -{d.Removed.Count} actions{(d.BecameAdministrator ? ", becomes administrative" : "")}{(d.After.Indeterminate.IsEmpty ? "" : $", {d.After.Indeterminate.Count} indeterminate")}\n");
        }
        foreach (var d in report.CloudDeltas)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {d.Id}: +{d.Added.Length} -{d.Removed.Length} grants{(d.BecameAdministrator ? ", becomes administrative" : "")}{(d.After.Indeterminate.IsEmpty ? "" : $", {d.After.Indeterminate.Length} indeterminate")}\n");
        }
        sb.Append('\n');
        foreach (var f in report.Ordered)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{FindingSeverities.Name(f.Severity).ToUpperInvariant(),-8} {f.RuleId}  {f.Message}{(f.Indeterminate ? " (indeterminate)" : "")}\n");
            if (f.Location is { } l) { sb.Append(CultureInfo.InvariantCulture, $"         at {l}\n"); }
            foreach (var e in f.Evidence.Take(10)) { sb.Append(CultureInfo.InvariantCulture, $"         - {e}\n"); }
            if (f.Evidence.Length > 10) { sb.Append(CultureInfo.InvariantCulture, $"         - … and {f.Evidence.Length - 10} more\n"); }
        }
        foreach (var (f, e) in report.Outcome.Accepted)
        {
            sb.Append(CultureInfo.InvariantCulture, $"accepted {f.RuleId}  {f.Message} — {e.Reason} (until {e.Expires:yyyy-MM-dd})\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"\n{CheckRenderer.Verdict(report)}\n");
        return sb.ToString();
    }

}
