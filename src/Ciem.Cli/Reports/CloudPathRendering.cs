using System.Text.Json;
using Ciem.App;
using Ciem.Core.Paths.Clouds;
using Spectre.Console;

namespace Ciem.Cli.Reports;

/// <summary>Multi-cloud attack paths (Azure, Entra ID, GCP, across clouds) as JSON and as text, each step with what decides it.</summary>
public static class CloudPathRendering
{
    public static object Json(CloudPath p) => new
    {
        source = p.Source.Id,
        goal = p.Goal.Name,
        certainty = AttackPathRendering.CertaintyName(p.Certainty),
        hops = p.Hops,
        steps = p.Steps.Select(s => new
        {
            from = s.From.Id,
            fromProvider = s.From.Provider,
            to = s.To.Kind == CloudNodeKind.Administrator ? s.To.Name : s.To.Id,
            toProvider = s.To.Provider,
            technique = s.Technique.Id,
            title = s.Technique.Title,
            certainty = AttackPathRendering.CertaintyName(s.Certainty),
            hops = s.Hops,
            evidence = s.Evidence,
        }),
    };

    /// <summary>The scopes an identity can make others administrators of, each with what decides it (empty when none).</summary>
    public static object[] Grants(CloudStanding? standing) => [.. (standing?.GrantsAt ?? []).Select(g => new
    {
        scope = g.To.Name,
        technique = g.Technique.Id,
        certainty = AttackPathRendering.CertaintyName(g.Certainty),
        evidence = g.Evidence,
    })];

    /// <summary>The answer of a successful search (the caller writes errors): JSON, or the standing and each path as text.</summary>
    public static void Write(CliHost host, CloudPathsAnswer answer, int maxHops, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(answer);
        var node = answer.Identity!;
        var standing = answer.Standing!;
        if (format == "json")
        {
            CliJson.Write(host, "paths-cloud", new
            {
                identity = node.Id,
                provider = node.Provider,
                name = node.Name,
                to = "administrator",
                maxHops,
                category = AttackPathRendering.CategoryName(standing.Category),
                shortest = standing.Shortest is null ? null : Json(standing.Shortest),
                paths = answer.Paths.Select(Json),
                truncated = answer.Truncated,
                notModelled = answer.NotModelled,
            });
            return;
        }
        host.Console.MarkupLine($"[bold]{Markup.Escape(node.Id)}[/] ({Markup.Escape(node.Provider)}, {Markup.Escape(node.Name)}): {AttackPathRendering.CategoryName(standing.Category)}");
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
        console.MarkupLine($"[bold]{Markup.Escape(label)}[/] ([{colour}]{AttackPathRendering.CertaintyName(p.Certainty)}[/], {p.Hops} hop(s)) → {Markup.Escape(p.Goal.Name)}");
        var n = 1;
        foreach (var s in p.Steps)
        {
            var to = s.To.Kind == CloudNodeKind.Administrator ? s.To.Name : $"{s.To.Name} ({s.To.Provider})";
            console.MarkupLine($"  {n++}. {Markup.Escape(s.From.Name)} → {Markup.Escape(to)}: {Markup.Escape(s.Technique.Title)} [grey]{Markup.Escape($"[{s.Technique.Id}, {AttackPathRendering.CertaintyName(s.Certainty)}]")}[/]");
            foreach (var e in s.Evidence) { console.MarkupLine($"       {Markup.Escape(e)}"); }
        }
    }
}
