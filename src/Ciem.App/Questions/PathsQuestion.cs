using System.Collections.Immutable;
using Ciem.App.Identities;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.App.Questions;

/// <summary>
/// `ciem paths IDENTITY`: from <see cref="Identity"/> to an administrator (<see cref="To"/> empty or `admin`) or to a
/// request (`ACTION RESOURCE`), every simple path of at most <see cref="MaxHops"/> hops, at most <see cref="Limit"/>.
/// </summary>
public sealed record PathsRequest(
    string? Identity, IReadOnlyList<string> To, int MaxHops, int Limit, string? ResourceAccount, IReadOnlyList<string> Context);

/// <summary>The identity's standing, the shortest path to the goal (null when none) and every path found.</summary>
public sealed record PathsAnswer(
    AwsIdentityContext Who,
    string Goal,
    int MaxHops,
    AdminStanding Standing,
    AttackPath? Shortest,
    ImmutableArray<AttackPath> Paths,
    bool Truncated);

/// <summary>One effective administrator of an account: an administrator, or an identity with a path to one.</summary>
public sealed record AccountAdministrator(string Account, AdminStanding Standing);

/// <summary>The effective administrators of the accounts asked, by account, administrators first, then by id.</summary>
public sealed record AdministratorsAnswer(ImmutableArray<AccountAdministrator> Administrators);

/// <summary>Attack-path questions over the session's AWS estate (the graph built once per question).</summary>
public static class PathsQuestion
{
    public const int DefaultMaxHops = 5;

    public static QuestionResult<PathsAnswer> Ask(CiemSession session, PathsRequest request)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        var log = new QuestionLog();
        if (request.Identity is null)
        {
            return log.Invalid<PathsAnswer>(
                "give an IDENTITY (an ARN, a name, or ACCOUNT/NAME), or `--admins` for the administrators of each account");
        }
        if (request.MaxHops is < 1 or > 20)
        {
            return log.Invalid<PathsAnswer>($"`--max-hops {request.MaxHops}` is out of range: give 1 to 20 hops");
        }
        if (request.Limit < 1) { return log.Invalid<PathsAnswer>($"`--limit {request.Limit}` must be at least 1"); }
        var to = request.To;
        var toAdmin = to.Count == 0 || to is [var single] && single.Equals("admin", StringComparison.OrdinalIgnoreCase);
        if (!toAdmin && to.Count != 2)
        {
            return log.Invalid<PathsAnswer>($"`--to {string.Join(' ', to)}` is neither `admin` nor ACTION RESOURCE");
        }
        if (QuestionContext.Aws(request.Context, out var problem) is not { } context) { return log.Invalid<PathsAnswer>(problem!); }
        if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<PathsAnswer>(null); }
        foreach (var w in QuarantinedRecords.Warnings(session, Provider.AwsName)) { log.Warn(w); }
        var paths = EstatePaths.Analyse(estate, null, context);
        if (IdentityLookup.Aws(log, paths.Graph.Estate, request.Identity).Answer is not { Aws: { } who })
        {
            return log.Result<PathsAnswer>(null);
        }
        var index = paths.Graph.IndexOf(who);
        var (goal, goalName) = toAdmin
            ? (paths.AdministratorGoal, "administrator")
            : (AttackPaths.RequestGoal(paths.Graph, paths.DecideAll(to[0], to[1], request.ResourceAccount, null)), $"{to[0]} on {to[1]}");
        var (all, truncated) = paths.AllPaths(index, goal, goalName, request.MaxHops, request.Limit);
        var shortest = toAdmin ? paths.ShortestToAdministrator(index) : all.FirstOrDefault();
        return log.Result(new PathsAnswer(who, goalName, request.MaxHops, paths.Standings[index], shortest, all, truncated));
    }

    /// <summary>
    /// The effective administrators of each account (of <paramref name="account"/> only, when given): direct ones, and
    /// every principal with a path to one, by account, administrators first, then by id.
    /// </summary>
    public static QuestionResult<AdministratorsAnswer> Administrators(CiemSession session, string? account, IReadOnlyList<string> context)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(context);
        var log = new QuestionLog();
        if (QuestionContext.Aws(context, out var problem) is not { } given) { return log.Invalid<AdministratorsAnswer>(problem!); }
        if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<AdministratorsAnswer>(null); }
        foreach (var w in QuarantinedRecords.Warnings(session, Provider.AwsName)) { log.Warn(w); }
        ImmutableArray<AccountAdministrator> administrators = [.. EstatePaths.Analyse(estate, null, given).Standings
            .Select(s => (Standing: s,
                Account: s.Category == AdminCategory.Administrator ? s.Identity.Identity.Scope : s.PathToAdministrator?.Account))
            .Where(r => r.Account is not null && (account is null || r.Account == account))
            .OrderBy(r => r.Account, StringComparer.Ordinal).ThenByDescending(r => r.Standing.Category)
            .ThenBy(r => r.Standing.Identity.Identity.Id, StringComparer.Ordinal)
            .Select(r => new AccountAdministrator(r.Account!, r.Standing))];
        return log.Result(new AdministratorsAnswer(administrators));
    }
}
