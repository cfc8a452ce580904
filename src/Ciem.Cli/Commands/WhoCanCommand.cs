using System.CommandLine;
using System.Globalization;
using Ciem.App.Questions;
using Ciem.App.Reports;
using Ciem.Cli.Reports;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Paths.Clouds;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem who-can ACTION RESOURCE`: every identity allowed (or possibly allowed) to perform an action on a resource.</summary>
public static class WhoCanCommand
{
    public static Command Create(CliHost host)
    {
        var action = new Argument<string>("action")
        {
            Description = "e.g. s3:GetObject, Microsoft.Compute/virtualMachines/delete, storage.objects.get",
        };
        var resource = new Argument<string>("resource") { Description = "the resource ARN (or *), Azure scope, or GCP resource name" };
        var context = CommonOptions.Context();
        var resourceAccount = new Option<string?>("--resource-account")
        {
            Description = "the account that owns the resource, when its ARN does not say (S3)",
        };
        var provider = Providers.Option("from the action's form");
        var transitive = new Option<bool>("--transitive")
        {
            Description = "also identities that reach the request by becoming another (AWS attack paths, the multi-cloud graph for "
                + "Azure and GCP), with the path",
        };
        var db = CommonOptions.Database();
        var format = CommonOptions.FormatWithCsv();
        var command = new Command("who-can",
            "list the identities that can perform ACTION on RESOURCE, with the statements that allow it") { action, resource, context,
                resourceAccount, provider, transitive, db, format };
        command.SetAction(p => Run(
            host,
            new WhoCanRequest(p.GetValue(action)!, p.GetValue(resource)!, p.GetValue(context) ?? [], p.GetValue(resourceAccount),
                p.GetValue(provider), p.GetValue(transitive)),
            p.GetValue(db),
            p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, WhoCanRequest request, string? db, string format)
    {
        if (format == "csv") { return CsvOutput.ViaJson(host, h => Run(h, request, db, "json")); }
        var result = WhoCanQuestion.Ask(host.Session(db), request, host.Clock.GetUtcNow());
        if (!QuestionOutput.TryAnswer(host, result, out var answer, out var exit)) { return exit; }
        if (format == "json")
        {
            var (name, body) = WhoCanJson.Of(answer, request.Transitive);
            CliJson.Write(host, name, body);
            return ExitCodes.Ok;
        }
        var (action, resource) = (request.Action, answer.Resource);
        if (request.Transitive && answer.Provider is Provider.AzureName or Provider.GcpName)
        {
            WriteCloudTransitive(host, answer, action, resource);
        }
        else if (request.Transitive) { WriteTransitive(host, answer, action, resource); }
        else if (answer.Provider == Provider.AzureName) { WriteAzure(host, answer, action, resource); }
        else if (answer.Provider == Provider.GcpName) { WriteGcp(host, answer, action, resource); }
        else { WriteAws(host, answer, action, resource); }
        return ExitCodes.Ok;
    }

    private static void WriteAws(CliHost host, WhoCanAnswer answer, string action, string resource)
    {
        var hits = answer.Aws;
        var table = new Table().AddColumns("identity", "kind", "account", "decision", "allowed by");
        foreach (var (who, result) in hits)
        {
            var decision = result.Decision == Decision.Allow ? "[green]Allow[/]" : result.IsConditional ? "[yellow]Conditional[/]"
                : "[yellow]Indeterminate[/]";
            var why = result.IsConditional
                ? "when " + string.Join(" and ", result.Conditions.Select(c => c.Describe()))
                : string.Join("; ", result.Statements.Where(s =>
                    s.Layer is AwsLayer.Identity or AwsLayer.Resource).Select(AwsEffectivePermissionCalculator.Describe));
            table.AddRow(Markup.Escape(who.Identity.Name), IdentityKindNames.Of(who.Identity.Kind), Markup.Escape(who.Identity.Scope),
                decision, Markup.Escape(why));
        }
        host.Console.Write(table);
        var conditional = hits.Count(h => h.Result.IsConditional);
        var allowed = hits.Count(h => h.Result.Decision == Decision.Allow);
        var undecided = hits.Count(h => h.Result.Decision == Decision.Indeterminate) - conditional;
        host.Console.WriteLine($"{allowed} of {answer.Asked} identities can {action} on {resource}; "
            + $"{conditional} can under conditions on the request; {undecided} indeterminate");
    }

    /// <summary>`--transitive`: every AWS identity that reaches the request, with the path.</summary>
    private static void WriteTransitive(CliHost host, WhoCanAnswer answer, string action, string resource)
    {
        var hits = answer.AwsPaths;
        var table = new Table().AddColumns("identity", "account", "direct", "hops", "certainty", "path");
        foreach (var (who, direct, path) in hits)
        {
            table.AddRow(Markup.Escape(who.Identity.Name), who.Identity.Scope, direct.Decision.ToString(),
                AttackPaths.CountedHops(path).ToString(CultureInfo.InvariantCulture),
                PathJson.CertaintyName(path.Certainty), Markup.Escape(string.Join(" → ", path.Steps.Select(s =>
                    $"{s.Technique.Id}:{Short(s.To)}"))));
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{hits.Count(h => AttackPaths.CountedHops(h.Path) == 0)} identities can {action} on {resource} directly, "
            + $"{hits.Count(h => AttackPaths.CountedHops(h.Path) > 0)} more through a path "
            + $"(see `ciem paths IDENTITY --to {action} {resource}`)");
    }

    /// <summary>`--transitive` for Azure and GCP: every identity that reaches the request on the multi-cloud graph, with the
    /// path.</summary>
    private static void WriteCloudTransitive(CliHost host, WhoCanAnswer answer, string action, string resource)
    {
        var hits = answer.CloudPaths;
        var table = new Table().AddColumns("identity", "provider", "hops", "certainty", "path");
        foreach (var h in hits)
        {
            var path = h.Path.Steps.IsEmpty ? "allowed directly"
                : string.Join(" → ", h.Path.Steps.Select(s => $"{s.Technique.Id}:{s.To.Name}"))
                    + (h.ViaAdministrator ? " (then any role on the resource)" : "");
            table.AddRow(Markup.Escape($"{h.Identity.Name} ({h.Identity.Id})"), h.Identity.Provider,
                h.Path.Hops.ToString(CultureInfo.InvariantCulture), PathJson.CertaintyName(h.Certainty), Markup.Escape(path));
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{hits.Count(h => h.Path.Steps.IsEmpty)} identities can {action} on {resource} directly, "
            + $"{hits.Count(h => !h.Path.Steps.IsEmpty)} more through a path (see `ciem paths IDENTITY --provider {answer.Provider}`)");
        foreach (var note in answer.NotModelled) { host.Console.WriteLine($"not modelled: {note}"); }
    }

    private static string Short(string id) => id.Contains(":role/", StringComparison.Ordinal) || id.Contains(":user/",
        StringComparison.Ordinal) ? id[(id.LastIndexOf('/') + 1)..] : id;

    private static void WriteAzure(CliHost host, WhoCanAnswer answer, string operation, string scope)
    {
        var hits = answer.Azure;
        var table = new Table().AddColumns("identity", "object id", "type", "decision", "allowed by");
        foreach (var (p, result) in hits)
        {
            table.AddRow(Markup.Escape(p.Name), p.Id, Markup.Escape(p.Type ?? ""), result.Decision == Decision.Allow ? "[green]Allow[/]"
                : "[yellow]Indeterminate[/]",
                Markup.Escape(string.Join("; ", result.Deciding.Select(CloudExplanations.Describe))));
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{hits.Count(h => h.Result.Decision == Decision.Allow)} of {answer.Asked} principals can {operation} "
            + $"on {scope}; "
            + $"{hits.Count(h => h.Result.Decision == Decision.Indeterminate)} indeterminate");
    }

    private static void WriteGcp(CliHost host, WhoCanAnswer answer, string permission, string resource)
    {
        var hits = answer.Gcp;
        var table = new Table().AddColumns("member", "decision", "allowed by");
        foreach (var (member, result) in hits)
        {
            table.AddRow(Markup.Escape(member), result.Decision == Decision.Allow ? "[green]Allow[/]" : "[yellow]Indeterminate[/]",
                Markup.Escape(string.Join("; ", result.Bindings.Select(CloudExplanations.Describe))));
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{hits.Count(h => h.Result.Decision == Decision.Allow)} of {answer.Asked} members can {permission} "
            + $"on {resource}; "
            + $"{hits.Count(h => h.Result.Decision == Decision.Indeterminate)} indeterminate");
    }
}
