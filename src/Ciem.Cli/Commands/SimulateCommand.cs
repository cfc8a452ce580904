using System.CommandLine;
using System.Text.Json;
using Ciem.App.Questions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Diagnostics;
using Ciem.Import.Simulation;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem aws simulate --input FILE`: evaluates self-contained requests (one JSON object, a JSON array, or JSON Lines).</summary>
public static class SimulateCommand
{
    public static Command Create(CliHost host)
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "a JSON file with one request object, an array of them, or JSON Lines (one per line)", Required = true };
        var pattern = new Option<string>("--resource-pattern")
        {
            Description = "how a request resource with `*` or `?` is read, unless the request says (`resourcePattern`): refuse (default) or literal",
            DefaultValueFactory = _ => "refuse",
        };
        pattern.AcceptOnlyFromAmong("refuse", "literal");
        var format = CommonOptions.Format("json");
        var command = new Command("simulate", "evaluate requests against the policies given with each request and print one JSON result per request")
        {
            input,
            pattern,
            format,
        };
        command.SetAction(parse => Run(host, parse.GetValue(input)!, parse.GetValue(format)!, parse.GetValue(pattern) ?? "refuse"));
        return command;
    }

    public static int Run(CliHost host, FileInfo input, string format, string resourcePattern = "refuse")
    {
        if (!input.Exists)
        {
            host.Error.WriteLine($"error: input file `{input.FullName}` does not exist");
            return ExitCodes.InvalidInput;
        }
        var mode = resourcePattern == "literal" ? ResourcePatternMode.Literal : ResourcePatternMode.Refuse;
        var results = new List<(long Line, string? Id, EvaluationResult? Result, IReadOnlyList<Diagnostic> Diagnostics)>();
        // JSON Lines: the shared envelope first (`{"type":"envelope","schema":"ciem.simulate/1",…}`), then one line per request.
        var json = format != "text";
        var header = json ? CliJson.Envelope(host, "simulate").HeaderLine() : null;
        var stats = SimulationRun.Run(input.FullName, input.Name, mode, header, json ? host.Out : null, o =>
        {
            if (o.IsInvalid)
            {
                foreach (var d in o.Diagnostics) { host.Error.WriteLine(d.ToString()); }
            }
            if (!json) { results.Add((o.Line, o.Id, o.Result, o.Diagnostics)); }
        });
        if (format == "text") { RenderTable(host, results); }
        if (stats.Invalid > 0)
        {
            host.Error.WriteLine($"{stats.Invalid} request(s) could not be read; see the diagnostics above");
            return ExitCodes.InvalidInput;
        }
        return ExitCodes.Ok;
    }

    private static void RenderTable(CliHost host, List<(long Line, string? Id, EvaluationResult? Result, IReadOnlyList<Diagnostic> Diagnostics)> results)
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
}
