using System.CommandLine;
using System.Text.Json;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem who-can ACTION RESOURCE`: every identity allowed (or possibly allowed) to perform an action on a resource.</summary>
public static class WhoCanCommand
{
    public static Command Create(CliHost host)
    {
        var action = new Argument<string>("action") { Description = "e.g. s3:GetObject, Microsoft.Compute/virtualMachines/delete, storage.objects.get" };
        var resource = new Argument<string>("resource") { Description = "the resource ARN (or *), Azure scope, or GCP resource name" };
        var context = CanCommand.ContextOption();
        var resourceAccount = new Option<string?>("--resource-account") { Description = "the account that owns the resource, when its ARN does not say (S3)" };
        var provider = Providers.Option("from the action's form");
        var transitive = new Option<bool>("--transitive") { Description = "also identities that reach the request by becoming another (AWS attack paths), with the path" };
        var db = CommonOptions.Database();
        var format = CommonOptions.FormatWithCsv();
        var command = new Command("who-can", "list the identities that can perform ACTION on RESOURCE, with the statements that allow it") { action, resource, context, resourceAccount, provider, transitive, db, format };
        command.SetAction(p => Run(host, p.GetValue(action)!, p.GetValue(resource)!, p.GetValue(context) ?? [], p.GetValue(resourceAccount), p.GetValue(db), p.GetValue(format)!, p.GetValue(provider), p.GetValue(transitive)));
        return command;
    }

    public static int Run(CliHost host, string action, string resource, string[] context, string? resourceAccount, string? db, string format, string? provider = null, bool transitive = false)
    {
        if (format == "csv") { return CsvOutput.ViaJson(host, h => Run(h, action, resource, context, resourceAccount, db, "json", provider, transitive)); }
        var cloud = provider ?? Providers.OfPermission(action);
        CanCommand.WarnUnknownPermission(host, cloud, action);
        if (transitive && cloud is Providers.Azure or Providers.Gcp)
        {
            host.Error.WriteLine($"error: `--transitive` follows AWS attack paths; Azure and GCP paths are not modelled yet (action `{action}`)");
            return ExitCodes.InvalidInput;
        }
        switch (cloud)
        {
            case Provider.AzureName: return AzureCommands.WhoCan(host, action, resource, context, db, format);
            case Provider.GcpName: return GcpCommands.WhoCan(host, action, resource, context, db, format);
            default: break;
        }
        if (!CanCommand.TryParseContext(host, context, out var ctx)) { return ExitCodes.InvalidInput; }
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return ExitCodes.Failure; }
        var known = Ciem.App.Questions.ResourceAccounts.Known(estate, resource, out var accounts);
        if (resourceAccount is null && !known)
        {
            // Each caller's own account is not an answer: evaluated that way, every account's identities look local.
            host.Error.WriteLine($"error {Core.Diagnostics.DiagnosticCodes.CliIncompleteQuestion}: `{resource}` does not name the account that owns it, and the answer depends on it "
                + $"(same-account callers need only an identity policy, others also the resource policy): give `--resource-account`, one of {string.Join(", ", accounts.Select(a => $"`{a}`"))}");
            return ExitCodes.InvalidInput;
        }
        resourceAccount ??= accounts.Length == 1 ? accounts[0] : null;
        if (transitive) { return PathsCommand.WhoCanTransitive(host, action, resource, resourceAccount, ctx, db, format); }
        // Keys AWS sends with every request are unknown unless given: access that depends on them is conditional, listed apart.
        ctx = AlwaysSentKeys.Apply(ctx, host.Clock.GetUtcNow());
        var results = new (AwsIdentityContext Who, EvaluationResult Result)[estate.Identities.Length];
        Parallel.For(0, results.Length, i =>
        {
            var who = estate.Identities[i];
            results[i] = (who, CanCommand.Evaluate(estate, who, action, resource, ctx, resourceAccount).Result);
        });
        var hits = results.Where(r => r.Result.Decision is Decision.Allow or Decision.Indeterminate)
            .OrderBy(r => r.Result.Decision).ThenBy(r => r.Result.IsConditional ? 0 : 1).ThenBy(r => r.Who.Identity.Scope, StringComparer.Ordinal).ThenBy(r => r.Who.Identity.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (format == "json")
        {
            CliJson.Write(host, "who-can", hits.Select(h => new
            {
                identity = h.Who.Identity.Id,
                kind = IdentityKindNames.Of(h.Who.Identity.Kind),
                decision = h.Result.Decision.ToString(),
                conditional = h.Result.IsConditional,
                allowedWhen = h.Result.IsConditional ? h.Result.Conditions.Select(c => c.Describe()).ToArray() : [],
                statements = h.Result.Statements.Select(s => new { policy = s.Policy, layer = SimulationWriter.LayerName(s.Layer), statement = s.Statement, sid = s.Sid }),
            }));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("identity", "kind", "account", "decision", "allowed by");
        foreach (var (who, result) in hits)
        {
            var decision = result.Decision == Decision.Allow ? "[green]Allow[/]" : result.IsConditional ? "[yellow]Conditional[/]" : "[yellow]Indeterminate[/]";
            var why = result.IsConditional
                ? "when " + string.Join(" and ", result.Conditions.Select(c => c.Describe()))
                : string.Join("; ", result.Statements.Where(s => s.Layer is AwsLayer.Identity or AwsLayer.Resource).Select(AwsEffectivePermissionCalculator.Describe));
            table.AddRow(Markup.Escape(who.Identity.Name), IdentityKindNames.Of(who.Identity.Kind), Markup.Escape(who.Identity.Scope), decision, Markup.Escape(why));
        }
        host.Console.Write(table);
        var conditional = hits.Count(h => h.Result.IsConditional);
        host.Console.WriteLine($"{hits.Count(h => h.Result.Decision == Decision.Allow)} of {results.Length} identities can {action} on {resource}; "
            + $"{conditional} can under conditions on the request; {hits.Count(h => h.Result.Decision == Decision.Indeterminate) - conditional} indeterminate");
        return ExitCodes.Ok;
    }
}
