using Ciem.Core.Matching;
using System.Collections.Immutable;
using Ciem.Core.Aws.Matching;
using Ciem.Core.Model;

namespace Ciem.Core.Sweep;

/// <summary>An identity name (glob, case-insensitive; `ACCOUNT/NAME` to pin an account or scope) excluded from proposals.</summary>
public sealed record ExcludedName(string Pattern, string Reason);

/// <summary>A tag (or GCP label) that excludes an identity: the key, and the value (any value but `false` when null).</summary>
public sealed record ExcludedTag(string Key, string? Value, string Reason);

/// <summary>
/// Identities no proposal may touch: emergency-access (break-glass) and other protected identities. The defaults
/// exclude `OrganizationAccountAccessRole` and `AWSControlTowerExecution` (the roles an organisation uses to reach a
/// member account when everything else fails) and identities tagged `break-glass`, `breakglass` or `emergency-access`
/// (key, or value of a `purpose`/`role`/`type` tag). The `exclusions` section of `ciem.yml` adds names and tags
/// (docs/least-privilege.md); `defaults: false` drops the built-in ones. Shared by `ciem propose`, `ciem sweep` and the
/// review programme.
/// </summary>
public sealed record ProposalExclusions(ImmutableArray<ExcludedName> Names, ImmutableArray<ExcludedTag> Tags, bool Defaults = true)
{
    private static readonly ImmutableArray<ExcludedName> DefaultNames =
    [
        new("OrganizationAccountAccessRole", "organisation access role: the break-glass path into a member account"),
        new("AWSControlTowerExecution", "Control Tower execution role: the organisation's path into a member account"),
    ];

    private static readonly string[] BreakGlassWords = ["breakglass", "emergencyaccess"];
    private static readonly string[] PurposeKeys = ["purpose", "role", "type", "usage"];

    /// <summary>The built-in exclusions only.</summary>
    public static ProposalExclusions Default { get; } = new([], []);

    /// <summary>Nothing excluded (tests and `defaults: false` with no entries).</summary>
    public static ProposalExclusions None { get; } = new([], [], Defaults: false);

    /// <summary>Why the identity is excluded from proposals, or null.</summary>
    public string? ReasonFor(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        foreach (var n in Defaults ? DefaultNames.Concat(Names) : Names)
        {
            var slash = n.Pattern.IndexOf('/', StringComparison.Ordinal);
            var matches = slash > 0
                ? Wildcard.IsMatch(n.Pattern.AsSpan(0, slash), identity.Scope, ignoreCase: true) && Wildcard.IsMatch(n.Pattern.AsSpan(slash + 1), identity.Name, ignoreCase: true)
                : Wildcard.IsMatch(n.Pattern, identity.Name, ignoreCase: true);
            if (matches) { return $"excluded: {n.Reason} (name `{n.Pattern}`)"; }
        }
        var tags = identity.Tags.IsDefault ? [] : identity.Tags;
        foreach (var t in Tags)
        {
            foreach (var (key, value) in tags)
            {
                if (string.Equals(key, t.Key, StringComparison.OrdinalIgnoreCase)
                    && (t.Value is null ? !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) : string.Equals(value, t.Value, StringComparison.OrdinalIgnoreCase)))
                {
                    return $"excluded: {t.Reason} (tag `{key}`)";
                }
            }
        }
        if (Defaults)
        {
            foreach (var (key, value) in tags)
            {
                var k = Normalise(key);
                var v = Normalise(value);
                if ((BreakGlassWords.Contains(k) && v != "false") || (PurposeKeys.Contains(k) && BreakGlassWords.Contains(v)))
                {
                    return $"excluded: tagged as break-glass (tag `{key}`)";
                }
            }
        }
        return null;
    }

    private static string Normalise(string text) =>
        new([.. text.Where(c => c is not ('-' or '_' or ' ' or '.')).Select(char.ToLowerInvariant)]);
}
