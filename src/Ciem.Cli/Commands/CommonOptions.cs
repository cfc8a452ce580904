using System.CommandLine;
using Spectre.Console;

namespace Ciem.Cli.Commands;

public static class CommonOptions
{
    public static Option<string> Format(string defaultValue = "text")
    {
        var o = new Option<string>("--format", "-f") { Description = "output format: `text` for people, `json` for machines", DefaultValueFactory = _ => defaultValue };
        o.AcceptOnlyFromAmong("text", "json");
        return o;
    }

    /// <summary>`--format` with `csv` besides text and JSON, for tables meant for spreadsheets.</summary>
    public static Option<string> FormatWithCsv()
    {
        var o = new Option<string>("--format", "-f") { Description = "output format: `text` for people, `json` for machines, `csv` for spreadsheets (every row, no --top cut)", DefaultValueFactory = _ => "text" };
        o.AcceptOnlyFromAmong("text", "json", "csv");
        return o;
    }

    public static Option<string?> Database() => new("--db") { Description = "the store: a SQLite file, `postgres://user@host:port/database` or `Host=…;Database=…` (default: $CIEM_DB or ~/.local/share/ciem/ciem.db)" };

    /// <summary>`--top N`: how many rows a ranked table shows; see <see cref="All"/> and <see cref="WriteCut"/>.</summary>
    public static Option<int> Top(int defaultValue, string what)
    {
        var o = new Option<int>("--top") { Description = $"show the first N {what} (default {defaultValue}; --all for every one)", DefaultValueFactory = _ => defaultValue };
        o.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) { r.AddError($"`--top` must be at least 1, not `{r.GetValueOrDefault<int>()}`"); }
        });
        return o;
    }

    /// <summary>`--context KEY=VALUE` (`-c`) of the questions: a request context key (repeat the key for a multi-valued key).</summary>
    public static Option<string[]> Context() => new("--context", "-c")
    {
        Description = "a request context key, KEY=VALUE (repeat the key for a multi-valued key)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>`--all`: every row of a ranked table, whatever `--top` says.</summary>
    public static Option<bool> All() => new("--all") { Description = "show every row (no --top cut)" };

    /// <summary>The rows to show: <paramref name="top"/>, or all of them with `--all`.</summary>
    public static int Limit(int top, bool all) => all ? int.MaxValue : top;

    /// <summary>Says what a table left out, so a cut list is never read as the whole: "showing 50 of 3,412 identities (…)".</summary>
    public static void WriteCut(CliHost host, int shown, int total, string what)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (shown < total) { host.Console.WriteLine($"showing {shown:N0} of {total:N0} {what} (`--top N` for more, `--all` for every one)"); }
    }

    /// <summary>A `yyyy-MM-dd` day, or null after a located error.</summary>
    public static DateOnly? ParseDay(CliHost host, string option, string? text)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)) { return day; }
        host.Error.WriteLine($"error {Ciem.Core.Diagnostics.DiagnosticCodes.MetricsBadOption}: {option} `{text}` is not a day: use yyyy-MM-dd");
        return null;
    }
}
