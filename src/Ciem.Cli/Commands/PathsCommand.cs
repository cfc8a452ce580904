using System.CommandLine;
using System.Globalization;
using Ciem.App;
using Ciem.App.Identities;
using Ciem.App.Questions;
using Ciem.App.Reports;
using Ciem.Cli.Reports;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem paths IDENTITY [--to admin | --to ACTION RESOURCE] [--max-hops N]`: the shortest and every simple path from an
/// identity to an administrator or to a request; `ciem paths --admins [--provider azure|gcp]`: the effective
/// administrators of each AWS account, Azure subscription or GCP project.
/// </summary>
public static class PathsCommand
{
    public static Command Create(CliHost host)
    {
        var identity = new Argument<string?>("identity") { Description = "an ARN, a name, or ACCOUNT/NAME (omit with --admins)",
            Arity = ArgumentArity.ZeroOrOne };
        var to = new Option<string[]>("--to") { Description = "`admin` (default), or ACTION RESOURCE", Arity = new ArgumentArity(1, 2),
            AllowMultipleArgumentsPerToken = true };
        var maxHops = new Option<int>("--max-hops")
        {
            Description = $"longest path listed, in hops (default {PathsQuestion.DefaultMaxHops})",
            DefaultValueFactory = _ => PathsQuestion.DefaultMaxHops,
        };
        var limit = new Option<int>("--limit") { Description = "most paths listed (default 20)", DefaultValueFactory = _ => 20 };
        var admins = new Option<bool>("--admins")
        {
            Description = "list the effective administrators of each account, subscription or project (directly or through a path)",
        };
        var resourceAccount = new Option<string?>("--resource-account")
        {
            Description = "the account that owns the resource, when its ARN does not say (S3)",
        };
        var context = CommonOptions.Context();
        var provider = Providers.Option(
            "from the identity's form: an Azure object id, a GCP member or email, a person's address go to the multi-cloud graph");
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("paths",
            "attack paths: how an identity becomes an administrator or reaches a request, each hop explained")
        {
            identity, to, maxHops, limit, admins, resourceAccount, context, provider, db, format,
        };
        command.SetAction(p => p.GetValue(admins)
            ? p.GetValue(provider) is Provider.AzureName or Provider.GcpName
                ? CloudAdministrators(host, p.GetValue(provider)!, p.GetValue(identity), p.GetValue(db), p.GetValue(format)!)
                : Administrators(host, p.GetValue(identity), p.GetValue(context) ?? [], p.GetValue(db), p.GetValue(format)!)
            : Run(host, new PathsRequest(p.GetValue(identity), p.GetValue(to) ?? [], p.GetValue(maxHops), p.GetValue(limit),
                p.GetValue(resourceAccount), p.GetValue(context) ?? []), p.GetValue(db), p.GetValue(format)!, p.GetValue(provider)));
        return command;
    }

    public static int Run(CliHost host, PathsRequest request, string? db, string format, string? provider = null)
    {
        if (request.Identity is { } query && (provider ?? PrincipalForms.ProviderOfIdentity(query)) != Provider.AwsName)
        {
            if (request.MaxHops is < 1 or > 20)
            {
                host.Error.WriteLine($"error: `--max-hops {request.MaxHops}` is out of range: give 1 to 20 hops");
                return ExitCodes.InvalidInput;
            }
            if (request.Limit < 1)
            {
                host.Error.WriteLine($"error: `--limit {request.Limit}` must be at least 1");
                return ExitCodes.InvalidInput;
            }
            var toAdmin = request.To.Count == 0 || request.To is [var single] && single.Equals("admin", StringComparison.OrdinalIgnoreCase);
            return Clouds(host, query, toAdmin, request.MaxHops, request.Limit, db, format);
        }
        if (!QuestionOutput.TryAnswer(host, PathsQuestion.Ask(host.Session(db), request), out var answer, out var exit)) { return exit; }
        var (standing, shortest) = (answer.Standing, answer.Shortest);
        if (format == "json")
        {
            CliJson.Write(host, "paths", PathJson.Paths(answer));
            return ExitCodes.Ok;
        }
        var grants = standing.GrantsAdministratorTo > 0
            ? $", can make {standing.GrantsAdministratorTo} other principal(s) administrators" : "";
        host.Console.MarkupLine(
            $"[bold]{Markup.Escape(answer.Who.Identity.Id)}[/]: {PathJson.CategoryName(standing.Category)}{grants}");
        if (shortest is null)
        {
            host.Console.WriteLine($"no path to {answer.Goal}");
            return ExitCodes.Ok;
        }
        AttackPathRendering.Write(host.Console, shortest, "shortest");
        var others = answer.Paths.Where(p => !p.Steps.SequenceEqual(shortest.Steps)).ToList();
        for (var i = 0; i < others.Count; i++) { AttackPathRendering.Write(host.Console, others[i], $"path {i + 2}"); }
        host.Console.WriteLine($"{(others.Count + 1)} path(s) of at most {answer.MaxHops} hop(s)"
            + (answer.Truncated ? $"; more exist (raise --limit {request.Limit})" : ""));
        return ExitCodes.Ok;
    }

    /// <summary>Azure, GCP and federated identities (and people): the multi-cloud graph (<see cref="CloudEstatePaths"/>).</summary>
    private static int Clouds(CliHost host, string query, bool toAdmin, int maxHops, int limit, string? db, string format)
    {
        if (!toAdmin)
        {
            host.Error.WriteLine("error: `--to ACTION RESOURCE` is answered for AWS identities; "
                + "Azure, GCP and federated identities' paths go to administrators");
            return ExitCodes.InvalidInput;
        }
        var answer = CloudEstatePaths.Find(host.Session(db), query, maxHops, limit, host.Clock.GetUtcNow());
        foreach (var w in answer.Warnings) { host.Error.WriteLine($"warning {w.Code}: {w.Message}"); }
        if (answer.Error is { } error)
        {
            host.Error.WriteLine($"error: {error}");
            foreach (var c in answer.Candidates) { host.Error.WriteLine($"  {c}"); }
            return answer.NoEstate ? ExitCodes.Failure : ExitCodes.InvalidInput;
        }
        CloudPathRendering.Write(host, answer, maxHops, format);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The effective administrators of each Azure subscription or GCP project (<paramref name="scope"/> only, when given):
    /// administrators, those with a path to one, and those who can make others administrators, shown apart.
    /// </summary>
    public static int CloudAdministrators(CliHost host, string provider, string? scope, string? db, string format)
    {
        var result = CloudEstatePaths.Administrators(host.Session(db), provider, scope, host.Clock.GetUtcNow());
        if (!QuestionOutput.TryAnswer(host, result, out var answer, out var exit)) { return exit; }
        if (format == "json")
        {
            CliJson.Write(host, "paths-admins", PathJson.CloudAdministrators(answer));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns(provider == Provider.AzureName ? "subscription" : "project", "identity", "category", "how",
            "hops",
            "certainty");
        foreach (var s in answer.Scopes)
        {
            foreach (var a in s.Administrators)
            {
                var how = a.Shortest is { } p ? string.Join(" → ", p.Steps.Select(st => st.Technique.Id))
                    : a.Category == AdminCategory.Administrator ? "administrator"
                    : string.Join(", ", a.GrantsAt.Select(g => g.Technique.Id).Distinct(StringComparer.Ordinal));
                var certainty = a.Shortest?.Certainty ?? (a.GrantsAt.IsEmpty ? EdgeCertainty.Certain : a.GrantsAt.Min(g => g.Certainty));
                table.AddRow(Markup.Escape(s.Scope.Name), Markup.Escape($"{a.Node.Name} ({a.Node.Id})"),
                    PathJson.CategoryName(a.Category), Markup.Escape(how),
                    (a.Shortest?.Hops ?? 0).ToString(CultureInfo.InvariantCulture), PathJson.CertaintyName(certainty));
            }
        }
        host.Console.Write(table);
        foreach (var s in answer.Scopes)
        {
            var admins = s.Administrators;
            host.Console.WriteLine($"{s.Scope.Name}: {admins.Count(a => a.Category == AdminCategory.Administrator)} "
                + $"administrator(s), {admins.Count(a => a.Category == AdminCategory.CanBecomeAdministrator)} more through a path, "
                + $"{admins.Count(a => !a.GrantsAt.IsEmpty)} can make others administrators");
        }
        foreach (var note in answer.NotModelled) { host.Console.WriteLine($"not modelled: {note}"); }
        return ExitCodes.Ok;
    }

    /// <summary>The effective administrators of each account: direct, and every principal with a path to one of its
    /// administrators.</summary>
    public static int Administrators(CliHost host, string? account, string[] context, string? db, string format)
    {
        var result = PathsQuestion.Administrators(host.Session(db), account, context);
        if (!QuestionOutput.TryAnswer(host, result, out var answer, out var exit)) { return exit; }
        var rows = answer.Administrators;
        if (format == "json")
        {
            CliJson.Write(host, "paths-admins", PathJson.AwsAdministrators(answer));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("account", "identity", "how", "hops", "certainty");
        foreach (var (acct, s) in rows)
        {
            var path = s.PathToAdministrator;
            table.AddRow(acct, Markup.Escape(s.Identity.Identity.Id), path is null ? "administrator" : Markup.Escape(string.Join(" → ",
                path.Steps.Select(st => st.Technique.Id))),
                path is null ? "0" : AttackPaths.CountedHops(path).ToString(CultureInfo.InvariantCulture), path is null ? "certain"
                    : PathJson.CertaintyName(path.Certainty));
        }
        host.Console.Write(table);
        foreach (var g in rows.GroupBy(r => r.Account))
        {
            host.Console.WriteLine($"{g.Key}: {g.Count(r => r.Standing.Category == AdminCategory.Administrator)} administrator(s), "
                + $"{g.Count(r => r.Standing.Category != AdminCategory.Administrator)} more through a path");
        }
        return ExitCodes.Ok;
    }
}
