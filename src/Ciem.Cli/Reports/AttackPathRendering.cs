using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Paths;
using Spectre.Console;

namespace Ciem.Cli.Reports;

/// <summary>Attack paths as JSON objects and as text, each step with the engine's deciding statements (as `ciem can`).</summary>
public static class AttackPathRendering
{
    public static string CertaintyName(EdgeCertainty c) => c switch
    {
        EdgeCertainty.Certain => "certain",
        EdgeCertainty.NeedsResource => "possible if the resource exists",
        _ => "indeterminate",
    };

    public static string CategoryName(AdminCategory c) => c switch
    {
        AdminCategory.Administrator => "administrator",
        AdminCategory.CanBecomeAdministrator => "can-become-administrator",
        AdminCategory.PrivilegeAdministrator => "privilege-administrator",
        _ => "none",
    };

    public static object Json(AttackPath p) => new
    {
        source = p.Source,
        goal = p.Goal,
        account = p.Account,
        certainty = CertaintyName(p.Certainty),
        hops = AttackPaths.CountedHops(p),
        steps = p.Steps.Select(s => new
        {
            from = s.From,
            to = s.To,
            technique = s.Technique.Id,
            title = s.Technique.Title,
            certainty = CertaintyName(s.Certainty),
            needs = s.Certainty == EdgeCertainty.NeedsResource ? s.Technique.Needs : null,
            via = s.Via,
            checks = s.Checks.Select(Json),
        }),
    };

    public static object Json(PathCheck c) => new
    {
        action = c.Action,
        resource = c.Resource,
        decision = c.Decision.ToString(),
        blockedBy = c.BlockedBy is { } b ? SimulationWriter.LayerName(b) : null,
        statements = c.Statements.Select(s => new { policy = s.Policy, layer = SimulationWriter.LayerName(s.Layer), statement = s.Statement, sid = s.Sid, effect = s.Effect.ToString() }),
        note = c.Note,
    };

    /// <summary>One path: a header line, then each step with its checks and the statements that decide them.</summary>
    public static void Write(IAnsiConsole console, AttackPath p, string label)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(p);
        var colour = p.Certainty switch { EdgeCertainty.Certain => "red", EdgeCertainty.NeedsResource => "yellow", _ => "yellow" };
        console.MarkupLine($"[bold]{Markup.Escape(label)}[/] ([{colour}]{CertaintyName(p.Certainty)}[/], {AttackPaths.CountedHops(p)} hop(s)) → {Markup.Escape(p.Goal)}");
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
