using System.CommandLine;
using System.Text.Json;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
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
        var context = ContextOption();
        var resourceAccount = new Option<string?>("--resource-account") { Description = "the account that owns the resource, when its ARN does not say (S3)" };
        var provider = Providers.Option("from the identity's form");
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var exitCode = new Option<bool>("--exit-code") { Description = "exit 4 when denied and 5 when indeterminate (0 when allowed), for scripts" };
        var command = new Command("can", "can IDENTITY perform ACTION on RESOURCE? explains which statements allow or deny") { identity, action, resource, context, resourceAccount, provider, db, format, exitCode };
        command.SetAction(p => Run(host, p.GetValue(identity)!, p.GetValue(action)!, p.GetValue(resource)!, p.GetValue(context) ?? [], p.GetValue(resourceAccount), p.GetValue(db), p.GetValue(format)!, p.GetValue(provider), p.GetValue(exitCode)));
        return command;
    }

    public static Option<string[]> ContextOption() => new("--context", "-c") { Description = "a request context key, KEY=VALUE (repeat the key for a multi-valued key)", AllowMultipleArgumentsPerToken = false };

    public static int Run(CliHost host, string query, string action, string resource, string[] context, string? resourceAccount, string? db, string format, string? provider = null,
        bool exitCode = false)
    {
        var cloud = provider ?? Providers.OfIdentity(query);
        WarnUnknownPermission(host, cloud, action);
        switch (cloud)
        {
            case Provider.AzureName: return AzureCommands.Can(host, query, action, resource, context, db, format, exitCode);
            case Provider.GcpName: return GcpCommands.Can(host, query, action, resource, context, db, format, exitCode);
            default: break;
        }
        if (!TryParseContext(host, context, out var ctx)) { return ExitCodes.InvalidInput; }
        var estate = StoreAccess.LoadEstate(host, db);
        if (estate is null) { return ExitCodes.Failure; }
        var who = IdentitiesCommand.Resolve(host, estate, query);
        if (who is null) { return ExitCodes.InvalidInput; }
        var (request, result) = Evaluate(estate, who, action, resource, AlwaysSentKeys.Apply(ctx, host.Clock.GetUtcNow()), resourceAccount);
        var missing = Ciem.App.Questions.MissingContext.Keys(estate.PolicySetFor(who, request), request, result);
        var assumedAccount = resourceAccount is null && resource != "*" && AwsRequest.InferResourceAccount(resource) is null && resource.StartsWith("arn:", StringComparison.Ordinal);
        if (format == "json")
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms)) { SimulationWriter.Write(w, who.Identity.Id, result, []); }
            var node = System.Text.Json.Nodes.JsonNode.Parse(ms.ToArray())!.AsObject();
            node["missingContextKeys"] = new System.Text.Json.Nodes.JsonArray([.. missing.Select(k => (System.Text.Json.Nodes.JsonNode?)k)]);
            node["assumedResourceAccount"] = assumedAccount ? request.ResourceAccount : null;
            CliJson.Write(host, "can", node);
            return Exit(result.Decision, exitCode);
        }
        Explain(host, estate, who, request, result);
        if (!missing.IsEmpty)
        {
            host.Console.MarkupLineInterpolated($"  [yellow]the answer depends on context the question did not give: {string.Join(", ", missing)}[/] (set with `--context KEY=VALUE`)");
        }
        if (assumedAccount)
        {
            host.Error.WriteLine($"note {Core.Diagnostics.DiagnosticCodes.CliIncompleteQuestion}: `{resource}` does not name its account: "
                + $"assumed the caller's own account `{request.ResourceAccount}` (give `--resource-account` if the resource lives elsewhere)");
        }
        return Exit(result.Decision, exitCode);
    }

    /// <summary>The exit code of an answered `can`: 0, unless `--exit-code` asks for 4 on a deny and 5 on an indeterminate answer.</summary>
    public static int Exit(Decision decision, bool exitCode) => !exitCode ? ExitCodes.Ok : decision switch
    {
        Decision.Allow => ExitCodes.Ok,
        Decision.Indeterminate => ExitCodes.Indeterminate,
        _ => ExitCodes.Denied,
    };

    /// <summary>A warning (evaluation goes on) when the shipped catalog does not know the action, with the closest names.</summary>
    public static void WarnUnknownPermission(CliHost host, string provider, string permission)
    {
        if (Ciem.App.Names.KnownPermissions.Check(provider, permission) is { } problem)
        {
            host.Error.WriteLine($"warning {Core.Diagnostics.DiagnosticCodes.CliUnknownPermission}: {problem} (evaluated as given)");
        }
    }

    /// <summary>A warning when the shipped catalog does not know the service prefix, with the closest names.</summary>
    public static void WarnUnknownService(CliHost host, string provider, string service)
    {
        if (Ciem.App.Names.KnownPermissions.CheckService(provider, service) is { } problem)
        {
            host.Error.WriteLine($"warning {Core.Diagnostics.DiagnosticCodes.CliUnknownPermission}: {problem}");
        }
    }

    public static (AwsRequest Request, EvaluationResult Result) Evaluate(AwsEstate estate, AwsIdentityContext who, string action, string resource, RequestContext context, string? resourceAccount)
    {
        var request = estate.CreateRequest(who, action, resource, resourceAccount, context);
        return (request, AwsAuthorizer.Evaluate(request, estate.PolicySetFor(who, request)));
    }

    public static void Explain(CliHost host, AwsEstate estate, AwsIdentityContext who, AwsRequest request, EvaluationResult result)
    {
        var colour = result.Decision switch { Decision.Allow => "green", Decision.Indeterminate => "yellow", _ => "red" };
        host.Console.MarkupLineInterpolated($"[{colour} bold]{result.Decision}[/]: {who.Identity.Id} → {request.Action} on {request.Resource}{(request.IsCrossAccount ? $" (cross-account, resource in {request.ResourceAccount})" : "")}");
        if (result.BlockedBy is { } b) { host.Console.MarkupLineInterpolated($"blocked by: [bold]{Layer(b)}[/]"); }
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
            host.Console.MarkupLine($"  {verb} {Layer(s.Layer)}: {Markup.Escape(AwsEffectivePermissionCalculator.Describe(s))}");
        }
        foreach (var d in result.Diagnostics) { host.Console.MarkupLineInterpolated($"  [yellow]{d.ToString()}[/]"); }
    }

    public static string Layer(AwsLayer layer) => Reports.LayerNames.Of(layer);

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

    public static bool TryParseContext(CliHost host, string[] pairs, out RequestContext context)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                host.Error.WriteLine($"error: context `{pair}` is not KEY=VALUE");
                context = RequestContext.Empty;
                return false;
            }
            var key = pair[..eq];
            if (!values.TryGetValue(key, out var list)) { values[key] = list = []; }
            list.Add(pair[(eq + 1)..]);
        }
        context = RequestContext.Create(values.Select(kv => new KeyValuePair<string, ContextValue>(kv.Key, kv.Value.Count == 1 && !kv.Key.Contains("TagKeys", StringComparison.OrdinalIgnoreCase) ? ContextValue.Single(kv.Value[0]) : ContextValue.Multi(kv.Value))));
        return true;
    }
}
