using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Directories;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.App.People;

/// <summary>
/// The JSON of a person view, one shape for `ciem person --format json` and `GET /api/v1/person`: the address, whether
/// it matched several people, the usage window, and per person their accounts, links, AWS union and per-cloud access.
/// </summary>
public static class PersonJson
{
    /// <summary>As the CLI writes JSON: indented, camelCase.</summary>
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The document of <paramref name="found"/> for <paramref name="address"/> over <paramref name="windowDays"/> days to <paramref name="asOf"/>.</summary>
    public static object Of(string address, PersonViewResult found, int windowDays, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(found);
        var window = new { days = windowDays, asOf, from = found.Window.Start, to = found.Window.End };
        var people = found.Views.Select(v => Person(v, found.Effective, found.Administrators));
        return new { address, ambiguous = found.People.Length > 1, window, people };
    }

    public static string Serialize(string address, PersonViewResult found, int windowDays, DateTimeOffset asOf) =>
        JsonSerializer.Serialize(Of(address, found, windowDays, asOf), Options);

    public static string MatchName(MatchKind kind) => kind switch
    {
        MatchKind.ImmutableId => "immutable-id",
        MatchKind.Email => "email",
        _ => "upn",
    };

    /// <summary>The actions the person's linked AWS roles grant together, or null when no linked role was evaluated.</summary>
    public static ActionSet? AwsUnion(PersonLink person, IReadOnlyDictionary<string, AwsEffectivePermissions> effective)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(effective);
        ActionSet? union = null;
        foreach (var l in person.Links.Where(l => effective.ContainsKey(l.IdentityId)))
        {
            var allowed = effective[l.IdentityId].Allowed;
            union = union is null ? allowed : union.Union(allowed);
        }
        return union;
    }

    private static object Person(PersonAccessResult view, IReadOnlyDictionary<string, AwsEffectivePermissions> effective,
        AdminStandings admins) => Person(view.Person, effective, admins, view.Clouds.Select(c => new
    {
        cloud = c.Cloud,
        granted = c.Granted,
        admin = c.IsAdministrator,
        adminCategory = Reports.PathJson.CategoryName(c.Category),
        used = c.Usage.Used,
        unused = c.Usage.Unused,
        usedNotGranted = c.Usage.UsedNotGranted,
        events = c.Usage.Events,
        lastActivity = c.Usage.LastActivity,
        paths = c.Paths.Select(PathJson),
        eligible = c.Eligible.Select(PathJson),
        rights = c.Rights.Select(r => new { permission = r.Permission, paths = r.Paths }),
        actions = c.Usage.Actions.Select(a => new { action = a.Action, count = a.Count, lastUsed = a.LastUsed, @as = a.As, granted = a.Granted }),
        indeterminate = c.Indeterminate,
        notes = c.Usage.Notes,
    }));

    private static object PathJson(AccessPath p) => new
    {
        id = p.Id,
        identity = p.IdentityId,
        via = p.Via.Select(s => new { kind = s.Kind, id = s.Id, name = s.Name }),
        grant = p.Grant,
        scope = p.Scope,
        chain = p.ChainText,
        granted = p.Granted,
        admin = p.IsAdministrator,
        eligible = p.IsEligible,
        condition = p.Condition,
    };

    private static object Person(PersonLink p, IReadOnlyDictionary<string, AwsEffectivePermissions> effective, AdminStandings admins,
        object clouds) => new
    {
        key = p.Person.Key,
        name = p.Person.DisplayName,
        accounts = p.Person.Accounts.Select(a => new
        {
            source = DirectorySources.Name(a.User.Source),
            id = a.User.Id,
            userName = a.User.UserName,
            email = a.User.Email,
            enabled = a.User.Enabled,
            joinedBy = a.JoinedBy is { } j ? MatchName(j) : null,
        }),
        links = p.Links.Select(l => new
        {
            cloud = l.Cloud,
            identity = l.IdentityId,
            match = MatchName(l.Match),
            via = l.Via.Select(s => new { kind = s.Kind, id = s.Id, name = s.Name }),
            chain = l.ViaText,
            granted = effective.TryGetValue(l.IdentityId, out var e) ? e.GrantedCount : (int?)null,
            admin = e is null ? (bool?)null : admins.Of(l.Cloud, l.IdentityId).IsAdministrator,
            adminCategory = e is null ? null : Reports.PathJson.CategoryName(admins.Of(l.Cloud, l.IdentityId).Category),
            fullAdmin = e?.IsFullAdministrator,
        }),
        aws = new
        {
            roles = p.Links.Count(l => l.Cloud == Provider.AwsName),
            granted = AwsUnion(p, effective)?.Count ?? 0,
            admin = p.Links.Any(l => l.Cloud == Provider.AwsName && admins.Of(l.Cloud, l.IdentityId).IsAdministrator),
        },
        clouds,
        problems = p.Problems.Select(x => new { kind = x.Kind.ToString().ToLowerInvariant(), subject = x.Subject, message = x.Message, candidates = x.Candidates }),
    };
}
