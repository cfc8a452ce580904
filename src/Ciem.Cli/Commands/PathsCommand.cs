using Ciem.Core.Model;
using System.CommandLine;
using System.Text.Json;
using Ciem.App;
using Ciem.Cli.Reports;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Paths;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem paths IDENTITY [--to admin | --to ACTION RESOURCE] [--max-hops N]`: the shortest and every simple path from an
/// identity to an administrator or to a request; `ciem paths --admins`: the effective administrators of each account.
/// </summary>
public static class PathsCommand
{
    public const int DefaultMaxHops = 5;

    public static Command Create(CliHost host)
    {
        var identity = new Argument<string?>("identity") { Description = "an ARN, a name, or ACCOUNT/NAME (omit with --admins)", Arity = ArgumentArity.ZeroOrOne };
        var to = new Option<string[]>("--to") { Description = "`admin` (default), or ACTION RESOURCE", Arity = new ArgumentArity(1, 2), AllowMultipleArgumentsPerToken = true };
        var maxHops = new Option<int>("--max-hops") { Description = $"longest path listed, in hops (default {DefaultMaxHops})", DefaultValueFactory = _ => DefaultMaxHops };
        var limit = new Option<int>("--limit") { Description = "most paths listed (default 20)", DefaultValueFactory = _ => 20 };
        var admins = new Option<bool>("--admins") { Description = "list the effective administrators of each account (directly or through a path)" };
        var resourceAccount = new Option<string?>("--resource-account") { Description = "the account that owns the resource, when its ARN does not say (S3)" };
        var context = CanCommand.ContextOption();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("paths", "attack paths: how an identity becomes an administrator or reaches a request, each hop explained")
        {
            identity, to, maxHops, limit, admins, resourceAccount, context, db, format,
        };
        command.SetAction(p => p.GetValue(admins)
            ? Administrators(host, p.GetValue(identity), p.GetValue(context) ?? [], p.GetValue(db), p.GetValue(format)!)
            : Run(host, p.GetValue(identity), p.GetValue(to) ?? [], p.GetValue(maxHops), p.GetValue(limit), p.GetValue(resourceAccount), p.GetValue(context) ?? [], p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    /// <summary>Loads the estate and builds its attack graph once; null (with the error written) when there is nothing to analyse.</summary>
    public static AttackPaths? Load(CliHost host, string? db, RequestContext session)
    {
        var estate = StoreAccess.LoadEstate(host, db);
        return estate is null ? null : Analyse(estate, null, session);
    }

    /// <summary>The attack graph of a loaded estate (<see cref="EstatePaths.Analyse"/>).</summary>
    public static AttackPaths Analyse(AwsEstate estate, IReadOnlyList<AwsEffectivePermissions>? effective, RequestContext? session = null) =>
        EstatePaths.Analyse(estate, effective, session);

    public static int Run(CliHost host, string? query, string[] to, int maxHops, int limit, string? resourceAccount, string[] context, string? db, string format)
    {
        if (query is null)
        {
            host.Error.WriteLine("error: give an IDENTITY (an ARN, a name, or ACCOUNT/NAME), or `--admins` for the administrators of each account");
            return ExitCodes.InvalidInput;
        }
        if (maxHops is < 1 or > 20)
        {
            host.Error.WriteLine($"error: `--max-hops {maxHops}` is out of range: give 1 to 20 hops");
            return ExitCodes.InvalidInput;
        }
        if (limit < 1)
        {
            host.Error.WriteLine($"error: `--limit {limit}` must be at least 1");
            return ExitCodes.InvalidInput;
        }
        var toAdmin = to.Length == 0 || to is [var single] && single.Equals("admin", StringComparison.OrdinalIgnoreCase);
        if (!toAdmin && to.Length != 2)
        {
            host.Error.WriteLine($"error: `--to {string.Join(' ', to)}` is neither `admin` nor ACTION RESOURCE");
            return ExitCodes.InvalidInput;
        }
        if (!CanCommand.TryParseContext(host, context, out var ctx)) { return ExitCodes.InvalidInput; }
        var paths = Load(host, db, ctx);
        if (paths is null) { return ExitCodes.Failure; }
        var who = IdentitiesCommand.Resolve(host, paths.Graph.Estate, query);
        if (who is null) { return ExitCodes.InvalidInput; }
        var index = paths.Graph.IndexOf(who);
        Func<int, PathStep[]?> goal;
        string goalName;
        if (toAdmin)
        {
            goal = paths.AdministratorGoal;
            goalName = "administrator";
        }
        else
        {
            var decisions = paths.DecideAll(to[0], to[1], resourceAccount, null);
            goal = AttackPaths.RequestGoal(paths.Graph, decisions);
            goalName = $"{to[0]} on {to[1]}";
        }
        var (all, truncated) = paths.AllPaths(index, goal, goalName, maxHops, limit);
        var shortest = toAdmin ? paths.ShortestToAdministrator(index) : all.FirstOrDefault();
        var standing = paths.Standings[index];
        if (format == "json")
        {
            CliJson.Write(host, "paths", new
            {
                identity = who.Identity.Id,
                to = goalName,
                maxHops,
                category = AttackPathRendering.CategoryName(standing.Category),
                grantsAdministratorTo = standing.GrantsAdministratorTo,
                shortest = shortest is null ? null : AttackPathRendering.Json(shortest),
                paths = all.Select(AttackPathRendering.Json),
                truncated,
            });
            return ExitCodes.Ok;
        }
        host.Console.MarkupLine($"[bold]{Markup.Escape(who.Identity.Id)}[/]: {AttackPathRendering.CategoryName(standing.Category)}{(standing.GrantsAdministratorTo > 0 ? $", can make {standing.GrantsAdministratorTo} other principal(s) administrators" : "")}");
        if (shortest is null)
        {
            host.Console.WriteLine($"no path to {goalName}");
            return ExitCodes.Ok;
        }
        AttackPathRendering.Write(host.Console, shortest, "shortest");
        var others = all.Where(p => !p.Steps.SequenceEqual(shortest.Steps)).ToList();
        for (var i = 0; i < others.Count; i++) { AttackPathRendering.Write(host.Console, others[i], $"path {i + 2}"); }
        host.Console.WriteLine($"{(others.Count + 1)} path(s) of at most {maxHops} hop(s){(truncated ? $"; more exist (raise --limit {limit})" : "")}");
        return ExitCodes.Ok;
    }

    /// <summary>The effective administrators of each account: direct, and every principal with a path to one of its administrators.</summary>
    public static int Administrators(CliHost host, string? account, string[] context, string? db, string format)
    {
        if (!CanCommand.TryParseContext(host, context, out var ctx)) { return ExitCodes.InvalidInput; }
        var paths = Load(host, db, ctx);
        if (paths is null) { return ExitCodes.Failure; }
        var rows = paths.Standings
            .Select(s => (s, Account: s.Category == AdminCategory.Administrator ? s.Identity.Identity.Scope : s.PathToAdministrator?.Account))
            .Where(r => r.Account is not null && (account is null || r.Account == account))
            .OrderBy(r => r.Account, StringComparer.Ordinal).ThenByDescending(r => r.s.Category).ThenBy(r => r.s.Identity.Identity.Id, StringComparer.Ordinal)
            .ToList();
        if (format == "json")
        {
            CliJson.Write(host, "paths-admins", rows.GroupBy(r => r.Account).Select(g => new
            {
                account = g.Key,
                administrators = g.Where(r => r.s.Category == AdminCategory.Administrator).Select(r => r.s.Identity.Identity.Id),
                throughPaths = g.Where(r => r.s.Category != AdminCategory.Administrator).Select(r => new { identity = r.s.Identity.Identity.Id, path = AttackPathRendering.Json(r.s.PathToAdministrator!) }),
            }));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("account", "identity", "how", "hops", "certainty");
        foreach (var (s, acct) in rows)
        {
            var path = s.PathToAdministrator;
            table.AddRow(acct!, Markup.Escape(s.Identity.Identity.Id), path is null ? "administrator" : Markup.Escape(string.Join(" → ", path.Steps.Select(st => st.Technique.Id))),
                path is null ? "0" : AttackPaths.CountedHops(path).ToString(System.Globalization.CultureInfo.InvariantCulture), path is null ? "certain" : AttackPathRendering.CertaintyName(path.Certainty));
        }
        host.Console.Write(table);
        foreach (var g in rows.GroupBy(r => r.Account))
        {
            host.Console.WriteLine($"{g.Key}: {g.Count(r => r.s.Category == AdminCategory.Administrator)} administrator(s), {g.Count(r => r.s.Category != AdminCategory.Administrator)} more through a path");
        }
        return ExitCodes.Ok;
    }

    /// <summary>`who-can ACTION RESOURCE --transitive`: every identity that reaches the request, with the path.</summary>
    public static int WhoCanTransitive(CliHost host, string action, string resource, string? resourceAccount, RequestContext context, string? db, string format)
    {
        var paths = Load(host, db, RequestContext.Empty);
        if (paths is null) { return ExitCodes.Failure; }
        var hits = paths.WhoCan(action, resource, resourceAccount, context)
            .OrderBy(h => h.Path.Certainty).ThenBy(h => AttackPaths.CountedHops(h.Path)).ThenBy(h => h.Identity.Identity.Id, StringComparer.Ordinal).ToList();
        if (format == "json")
        {
            CliJson.Write(host, "cloud-paths", hits.Select(h => new
            {
                identity = h.Identity.Identity.Id,
                kind = IdentityKindNames.Of(h.Identity.Identity.Kind),
                direct = h.Direct.Decision.ToString(),
                hops = AttackPaths.CountedHops(h.Path),
                certainty = AttackPathRendering.CertaintyName(h.Path.Certainty),
                path = AttackPathRendering.Json(h.Path),
            }));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("identity", "account", "direct", "hops", "certainty", "path");
        foreach (var (who, direct, path) in hits)
        {
            table.AddRow(Markup.Escape(who.Identity.Name), who.Identity.Scope, direct.Decision.ToString(), AttackPaths.CountedHops(path).ToString(System.Globalization.CultureInfo.InvariantCulture),
                AttackPathRendering.CertaintyName(path.Certainty), Markup.Escape(string.Join(" → ", path.Steps.Select(s => $"{s.Technique.Id}:{Short(s.To)}"))));
        }
        host.Console.Write(table);
        host.Console.WriteLine($"{hits.Count(h => AttackPaths.CountedHops(h.Path) == 0)} identities can {action} on {resource} directly, {hits.Count(h => AttackPaths.CountedHops(h.Path) > 0)} more through a path (see `ciem paths IDENTITY --to {action} {resource}`)");
        return ExitCodes.Ok;
    }

    private static string Short(string id) => id.Contains(":role/", StringComparison.Ordinal) || id.Contains(":user/", StringComparison.Ordinal) ? id[(id.LastIndexOf('/') + 1)..] : id;
}
