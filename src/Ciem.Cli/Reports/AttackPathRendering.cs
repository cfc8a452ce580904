using Ciem.App.Reports;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Paths;
using Spectre.Console;

namespace Ciem.Cli.Reports;

/// <summary>Attack paths as text (JSON: <see cref="PathJson"/>), each step with the engine's deciding statements (as `ciem can`).</summary>
public static class AttackPathRendering
{
    /// <summary>One path: a header line, then each step with its checks and the statements that decide them.</summary>
    public static void Write(IAnsiConsole console, AttackPath p, string label)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(p);
        var colour = p.Certainty switch { EdgeCertainty.Certain => "red", EdgeCertainty.NeedsResource => "yellow", _ => "yellow" };
        console.MarkupLine($"[bold]{Markup.Escape(label)}[/] ([{colour}]{PathJson.CertaintyName(p.Certainty)}[/], "
            + $"{AttackPaths.CountedHops(p)} hop(s)) → {Markup.Escape(p.Goal)}");
        var n = 1;
        foreach (var s in p.Steps)
        {
            var via = s.Via is null ? "" : $" (via {s.Via})";
            var needs = s.Certainty == EdgeCertainty.NeedsResource && s.Technique.Needs is { } what ? $" — needs {what}" : "";
            console.MarkupLine($"  {n++}. {Markup.Escape(s.From)} → {Markup.Escape(s.To)}: {Markup.Escape(s.Technique.Title)}{Markup.Escape(via)}{Markup.Escape(needs)}");
            foreach (var c in s.Checks)
            {
                var d = c.Decision switch { Core.Model.Decision.Allow => "[green]Allow[/]", Core.Model.Decision.Indeterminate => "[yellow]Indeterminate[/]", _ => $"[red]{c.Decision}[/]" };
                console.MarkupLine($"       {d} {Markup.Escape(c.Action)} on {Markup.Escape(c.Resource)}{(c.Note is { } note ? $" — {Markup.Escape(note)}" : "")}");
                foreach (var st in c.Statements)
                {
                    console.MarkupLine($"         {(st.Effect == Core.Aws.Policies.Effect.Allow ? "allows" : "denies")} {LayerNames.Of(st.Layer)}: {Markup.Escape(AwsEffectivePermissionCalculator.Describe(st))}");
                }
            }
        }
    }
}
