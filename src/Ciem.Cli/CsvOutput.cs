using System.Text;
using System.Text.Json;

namespace Ciem.Cli;

/// <summary>
/// `--format csv` for every list: RFC 4180 (a header row, fields quoted when they hold a comma, a quote or a line
/// break, quotes doubled, CRLF-free `\n` rows). Names come from untrusted exports, so a cell that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'` and shown as text.
/// </summary>
public static class CsvOutput
{
    public static void Write(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var line = new StringBuilder();
        void Emit(IReadOnlyList<string?> cells)
        {
            line.Clear();
            for (var i = 0; i < cells.Count; i++)
            {
                if (i > 0) { line.Append(','); }
                line.Append(Cell(cells[i]));
            }
            output.Write(line.Append('\n').ToString());
        }
        Emit(header);
        foreach (var row in rows) { Emit(row); }
    }

    /// <summary>One field, quoted when needed and never a formula.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) { return ""; }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(value)) { value = "'" + value; }
        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static bool IsNumber(string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// The CSV of a command's JSON list: <paramref name="run"/> writes its JSON (`--format json`) to a buffer; the rows
    /// are the document's array (or the array under <paramref name="property"/>), the columns every scalar property
    /// of the rows in order of appearance, nested objects as `parent.child`, arrays joined with `; `. A command opts in
    /// by offering `CommonOptions.FormatWithCsv()` and calling this with its JSON path: one CSV, same rows as JSON.
    /// </summary>
    public static int ViaJson(CliHost host, Func<CliHost, int> run, string? property = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(run);
        var buffer = new StringWriter();
        var code = run(host.WithOutput(buffer));
        if (code is not (ExitCodes.Ok or ExitCodes.Findings)) { return code; }
        using var doc = JsonDocument.Parse(buffer.ToString());
        var list = doc.RootElement.GetProperty(property ?? Ciem.App.Reports.JsonEnvelope.Items);
        var rows = list.EnumerateArray().Select(Flatten).ToList();
        var header = rows.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).ToList();
        Write(host.Out, header, rows.Select(r => (IReadOnlyList<string?>)[.. header.Select(h => r.GetValueOrDefault(h))]));
        return code;
    }

    private static Dictionary<string, string?> Flatten(JsonElement row)
    {
        var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Add(string name, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in value.EnumerateObject()) { Add(name.Length == 0 ? p.Name : $"{name}.{p.Name}", p.Value); }
                    break;
                case JsonValueKind.Array:
                    cells[name] = string.Join("; ", value.EnumerateArray().Select(Text));
                    break;
                default:
                    cells[name] = Text(value);
                    break;
            }
        }
        Add("", row);
        return cells;
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };
}
