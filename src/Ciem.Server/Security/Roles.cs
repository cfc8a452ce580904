using System.Security.Claims;

namespace Ciem.Server.Security;

/// <summary>
/// The four roles and the policies every endpoint names: admin (everything, users), reviewer (reads all, approves and
/// objects), owner (sees and acts only on the identities they own), auditor (reads all and downloads evidence, changes nothing).
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Reviewer = "reviewer";
    public const string Owner = "owner";
    public const string Auditor = "auditor";

    public static readonly string[] All = [Admin, Reviewer, Owner, Auditor];

    /// <summary>Any signed-in role: pages and reads (owners see only their own identities).</summary>
    public const string ReadPolicy = "read";

    /// <summary>Approve and object in the review queue: admin, reviewer, owner (on their own identities).</summary>
    public const string ReviewPolicy = "review";

    /// <summary>Evidence bundles: admin and auditor.</summary>
    public const string EvidencePolicy = "evidence";

    /// <summary>Users and every token: admin only.</summary>
    public const string AdminPolicy = "admin";

    public const string OwnerClaim = "ciem:owner";
}

/// <summary>Who is asking: their name, role and the owner name their identities carry.</summary>
public sealed record Viewer(string Name, string Role, string? Owner)
{
    public static readonly Viewer Anonymous = new("", "", null);

    public bool IsOwnerOnly => Role == Roles.Owner;

    public bool CanReview => Role is Roles.Admin or Roles.Reviewer or Roles.Owner;

    public bool CanEvidence => Role is Roles.Admin or Roles.Auditor;

    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>The name written to the decision log: the owner name when acting as owner, else the user name.</summary>
    public string Actor => IsOwnerOnly && Owner is not null ? Owner : Name;

    /// <summary>Whether this viewer may see an identity owned by <paramref name="owner"/>.</summary>
    public bool MaySee(string? owner) => !IsOwnerOnly || (Owner is not null && string.Equals(owner, Owner, StringComparison.OrdinalIgnoreCase));

    public static Viewer Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true) { return Anonymous; }
        return new Viewer(user.Identity.Name ?? "", user.FindFirstValue(ClaimTypes.Role) ?? "", user.FindFirstValue(Roles.OwnerClaim));
    }

    public static ClaimsIdentity Identity(Storage.ServerUser user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(ClaimTypes.Role, user.Role) };
        if (user.Owner is not null) { claims.Add(new Claim(Roles.OwnerClaim, user.Owner)); }
        return new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role);
    }
}
