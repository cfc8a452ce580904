using System.CommandLine;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Diagnostics;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem aws simulate --input FILE`: evaluates self-contained requests (one JSON object, a JSON array, or JSON Lines).</summary>
public static class SimulateCommand
{
    public static Command Create(CliHost host)
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "a JSON file with one request object, an array of them, or JSON Lines (one per line)", Required = true };
        var format = CommonOptions.Format("json");
        var command = new Command("simulate", "evaluate requests against the policies given with each request and print one JSON result per request")
        {
            input,
            format,
        };
        command.SetAction(parse => Run(host, parse.GetValue(input)!, parse.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, FileInfo input, string format)
    {
        if (!input.Exists)
        {
            host.Error.WriteLine($"error: input file `{input.FullName}` does not exist");
            return ExitCodes.InvalidInput;
        }
        var invalid = 0;
        var results = new List<(int Line, string? Id, EvaluationResult? Result, IReadOnlyList<Diagnostic> Diagnostics)>();
        foreach (var (line, element, parseError) in ReadInputs(input.FullName))
        {
            var location = new SourceLocation(File: input.Name, Line: line);
            if (parseError is not null)
            {
                invalid++;
                var d = Diagnostic.Error(DiagnosticCodes.CliBadInputLine, parseError, location);
                Emit(host, format, results, line, null, null, [d]);
                continue;
            }
            var simulation = SimulationReader.Read(element, location, out var diags);
            if (simulation is null)
            {
                invalid++;
                Emit(host, format, results, line, TryId(element), null, diags);
                continue;
            }
            var result = AwsAuthorizer.Evaluate(simulation.Request, simulation.Policies);
            Emit(host, format, results, line, simulation.Id, result, diags);
        }
        if (format == "text") { RenderTable(host, results); }
        if (invalid > 0)
        {
            host.Error.WriteLine($"{invalid} request(s) could not be read; see the diagnostics above");
            return ExitCodes.InvalidInput;
        }
        return ExitCodes.Ok;
    }

    private static void Emit(CliHost host, string format, List<(int, string?, EvaluationResult?, IReadOnlyList<Diagnostic>)> results, int line, string? id, EvaluationResult? result, IReadOnlyList<Diagnostic> diags)
    {
        if (format == "text")
        {
            results.Add((line, id, result, diags));
            return;
        }
        if (result is null)
        {
            foreach (var d in diags) { host.Error.WriteLine(d.ToString()); }
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms))
            {
                w.WriteStartObject();
                if (id is null) { w.WriteNull("id"); } else { w.WriteString("id", id); }
                w.WriteString("decision", "Error");
                w.WriteNull("blockedBy");
                w.WriteStartArray("statements");
                w.WriteEndArray();
                w.WriteStartArray("diagnostics");
                foreach (var d in diags) { w.WriteStringValue(d.ToString()); }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            host.Out.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
            return;
        }
        using (var ms = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(ms))
            {
                SimulationWriter.Write(w, id, result, diags);
            }
            host.Out.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
        }
    }

    private static void RenderTable(CliHost host, List<(int Line, string? Id, EvaluationResult? Result, IReadOnlyList<Diagnostic> Diagnostics)> results)
    {
        var table = new Table().AddColumns("line", "id", "decision", "blocked by", "statements");
        foreach (var (line, id, result, diags) in results)
        {
            var decision = result?.Decision.ToString() ?? "Error";
            var colour = result?.Decision switch
            {
                Core.Model.Decision.Allow => "green",
                Core.Model.Decision.ExplicitDeny or Core.Model.Decision.ImplicitDeny => "red",
                _ => "yellow",
            };
            var statements = result is null ? string.Join("; ", diags) : string.Join(", ", result.Statements.Select(s => $"{s.Policy}#{s.Statement}{(s.Sid is null ? "" : $" ({s.Sid})")}"));
            table.AddRow(line.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(id ?? ""), $"[{colour}]{decision}[/]", result?.BlockedBy is { } b ? SimulationWriter.LayerName(b) : "", Markup.Escape(statements));
        }
        host.Console.Write(table);
    }

    private static string? TryId(JsonElement e) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>Yields each request with its 1-based line: a whole-file JSON object or array, else JSON Lines.</summary>
    internal static IEnumerable<(int Line, JsonElement Element, string? Error)> ReadInputs(string path)
    {
        var text = File.ReadAllText(path);
        JsonDocument? whole = null;
        try
        {
            whole = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            whole = null;
        }
        if (whole is not null)
        {
            using (whole)
            {
                if (whole.RootElement.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in whole.RootElement.EnumerateArray()) { yield return (1, item.Clone(), null); }
                }
                else
                {
                    yield return (1, whole.RootElement.Clone(), null);
                }
            }
            yield break;
        }
        using var reader = new StringReader(text);
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) { continue; }
            JsonElement element;
            string? error = null;
            try
            {
                using var doc = JsonDocument.Parse(line);
                element = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                element = default;
                error = $"line is not valid JSON: {ex.Message.TrimEnd('.')}";
            }
            yield return (lineNo, element, error);
        }
    }
}
