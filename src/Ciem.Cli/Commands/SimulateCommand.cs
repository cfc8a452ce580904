using System.CommandLine;
using System.Text;
using System.Text.Json;
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
        var options = new SimulationReadOptions(new CompiledPolicyCache(), resourcePattern == "literal" ? ResourcePatternMode.Literal : ResourcePatternMode.Refuse);
        var results = new List<(long Line, string? Id, EvaluationResult? Result, IReadOnlyList<Diagnostic> Diagnostics)>();
        // Results are written a block at a time: one write per 64 KB rather than one per request.
        var pending = new StringBuilder(1 << 17);
        var chars = new char[4096];
        SimulationStats stats;
        // JSON Lines: the shared envelope first (`{"type":"envelope","schema":"ciem.simulate/1",…}`), then one line per request.
        if (format != "text") { pending.Append(CliJson.Envelope(host, "simulate").HeaderLine()).Append('\n'); }
        using (var stream = new FileStream(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            stats = new SimulationPipeline(options).Run(stream, input.Name, o =>
            {
                if (o.IsInvalid)
                {
                    foreach (var d in o.Diagnostics) { host.Error.WriteLine(d.ToString()); }
                }
                if (format == "text")
                {
                    results.Add((o.Line, o.Id, o.Result, o.Diagnostics));
                    return;
                }
                var length = Encoding.UTF8.GetCharCount(o.Json.Span);
                if (chars.Length < length) { chars = new char[length * 2]; }
                Encoding.UTF8.GetChars(o.Json.Span, chars);
                pending.Append(chars, 0, length).Append('\n');
                if (pending.Length >= 1 << 16)
                {
                    host.Out.Write(pending);
                    pending.Clear();
                }
            });
        }
        host.Out.Write(pending);
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
