using System.Text;
using System.Text.Json;
using Ciem.App.Metrics;

namespace Ciem.App.Reports;

/// <summary>
/// `--format csv` for every list: RFC 4180 (a header row, fields quoted when they hold a comma, a quote or a line break, quotes
/// doubled, CRLF-free `\n` rows), each cell through <see cref="CsvText.Field"/> (names come from untrusted exports: a cell a
/// spreadsheet would run as a formula is shown as text). <see cref="FromJson"/> turns a command's JSON list into one.
/// </summary>
public static class CsvTable
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
                line.Append(CsvText.Field(cells[i]));
            }
            output.Write(line.Append('\n').ToString());
        }
        Emit(header);
        foreach (var row in rows) { Emit(row); }
    }

    /// <summary>
    /// The CSV of a JSON list document (`--format json`): the rows are the document's array (or the array under
    /// <paramref name="property"/>), the columns every scalar property of the rows in order of appearance, nested objects as
    /// `parent.child`, arrays joined with `; `: one CSV, same rows as JSON.
    /// </summary>
    public static void FromJson(TextWriter output, string json, string? property = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var doc = JsonDocument.Parse(json);
        var list = doc.RootElement.GetProperty(property ?? JsonEnvelope.Items);
        var rows = list.EnumerateArray().Select(Flatten).ToList();
        var header = rows.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).ToList();
        Write(output, header, rows.Select(r => (IReadOnlyList<string?>)[.. header.Select(h => r.GetValueOrDefault(h))]));
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
