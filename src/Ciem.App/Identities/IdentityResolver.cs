using System.Collections.Immutable;
using Ciem.App.Names;
using Ciem.Core.Azure;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Evaluation;

namespace Ciem.App.Identities;

/// <summary>A principal as the resolver knows it: its id, the name to show (the directory's first) and every other name it answers to.</summary>
public sealed record KnownPrincipal(string Id, string Name, string? Type, ImmutableArray<string> Aliases);

/// <summary>What a query resolved to: one principal, several (ambiguous), or none with the closest names.</summary>
public sealed record IdentityResolution(KnownPrincipal? Found, ImmutableArray<KnownPrincipal> Candidates, ImmutableArray<string> Closest)
{
    /// <summary>The error to show when <see cref="Found"/> is null (lowercase, values in backticks).</summary>
    public string Problem(string provider, string query) => Candidates.Length > 1
        ? $"`{query}` names several {provider} principals: {string.Join(", ", Candidates.Select(c => $"`{c.Id}` ({c.Name})"))}; give the id"
        : $"no {provider} principal `{query}` in the store: give an id, a name, a user principal name or an app id"
            + ClosestNames.Hint(Closest) + $" (see `ciem identities --provider {provider}`)";
}

/// <summary>
/// One way to name an Azure or GCP principal for every command and report: by object id, by the name an assignment
/// or the directory gives it, by user principal name or email, by application (client) id; for GCP also a bare email
/// (`alice@example.com` is `user:alice@example.com`, else a group; an `….gserviceaccount.com` address a service account). Names
/// shown come from the imported directory first (Entra display names), so a principal is not a bare GUID where the
/// directory names it. Matching ignores case; a query that fits several principals is ambiguous, never guessed.
/// </summary>
public sealed class IdentityResolver
{
    private readonly ImmutableArray<KnownPrincipal> _principals;
    private readonly Dictionary<string, KnownPrincipal> _byId;
    private readonly Func<string, IEnumerable<string>> _forms;

    private IdentityResolver(IEnumerable<KnownPrincipal> principals, Func<string, IEnumerable<string>> forms)
    {
        _principals = [.. principals.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
        _byId = _principals.GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        _forms = forms;
    }

    public ImmutableArray<KnownPrincipal> Principals => _principals;

    /// <summary>The name to show for an id: the directory's, else the assignment's, else the id itself.</summary>
    public string NameOf(string id) => _byId.TryGetValue(id, out var p) ? p.Name : id;

    public IdentityResolution Resolve(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var form in _forms(query.Trim()))
        {
            if (_byId.TryGetValue(form, out var exact)) { return new(exact, [exact], []); }
            var named = _principals.Where(p => Same(p.Name, form) || p.Aliases.Any(a => Same(a, form))).ToImmutableArray();
            if (named.Length == 1) { return new(named[0], named, []); }
            if (named.Length > 1) { return new(null, named, []); }
        }
        return new(null, [], ClosestNames.Of(query, _principals.SelectMany(p => p.Aliases.Prepend(p.Name))));
    }

    /// <summary>Azure principals: those the role assignments, eligible assignments and group memberships name (groups left out), named by Entra.</summary>
    public static IdentityResolver ForAzure(AzureEstate estate, IEnumerable<DirectorySnapshot> directories)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(directories);
        var entra = directories.Where(d => d.Source == DirectorySource.Entra).ToList();
        var users = entra.SelectMany(d => d.Users).GroupBy(u => u.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var apps = entra.SelectMany(d => d.ServicePrincipals).GroupBy(s => s.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var found = new Dictionary<string, (string? Name, string? Type)>(StringComparer.OrdinalIgnoreCase);
        void Add(string id, string? name, string? type)
        {
            if (!found.TryGetValue(id, out var seen)) { found[id] = (name, type); }
            else { found[id] = (seen.Name ?? name, seen.Type ?? type); }
        }
        foreach (var a in estate.RoleAssignments) { Add(a.PrincipalId, a.PrincipalName, a.PrincipalType); }
        foreach (var e in estate.EligibleAssignments) { Add(e.PrincipalId, null, e.PrincipalType); }
        foreach (var id in estate.Groups.Principals) { Add(id, null, null); }
        var principals = new List<KnownPrincipal>();
        foreach (var (id, (assigned, type)) in found)
        {
            if (string.Equals(type, "Group", StringComparison.OrdinalIgnoreCase)) { continue; }
            var aliases = new List<string>();
            string? directoryName = null;
            if (users.TryGetValue(id, out var user))
            {
                directoryName = user.DisplayName;
                aliases.AddRange(new[] { user.UserName, user.Email }.OfType<string>().Concat(user.OtherEmails));
            }
            if (apps.TryGetValue(id, out var app))
            {
                directoryName ??= app.DisplayName;
                if (app.AppId is { } appId) { aliases.Add(appId); }
            }
            if (assigned is not null) { aliases.Add(assigned); }
            var name = directoryName is { Length: > 0 } ? directoryName : assigned is { Length: > 0 } ? assigned : id;
            principals.Add(new KnownPrincipal(id, name, type ?? (user is not null ? "User" : app is not null ? "ServicePrincipal" : null),
                [.. aliases.Where(a => a.Length > 0 && !Same(a, name)).Distinct(StringComparer.OrdinalIgnoreCase)]));
        }
        return new IdentityResolver(principals, q => [q]);
    }

    /// <summary>GCP members (`user:…`, `serviceAccount:…`, `group:…`, principal identifiers), also by bare email.</summary>
    public static IdentityResolver ForGcp(IEnumerable<(string Member, string Name)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var principals = members.GroupBy(m => m.Member, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Select(m => new KnownPrincipal(m.Member, m.Name, null, [.. new[] { Email(m.Member) }.OfType<string>().Where(e => !Same(e, m.Name))]));
        return new IdentityResolver(principals, GcpForms);
    }

    /// <summary>The forms a GCP query may stand for, most specific first: as given, canonical, then as a user or service account.</summary>
    public static IEnumerable<string> GcpForms(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        yield return query;
        var canonical = GcpMembers.Canonical(query);
        if (canonical != query) { yield return canonical; }
        if (!query.Contains(':', StringComparison.Ordinal) && query.Contains('@', StringComparison.Ordinal))
        {
            yield return query.EndsWith(".gserviceaccount.com", StringComparison.OrdinalIgnoreCase) ? "serviceAccount:" + query : "user:" + query;
            yield return "group:" + query;
        }
    }

    private static string? Email(string member)
    {
        var colon = member.IndexOf(':', StringComparison.Ordinal);
        var rest = colon >= 0 ? member[(colon + 1)..] : member;
        return rest.Contains('@', StringComparison.Ordinal) ? rest : null;
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
