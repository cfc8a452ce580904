using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App.Questions;
using Ciem.App.Reports;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Azure.Conditions;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Model;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem can IDENTITY ACTION RESOURCE`: one authorization question against the imported estate, explained.</summary>
public static class CanCommand
{
    public static Command Create(CliHost host)
    {
        var identity = new Argument<string>("identity") { Description = "an ARN, a name, or ACCOUNT/NAME; an Azure object id; a GCP member or email" };
        var action = new Argument<string>("action") { Description = "e.g. s3:GetObject, Microsoft.Compute/virtualMachines/delete, storage.objects.get" };
        var resource = new Argument<string>("resource") { Description = "the resource ARN (or * for actions without resources), Azure scope, or GCP resource name" };
        var context = CommonOptions.Context();
        var resourceAccount = new Option<string?>("--resource-account") { Description = "the account that owns the resource, when its ARN does not say (S3)" };
        var provider = Providers.Option("from the identity's form");
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var exitCode = new Option<bool>("--exit-code") { Description = "exit 4 when denied and 5 when indeterminate (0 when allowed), for scripts" };
        var command = new Command("can", "can IDENTITY perform ACTION on RESOURCE? explains which statements allow or deny") { identity, action, resource, context, resourceAccount, provider, db, format, exitCode };
        command.SetAction(p => Run(
            host,
            new CanRequest(p.GetValue(identity)!, p.GetValue(action)!, p.GetValue(resource)!, p.GetValue(context) ?? [],
                p.GetValue(resourceAccount), p.GetValue(provider)),
            p.GetValue(db),
            p.GetValue(format)!,
            p.GetValue(exitCode)));
        return command;
    }

    public static int Run(CliHost host, CanRequest request, string? db, string format, bool exitCode = false)
    {
        var result = CanQuestion.Ask(host.Session(db), request, host.Clock.GetUtcNow());
        if (!QuestionOutput.TryAnswer(host, result, out var answer, out var exit)) { return exit; }
        if (answer.Aws is { } aws) { WriteAws(host, aws, format); }
        else if (answer.Azure is { } azure) { WriteAzure(host, azure, format); }
        else if (answer.Gcp is { } gcp) { WriteGcp(host, gcp, format); }
        // 0, unless `--exit-code` asks for 4 on a deny and 5 on an indeterminate answer.
        return !exitCode ? ExitCodes.Ok : answer.Decision switch
        {
            Decision.Allow => ExitCodes.Ok,
            Decision.Indeterminate => ExitCodes.Indeterminate,
            _ => ExitCodes.Denied,
        };
    }

    private static void WriteAws(CliHost host, AwsCanAnswer a, string format)
    {
        var (who, request, result) = (a.Who, a.Request, a.Result);
        if (format == "json")
        {
            CliJson.Write(host, "can", CanJson.Aws(a));
            return;
        }
        host.Console.MarkupLineInterpolated($"[{Colour(result.Decision)} bold]{result.Decision}[/]: {who.Identity.Id} → {request.Action} on {request.Resource}{(request.IsCrossAccount ? $" (cross-account, resource in {request.ResourceAccount})" : "")}");
        if (result.BlockedBy is { } b) { host.Console.MarkupLineInterpolated($"blocked by: [bold]{Reports.LayerNames.Of(b)}[/]"); }
        if (result.Decision == Decision.ImplicitDeny) { host.Console.WriteLine(ImplicitReason(result.BlockedBy)); }
        if (result.Rule is { } rule) { host.Console.MarkupLineInterpolated($"  rule: [bold]{rule.Id}[/] ({rule.Source})"); }
        if (result.IsConditional)
        {
            host.Console.WriteLine("  allowed when:");
            foreach (var c in result.Conditions) { host.Console.MarkupLineInterpolated($"    {c.Describe()} ({AwsEffectivePermissionCalculator.Describe(c.Statement)})"); }
        }
        foreach (var s in result.Statements)
        {
            var verb = s.Effect == Core.Aws.Policies.Effect.Allow ? "[green]allows[/]" : "[red]denies[/]";
            host.Console.MarkupLine($"  {verb} {Reports.LayerNames.Of(s.Layer)}: {Markup.Escape(AwsEffectivePermissionCalculator.Describe(s))}");
        }
        foreach (var d in result.Diagnostics) { host.Console.MarkupLineInterpolated($"  [yellow]{d.ToString()}[/]"); }
        if (!a.MissingContextKeys.IsEmpty)
        {
            host.Console.MarkupLineInterpolated($"  [yellow]the answer depends on context the question did not give: {string.Join(", ", a.MissingContextKeys)}[/] (set with `--context KEY=VALUE`)");
        }
        if (a.Note is { } note) { host.Error.WriteLine($"note {note.Code}: {note.Message}"); }
    }

    private static void WriteAzure(CliHost host, AzureCanAnswer a, string format)
    {
        var (principal, result) = (a.Principal, a.Result);
        if (format == "json")
        {
            CliJson.Write(host, "can-azure", CanJson.Azure(a));
            return;
        }
        host.Console.MarkupLineInterpolated($"[{Colour(result.Decision)} bold]{result.Decision}[/]: {principal.Name} ({principal.Id}) → {a.Operation} on {a.Scope}");
        if (result.Decision == Decision.ImplicitDeny) { host.Console.WriteLine("  no role assignment of the principal or its groups at this scope or above grants it"); }
        foreach (var d in result.Deciding)
        {
            var verb = d.Kind == AzureAssignmentKind.DenyAssignment ? "[red]denies[/]" : d.Condition == ConditionResult.True ? "[green]allows[/]" : "[yellow]may allow[/]";
            host.Console.MarkupLine($"  {verb} {Markup.Escape(CloudExplanations.Describe(d))}");
        }
        foreach (var d in result.Diagnostics) { host.Console.MarkupLineInterpolated($"  [yellow]{d.ToString()}[/]"); }
    }

    private static void WriteGcp(CliHost host, GcpCanAnswer a, string format)
    {
        var result = a.Result;
        if (format == "json")
        {
            CliJson.Write(host, "can-gcp", CanJson.Gcp(a));
            return;
        }
        host.Console.MarkupLineInterpolated($"[{Colour(result.Decision)} bold]{result.Decision}[/]: {a.Member} → {a.Permission} on {a.Resource}{(result.IsPublic ? " (public)" : "")}");
        if (result.Decision == Decision.ImplicitDeny) { host.Console.WriteLine("  no binding on the resource or its ancestors grants a role with this permission to the member or its groups"); }
        foreach (var r in result.DenyRules) { host.Console.MarkupLine($"  [red]denies[/] {Markup.Escape(CloudExplanations.Describe(r))}"); }
        foreach (var b in result.Bindings) { host.Console.MarkupLine($"  {(result.Decision == Decision.Allow ? "[green]allows[/]" : "[yellow]grants[/]")} {Markup.Escape(CloudExplanations.Describe(b))}"); }
        foreach (var d in result.Diagnostics) { host.Console.MarkupLineInterpolated($"  [yellow]{d.ToString()}[/]"); }
    }

    /// <summary>The markup colour of a decision: green allowed, yellow indeterminate, red denied.</summary>
    private static string Colour(Decision decision) =>
        decision switch { Decision.Allow => "green", Decision.Indeterminate => "yellow", _ => "red" };

    private static string ImplicitReason(AwsLayer? layer) => layer switch
    {
        AwsLayer.Identity => "  no identity-based policy (and no resource-based policy naming the caller) allows it",
        AwsLayer.Resource => "  the resource-based policy does not allow it (needed across accounts, and always for KMS keys and role trust)",
        AwsLayer.Scp => "  an SCP level between the root and the account does not allow it",
        AwsLayer.Rcp => "  an RCP level between the root and the resource's account does not allow it",
        AwsLayer.Boundary => "  the permissions boundary does not allow it",
        AwsLayer.Session => "  the session policy does not allow it",
        AwsLayer.Endpoint => "  the VPC endpoint policy does not allow it",
        _ => "  nothing allows it",
    };
}
