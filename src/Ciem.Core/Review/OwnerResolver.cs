using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;

namespace Ciem.Core.Review;

/// <summary>
/// What the host knows about owners beyond the identity itself: the repository each OIDC trust names, the IaC file
/// that defines each identity with the repository's CODEOWNERS, directory owners (Entra application owners, GCP
/// service-account owners), each person's manager and the fallback owner per account/subscription/project.
/// Keys are identity ids (ordinal) except <see cref="Fallback"/>, keyed by scope.
/// </summary>
public sealed record OwnerSources
{
    public ImmutableArray<string> TagKeys { get; init; } = ["owner", "team", "contact"];

    public ImmutableDictionary<string, string> OidcRepositories { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableDictionary<string, string> IacFiles { get; init; } = ImmutableDictionary<string, string>.Empty;

    public CodeOwners? CodeOwners { get; init; }

    public ImmutableDictionary<string, ImmutableArray<string>> DirectoryOwners { get; init; } =
        ImmutableDictionary<string, ImmutableArray<string>>.Empty;

    public ImmutableDictionary<string, string> Managers { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableDictionary<string, string> Fallback { get; init; } = ImmutableDictionary<string, string>.Empty;
}

/// <summary>
/// Resolves an owner per identity from the first source that names one: tags/labels (owner, team, contact), the
/// repository an OIDC trust names, the CODEOWNERS rule for the IaC file defining the identity, directory owners, the
/// person themselves for a human identity (their manager when they have one), then the fallback of its scope.
/// Null means unowned: the identity goes to the programme-admin queue.
/// </summary>
public static class OwnerResolver
{
    public static OwnerAssignment? Resolve(ReviewCandidate candidate, OwnerSources sources)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var key in sources.TagKeys)
        {
            var tag = candidate.Tags.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase));
            if (!string.IsNullOrWhiteSpace(tag.Value)) { return new(tag.Value.Trim(), OwnerSource.Tag, $"tag `{tag.Key}`"); }
        }
        if (sources.OidcRepositories.TryGetValue(candidate.IdentityId, out var repo) && !string.IsNullOrWhiteSpace(repo))
        {
            return new(repo, OwnerSource.OidcRepository, "trusted by the oidc subject of this repository");
        }
        if (sources.CodeOwners is { } codeOwners && sources.IacFiles.TryGetValue(candidate.IdentityId, out var file)
            && codeOwners.OwnersOf(file) is { Owners.IsEmpty: false } rule)
        {
            return new(string.Join(' ', rule.Owners), OwnerSource.CodeOwners, $"CODEOWNERS line {rule.Line} for `{file}`");
        }
        if (candidate.DirectoryOwner is { Length: > 0 } directoryOwner)
        {
            return new(directoryOwner, OwnerSource.DirectoryOwner, "owner in the directory export");
        }
        if (sources.DirectoryOwners.TryGetValue(candidate.IdentityId, out var owners) && !owners.IsDefaultOrEmpty)
        {
            return new(string.Join(' ', owners), OwnerSource.DirectoryOwner, "owners in the directory export");
        }
        if (candidate.KindGroup == "human")
        {
            return sources.Managers.TryGetValue(candidate.IdentityId, out var manager) && !string.IsNullOrWhiteSpace(manager)
                ? new(manager, OwnerSource.Manager, $"manager of `{candidate.Name}` in the directory")
                : new(candidate.Name, OwnerSource.Self, "a person answers for their own access");
        }
        return sources.Fallback.TryGetValue(candidate.Scope, out var fallback) && !string.IsNullOrWhiteSpace(fallback)
            ? new(fallback, OwnerSource.Fallback, $"fallback owner of `{candidate.Scope}` in the review config")
            : null;
    }
}

/// <summary>One CODEOWNERS rule: its line, pattern and owners (an empty list un-owns the matching files).</summary>
public sealed record CodeOwnersRule(int Line, string Pattern, ImmutableArray<string> Owners);

/// <summary>
/// A CODEOWNERS file as GitHub and GitLab read it: one pattern and its owners per line, `#` comments, the last
/// matching rule wins. Patterns follow gitignore: a leading `/` anchors at the root, a trailing `/` matches a folder's
/// contents, `*` stays within a folder, `**` crosses folders, a pattern without a slash matches at any depth.
/// </summary>
public sealed class CodeOwners
{
    private readonly ImmutableArray<(CodeOwnersRule Rule, Regex Pattern)> _rules;

    private CodeOwners(ImmutableArray<(CodeOwnersRule, Regex)> rules) => _rules = rules;

    public ImmutableArray<CodeOwnersRule> Rules => [.. _rules.Select(r => r.Rule)];

    public static CodeOwners Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = ImmutableArray.CreateBuilder<(CodeOwnersRule, Regex)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == '[') { continue; }
            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            if (hash > 0) { line = line[..hash]; }
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            rules.Add((new CodeOwnersRule(i + 1, parts[0], [.. parts.Skip(1)]), ToRegex(parts[0])));
        }
        return new CodeOwners(rules.ToImmutable());
    }

    /// <summary>The last rule matching <paramref name="path"/> (relative to the repository root, `/` separated), or null.</summary>
    public CodeOwnersRule? OwnersOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path.Replace('\\', '/').TrimStart('/');
        for (var i = _rules.Length - 1; i >= 0; i--)
        {
            if (_rules[i].Pattern.IsMatch(normalized)) { return _rules[i].Rule; }
        }
        return null;
    }

    private static Regex ToRegex(string pattern)
    {
        var anchored = pattern.StartsWith('/') || pattern.TrimEnd('/').Contains('/', StringComparison.Ordinal);
        var directory = pattern.EndsWith('/');
        var p = pattern.Trim('/');
        var sb = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                sb.Append(".*");
                i++;
                if (i + 1 < p.Length && p[i + 1] == '/') { i++; sb.Append("/?"); }
            }
            else if (c == '*') { sb.Append("[^/]*"); }
            else if (c == '?') { sb.Append("[^/]"); }
            else { sb.Append(Regex.Escape(c.ToString())); }
        }
        // A folder pattern owns everything below it; a file pattern also matches a folder of that name.
        sb.Append(directory ? "/.*$" : "(?:/.*)?$");
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
