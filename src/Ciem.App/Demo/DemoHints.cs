using System.Globalization;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Ciem.Demo;

namespace Ciem.App.Demo;

/// <summary>The demo's words: the clouds it is asked for, and the commands it suggests next (runnable as printed).</summary>
public static class DemoHints
{
    /// <summary>
    /// What to run next, runnable as printed (no placeholders): `export CIEM_DB` first, so the plain commands of the
    /// README read the demo's store, then a few commands naming a real identity of the estate and, after the story, the
    /// commands that read what its weeks recorded (the trend, the campaign, the alerts, the evidence bundle).
    /// </summary>
    public static IReadOnlyList<string> ExploreHints(string store, DateTimeOffset asOf, EstateSweepResult sweep,
        DemoProgrammeResult? story = null)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var day = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var quoted = ShellQuote(store);
        var lines = new List<string>
        {
            "explore (the demo's store is not the default one: export CIEM_DB first, or add `--db " + quoted + "` to each command):",
            $"  export CIEM_DB={quoted}",
            "  ciem identities",
            $"  ciem gap --as-of {day}",
        };
        if (sweep.Aws is { Proposals: [var one, ..] })
        {
            lines.Add($"  ciem propose {ShellQuote(one.Identity.Id)} --out proposals --as-of {day}");
        }
        if (sweep.Azure is not null) { lines.Add($"  ciem gap --provider azure --as-of {day}"); }
        if (sweep.Gcp is not null) { lines.Add($"  ciem gap --provider gcp --as-of {day}"); }
        if (story is not null)
        {
            var first = story.Weeks[0].AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            lines.Add("  ciem trend --by provider");
            if (story.Campaign is not null) { lines.Add("  ciem review status"); }
            lines.Add("  ciem alerts list");
            lines.Add($"  ciem alerts evaluate --rules {ShellQuote(Path.Combine(story.Folder, "ciem-alerts.yml"))}");
            lines.Add($"  ciem evidence --framework all --from {first} --to {day} --out evidence");
        }
        return lines;
    }

    /// <summary>A word the shell passes as it is: bare when it is plain, else in single quotes.</summary>
    public static string ShellQuote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '@' or '+' or '=' or ',')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>`aws,azure,gcp` (any order, any subset) → the flags; null for an empty list or an unknown name.</summary>
    public static DemoClouds? ParseClouds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clouds = DemoClouds.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            clouds |= part.ToLowerInvariant() switch
            {
                Provider.AwsName => DemoClouds.Aws,
                Provider.AzureName => DemoClouds.Azure,
                Provider.GcpName => DemoClouds.Gcp,
                _ => DemoClouds.All + 1,
            };
        }
        return clouds is DemoClouds.None || (clouds & ~DemoClouds.All) != 0 ? null : clouds;
    }
}
