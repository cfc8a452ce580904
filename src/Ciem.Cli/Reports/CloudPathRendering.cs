using Ciem.App;
using Ciem.App.Reports;
using Ciem.Core.Paths.Clouds;
using Spectre.Console;

namespace Ciem.Cli.Reports;

/// <summary>Multi-cloud attack paths (Azure, Entra ID, GCP, across clouds) as text (JSON: <see cref="PathJson"/>), each step with
/// what decides it.</summary>
public static class CloudPathRendering
{
    /// <summary>The answer of a successful search (the caller writes errors): JSON, or the standing and each path as text.</summary>
    public static void Write(CliHost host, CloudPathsAnswer answer, int maxHops, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(answer);
        var node = answer.Identity!;
        var standing = answer.Standing!;
        if (format == "json")
        {
            CliJson.Write(host, "paths-cloud", PathJson.CloudPaths(answer, maxHops));
            return;
        }
        host.Console.MarkupLine($"[bold]{Markup.Escape(node.Id)}[/] ({Markup.Escape(node.Provider)}, {Markup.Escape(node.Name)}): "
            + PathJson.CategoryName(standing.Category));
        if (standing.Shortest is not { } shortest)
        {
            host.Console.WriteLine("no path to administrator");
        }
        else
        {
            Write(host.Console, shortest, "shortest");
            var others = answer.Paths.Where(p => !p.Steps.SequenceEqual(shortest.Steps)).ToList();
            for (var i = 0; i < others.Count; i++) { Write(host.Console, others[i], $"path {i + 2}"); }
            host.Console.WriteLine($"{others.Count + 1} path(s) of at most {maxHops} hop(s){(answer.Truncated ? "; more exist (raise --limit)" : "")}");
        }
        foreach (var note in answer.NotModelled) { host.Console.MarkupLine($"[grey]not modelled: {Markup.Escape(note)}[/]"); }
    }

    private static void Write(IAnsiConsole console, CloudPath p, string label)
    {
        var colour = p.Certainty == Core.Paths.EdgeCertainty.Certain ? "red" : "yellow";
        console.MarkupLine($"[bold]{Markup.Escape(label)}[/] ([{colour}]{PathJson.CertaintyName(p.Certainty)}[/], {p.Hops} hop(s)) → "
            + Markup.Escape(p.Goal.Name));
        var n = 1;
        foreach (var s in p.Steps)
        {
            var to = s.To.Kind == CloudNodeKind.Administrator ? s.To.Name : $"{s.To.Name} ({s.To.Provider})";
            var technique = Markup.Escape($"[{s.Technique.Id}, {PathJson.CertaintyName(s.Certainty)}]");
            console.MarkupLine(
                $"  {n++}. {Markup.Escape(s.From.Name)} → {Markup.Escape(to)}: {Markup.Escape(s.Technique.Title)} [grey]{technique}[/]");
            foreach (var e in s.Evidence) { console.MarkupLine($"       {Markup.Escape(e)}"); }
        }
    }
}
