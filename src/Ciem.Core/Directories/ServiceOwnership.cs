using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Ciem.Core.Directories;

/// <summary>
/// Who owns a service identity and how we know: <see cref="Source"/> is `app registration owners`, `service principal
/// owners`, `tag`, `attached resource`, `description`, `name` or `github oidc`, strongest first. Owners that are people
/// of the directories are given by person key.
/// </summary>
public sealed record ServiceOwner(ImmutableArray<string> Owners, string Source)
{
    public string Text => string.Join(", ", Owners);
}

/// <summary>
/// The long-lived credentials of a service identity at a date: how many are valid, how many expired, when the oldest
/// valid one was created and when the next one expires.
/// </summary>
public sealed record CredentialSummary(int Active, int Expired, DateTimeOffset? OldestActiveStart, DateTimeOffset? NextExpiry)
{
    /// <summary>The summary of <paramref name="credentials"/> at <paramref name="asOf"/>, or null when there are none.</summary>
    public static CredentialSummary? Of(IEnumerable<AppCredential> credentials, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var list = credentials.ToList();
        if (list.Count == 0) { return null; }
        var active = list.Where(c => c.End is null || c.End > asOf).ToList();
        return new CredentialSummary(active.Count, list.Count - active.Count, active.Min(c => c.Start), active.Min(c => c.End));
    }

    /// <summary>`1 active (oldest 272 d), expires 2027-03-01`, `1 expired`.</summary>
    public string Describe(DateTimeOffset asOf)
    {
        var parts = new List<string>();
        if (Active > 0)
        {
            parts.Add(OldestActiveStart is { } s ? $"{Active} active (oldest {(int)(asOf - s).TotalDays} d)" : $"{Active} active");
            if (NextExpiry is { } e) { parts.Add($"expires {e.UtcDateTime:yyyy-MM-dd}"); }
            else { parts.Add("never expires"); }
        }
        if (Expired > 0) { parts.Add($"{Expired} expired"); }
        return string.Join(", ", parts);
    }
}

/// <summary>A service identity of a cloud with its owner (null: none found — these are reviewed first) and credentials.</summary>
public sealed record ServiceIdentityOwnership(string Id, string Name, string Kind, ServiceOwner? Owner, CredentialSummary? Credentials);

/// <summary>
/// Owners of service identities (docs/directory.md, "Service identities and owners"), strongest evidence first:
/// the directory's owners (an app registration's `owners`, then the service principal's own), then a tag
/// (`owner:NAME`, `owner=NAME`, `team:NAME`), then for a managed identity the Azure resource it is attached to, then the
/// description or notes (an address of a known person, or `owner: NAME`), then the name (an address of a known person).
/// Nothing else is guessed: an identity with none of these has no owner.
/// </summary>
public static partial class ServiceOwnership
{
    /// <summary>Entra service principals by object id (case-insensitive), as of <paramref name="asOf"/> for credential ages.</summary>
    public static ImmutableDictionary<string, ServiceIdentityOwnership> ForEntra(IReadOnlyList<DirectorySnapshot> directories, IdentityLinkResult links, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(links);
        var personOf = PersonIndex(links);
        var result = ImmutableDictionary.CreateBuilder<string, ServiceIdentityOwnership>(StringComparer.OrdinalIgnoreCase);
        foreach (var dir in directories.Where(d => d.Source == DirectorySource.Entra))
        {
            var apps = dir.Applications.GroupBy(a => a.AppId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var sp in dir.ServicePrincipals)
            {
                var app = sp.AppId is not null ? apps.GetValueOrDefault(sp.AppId) : null;
                var owner = Listed(app?.Owners ?? [], "app registration owners", personOf)
                    ?? Listed(sp.Owners, "service principal owners", personOf)
                    ?? FromTags(sp.Tags.Concat(app?.Tags ?? []))
                    ?? (sp.AttachedResource is { } resource ? new ServiceOwner([resource], "attached resource") : null)
                    ?? FromText(sp.Notes ?? app?.Notes, "description", personOf)
                    ?? FromText(sp.DisplayName, "name", personOf, ownerPattern: false);
                var kind = sp.Kind switch { ServicePrincipalKind.ManagedIdentity => "managed identity", ServicePrincipalKind.Application => "application", _ => "service principal" };
                result[sp.Id] = new ServiceIdentityOwnership(sp.Id, sp.DisplayName, kind, owner, CredentialSummary.Of(sp.Credentials.Concat(app?.Credentials ?? []), asOf));
            }
        }
        return result.ToImmutable();
    }

    /// <summary>An owner from tags: `owner:NAME`, `owner=NAME`, `team:NAME` (the first that names one), or an `owner`/`team` key.</summary>
    public static ServiceOwner? FromTags(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
        {
            if (OwnerTag().Match(tag) is { Success: true } m) { return new ServiceOwner([m.Groups["owner"].Value.Trim()], "tag"); }
        }
        return null;
    }

    /// <summary>An owner from key/value tags or labels (`owner`, `team`), as GCP labels and AWS tags carry them.</summary>
    public static ServiceOwner? FromTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return FromTags(tags.Select(t => $"{t.Key}={t.Value}"));
    }

    /// <summary>
    /// An owner named in free text: an address of a known person (given by person key), else with
    /// <paramref name="ownerPattern"/> an `owner: NAME` / `owned by NAME` phrase.
    /// </summary>
    public static ServiceOwner? FromText(string? text, string source, IReadOnlyDictionary<string, string> personOf, bool ownerPattern = true)
    {
        ArgumentNullException.ThrowIfNull(personOf);
        if (string.IsNullOrWhiteSpace(text)) { return null; }
        foreach (Match m in Address().Matches(text))
        {
            if (personOf.TryGetValue(m.Value, out var key)) { return new ServiceOwner([key], source); }
        }
        return ownerPattern && OwnerPhrase().Match(text) is { Success: true } phrase ? new ServiceOwner([phrase.Groups["owner"].Value.TrimEnd('.', ',', ';')], source) : null;
    }

    /// <summary>
    /// GCP service accounts by member (`serviceAccount:EMAIL`): owner from labels-like `owner:` text, else the description
    /// or display name naming a person or group of the directories (a Google group owning a service account is usual),
    /// or an `owner: NAME` phrase; credentials are the user-managed keys that are not disabled (system-managed keys are
    /// Google's, rotated by it).
    /// </summary>
    public static ImmutableDictionary<string, ServiceIdentityOwnership> ForGcp(
        IEnumerable<Gcp.Inventory.ServiceAccount> accounts, IEnumerable<Gcp.Inventory.ServiceAccountKey> keys, IReadOnlyList<DirectorySnapshot> directories, IdentityLinkResult links, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(directories);
        var index = new Dictionary<string, string>(PersonIndex(links), StringComparer.OrdinalIgnoreCase);
        foreach (var g in directories.SelectMany(d => d.Groups))
        {
            if (DirectoryUser.Normalize(g.Email) is { } mail) { index.TryAdd(mail, mail); }
        }
        var keysOf = keys.Where(k => k.IsUserManaged && !k.Disabled).ToLookup(k => k.ServiceAccountEmail, StringComparer.OrdinalIgnoreCase);
        var result = ImmutableDictionary.CreateBuilder<string, ServiceIdentityOwnership>(StringComparer.OrdinalIgnoreCase);
        foreach (var sa in accounts)
        {
            var owner = FromTags([sa.Description ?? ""])
                ?? FromText(sa.Description, "description", index)
                ?? FromText(sa.DisplayName, "name", index);
            var credentials = CredentialSummary.Of(keysOf[sa.Email].Select(k => new AppCredential(CredentialKind.Key, k.KeyId, null, k.ValidAfter, k.ValidBefore)), asOf);
            result[sa.Member] = new ServiceIdentityOwnership(sa.Member, sa.DisplayName is { Length: > 0 } d ? d : sa.Email, sa.Disabled ? "service account (disabled)" : "service account", owner, credentials);
        }
        return result.ToImmutable();
    }

    /// <summary>Every address and directory account id of every person, to its person key.</summary>
    public static IReadOnlyDictionary<string, string> PersonIndex(IdentityLinkResult links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var index = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in links.People)
        {
            foreach (var a in p.Person.Addresses()) { index.TryAdd(a, p.Person.Key); }
            foreach (var a in p.Person.Accounts) { index.TryAdd(a.User.Id, p.Person.Key); }
        }
        return index;
    }

    private static ServiceOwner? Listed(ImmutableArray<string> owners, string source, IReadOnlyDictionary<string, string> personOf) =>
        owners.IsDefaultOrEmpty ? null
            : new ServiceOwner([.. owners.Select(o => personOf.GetValueOrDefault(o) ?? o).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], source);

    [GeneratedRegex(@"^\s*(owner|team)\s*[:=]\s*(?<owner>\S.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OwnerTag();

    [GeneratedRegex(@"\b(owner\s*[:=]|owned\s+by)\s*(?<owner>[^\s,;]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OwnerPhrase();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
