using System.Collections.Immutable;
using Ciem.Core.Gcp.Conditions;

namespace Ciem.Core.Gcp.Evaluation;

/// <summary>The kinds of member an allow binding or a deny rule can name.</summary>
public enum GcpMemberKind
{
    User,
    Group,
    ServiceAccount,
    Domain,
    AllUsers,
    AllAuthenticatedUsers,
    /// <summary>A single workload or workforce identity: `principal://iam.googleapis.com/…/subject/…`.</summary>
    Principal,
    /// <summary>A set of identities: a pool (`…/*`), a pool group, an attribute value, a project's service accounts.</summary>
    PrincipalSet,
    /// <summary>`deleted:…` — a deleted account; it never matches a live principal.</summary>
    Deleted,
    /// <summary>`projectOwner:p`, `projectEditor:p`, `projectViewer:p` (legacy bucket convenience values).</summary>
    ProjectConvenience,
    Unknown,
}

/// <summary>
/// Who is asking: the member (`user:alice@example.com`, `serviceAccount:…`, `principal://…`, or `allUsers` for an
/// anonymous caller) and the groups and principal sets it belongs to (`group:…`, `principalSet://…/group/…`,
/// `principalSet://…/attribute.dept/eng`). Group membership is closed-world: a `group:` binding matches only when the
/// group is listed here (directly or via <see cref="GcpPolicySet"/>'s group memberships).
/// </summary>
public sealed record GcpPrincipal(string Member, ImmutableArray<string> Groups)
{
    public GcpPrincipal(string member)
        : this(member, [])
    {
    }

    public GcpMemberKind Kind => GcpMembers.KindOf(GcpMembers.Canonical(Member));

    public bool IsAnonymous => GcpMembers.Canonical(Member) == GcpMembers.AllUsers;
}

/// <summary>
/// Member identifiers of allow policies (v1) and deny policies (v2), and matching a principal against them with
/// three-valued results: identifiers whose membership cannot be known from the inputs (attribute sets, a project's
/// service accounts, a Cloud Identity customer, legacy convenience values) give <see cref="Truth.Unknown"/>.
/// </summary>
public static class GcpMembers
{
    public const string AllUsers = "allUsers";
    public const string AllAuthenticatedUsers = "allAuthenticatedUsers";

    private const string V2User = "principal://goog/subject/";
    private const string V2Group = "principalSet://goog/group/";
    private const string V2ServiceAccount = "principal://iam.googleapis.com/projects/-/serviceAccounts/";
    private const string V2Public = "principalSet://goog/public:all";

    /// <summary>
    /// The v1 form of a v2 identifier where one exists (`principal://goog/subject/a@x` → `user:a@x`,
    /// `principalSet://goog/group/g@x` → `group:g@x`, `principal://iam.googleapis.com/projects/-/serviceAccounts/s` →
    /// `serviceAccount:s`, `principalSet://goog/public:all` → `allUsers`); other identifiers are returned trimmed.
    /// </summary>
    public static string Canonical(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var m = member.Trim();
        if (m.StartsWith(V2User, StringComparison.Ordinal)) { return "user:" + m[V2User.Length..]; }
        if (m.StartsWith(V2Group, StringComparison.Ordinal)) { return "group:" + m[V2Group.Length..]; }
        if (m.StartsWith(V2ServiceAccount, StringComparison.Ordinal)) { return "serviceAccount:" + m[V2ServiceAccount.Length..]; }
        return m == V2Public ? AllUsers : m;
    }

    public static GcpMemberKind KindOf(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var m = Canonical(member);
        if (m == AllUsers) { return GcpMemberKind.AllUsers; }
        if (m == AllAuthenticatedUsers) { return GcpMemberKind.AllAuthenticatedUsers; }
        if (m.StartsWith("deleted:", StringComparison.Ordinal)) { return GcpMemberKind.Deleted; }
        if (m.StartsWith("principal://", StringComparison.Ordinal)) { return GcpMemberKind.Principal; }
        if (m.StartsWith("principalSet://", StringComparison.Ordinal)) { return GcpMemberKind.PrincipalSet; }
        var colon = m.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? ReadOnlySpan<char>.Empty : m.AsSpan(0, colon)) switch
        {
            "user" => GcpMemberKind.User,
            "group" => GcpMemberKind.Group,
            "serviceAccount" => GcpMemberKind.ServiceAccount,
            "domain" => GcpMemberKind.Domain,
            "projectOwner" or "projectEditor" or "projectViewer" => GcpMemberKind.ProjectConvenience,
            _ => GcpMemberKind.Unknown,
        };
    }

    /// <summary>Whether <paramref name="member"/> (v1 or v2 identifier) denotes the principal.</summary>
    public static Truth Match(GcpPrincipal principal, string member) => Match(Identities(principal), member);

    /// <summary>The identifiers a principal answers to, canonical and case-insensitive: itself, its groups, its pool.</summary>
    internal static PrincipalIdentities Identities(GcpPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new PrincipalIdentities(principal);
    }

    internal static Truth Match(PrincipalIdentities identities, string member)
    {
        var m = Canonical(member);
        if (identities.Contains(m)) { return Truth.True; }
        var self = identities.Self;
        var selfKind = identities.SelfKind;
        switch (KindOf(m))
        {
            case GcpMemberKind.AllUsers:
                return Truth.True;
            case GcpMemberKind.AllAuthenticatedUsers:
                return selfKind == GcpMemberKind.AllUsers ? Truth.False : Truth.True;
            case GcpMemberKind.Domain:
                return selfKind == GcpMemberKind.User && self.EndsWith("@" + m["domain:".Length..], StringComparison.OrdinalIgnoreCase)
                    ? Truth.True : Truth.False;
            case GcpMemberKind.PrincipalSet:
                return PrincipalSet(m, self, selfKind);
            case GcpMemberKind.ProjectConvenience or GcpMemberKind.Unknown:
                return selfKind == GcpMemberKind.AllUsers ? Truth.False : Truth.Unknown;
            default:
                // user:, group:, serviceAccount:, principal://, deleted: — exact identifiers, already looked up.
                return Truth.False;
        }
    }

    private static Truth PrincipalSet(string set, string self, GcpMemberKind selfKind)
    {
        // Pool-wide sets (`…/*`) and pool groups were decided by the identity lookup.
        if (set.EndsWith("/*", StringComparison.Ordinal) || set.Contains("/group/", StringComparison.Ordinal)) { return Truth.False; }
        if (set.Contains("/attribute.", StringComparison.Ordinal))
        {
            var pool = set[("principalSet://".Length)..set.IndexOf("/attribute.", StringComparison.Ordinal)];
            return PoolOf(self) == pool ? Truth.Unknown : Truth.False;
        }
        if (set.EndsWith("/type/ServiceAccount", StringComparison.Ordinal))
        {
            return selfKind == GcpMemberKind.ServiceAccount ? Truth.Unknown : Truth.False;
        }
        if (set.StartsWith("principalSet://goog/cloudIdentityCustomerId/", StringComparison.Ordinal))
        {
            return selfKind is GcpMemberKind.User or GcpMemberKind.Group ? Truth.Unknown : Truth.False;
        }
        return selfKind == GcpMemberKind.AllUsers ? Truth.False : Truth.Unknown;
    }

    /// <summary>`iam.googleapis.com/…/workloadIdentityPools/p` of `principal://iam.googleapis.com/…/workloadIdentityPools/p/subject/s`.</summary>
    private static string? PoolOf(string member)
    {
        const string prefix = "principal://";
        if (!member.StartsWith(prefix, StringComparison.Ordinal)) { return null; }
        var subject = member.IndexOf("/subject/", StringComparison.Ordinal);
        return subject < 0 ? null : member[prefix.Length..subject];
    }

    /// <summary>A principal prepared for matching many members: its canonical form, kind and identifier set, computed once.</summary>
    internal sealed class PrincipalIdentities
    {
        private readonly HashSet<string> _set;

        public PrincipalIdentities(GcpPrincipal principal)
        {
            Principal = principal;
            Self = Canonical(principal.Member);
            SelfKind = KindOf(Self);
            _set = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Self };
            foreach (var group in principal.Groups) { _set.Add(Canonical(group)); }
            if (PoolOf(principal.Member) is { } pool) { _set.Add("principalSet://" + pool + "/*"); }
        }

        public GcpPrincipal Principal { get; }

        public string Self { get; }

        public GcpMemberKind SelfKind { get; }

        public bool Contains(string canonical) => _set.Contains(canonical);
    }

    /// <summary>Whether the member makes a binding public: `allUsers` or `allAuthenticatedUsers` (or `principalSet://goog/public:all`).</summary>
    public static bool IsPublic(string member) => KindOf(member) is GcpMemberKind.AllUsers or GcpMemberKind.AllAuthenticatedUsers;
}
