using System.CommandLine;

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
        var o = new Option<string>("--format", "-f") { Description = "output format: `text` for people, `json` for machines, `csv` for spreadsheets (with --risk)", DefaultValueFactory = _ => "text" };
        o.AcceptOnlyFromAmong("text", "json", "csv");
        return o;
    }

    public static Option<string?> Database() => new("--db") { Description = "the store: a SQLite file, `postgres://user@host:port/database` or `Host=…;Database=…` (default: $CIEM_DB or ~/.local/share/ciem/ciem.db)" };
}
