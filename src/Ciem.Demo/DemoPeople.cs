using System.Globalization;

namespace Ciem.Demo;

/// <summary>One person of the estate: the AWS actor (Identity Center sessions named by e-mail) and their directory ids.</summary>
internal sealed record DemoPerson(int Index, string Email, string GivenName, string FamilyName, Actor Actor, string EntraId, string IdentityCenterId, string GoogleId)
{
    public string DisplayName => $"{GivenName} {FamilyName}";

    /// <summary>The sign-in name in Entra, Identity Center and Google: the e-mail address.</summary>
    public string Upn => Email;

    public bool Inactive => Actor.Inactive;

    public bool IsAdmin => Actor.IsAdmin;

    /// <summary>The permission sets the person uses in AWS (from their `AWSReservedSSO_…` roles).</summary>
    public IEnumerable<string> PermissionSets => Actor.Slots.Where(s => s.Principal.Archetype == Archetype.Sso).Select(s => DemoPeople.PermissionSetOf(s.Principal.Name)).Distinct(StringComparer.Ordinal);
}

/// <summary>
/// The people of the demo estate and which clouds beyond AWS they work in. Everybody is in Entra ID (the identity
/// provider) and in IAM Identity Center (provisioned from Entra by SCIM); a subset holds Azure roles, another GCP
/// roles (those are also Google Workspace users); the first <see cref="Federated"/> people are in all three clouds.
/// Sizes: Azure people and GCP people ≈ 0.8 % of the identities each (at least 6), a third of the smaller
/// group federated (at least 3). Active people are chosen first for the federated ones so their stories show.
/// </summary>
internal sealed class DemoPeople
{
    public DemoPeople(DemoPopulation population, DemoOptions options)
    {
        var rng = StableRandom.For(options.Seed, 40);
        var people = new List<DemoPerson>();
        foreach (var actor in population.Actors.Where(a => a.Human))
        {
            if (actor.Email is not { } email) { continue; }
            var local = email[..email.IndexOf('@', StringComparison.Ordinal)];
            var dot = local.IndexOf('.', StringComparison.Ordinal);
            var given = Title(local[..dot]);
            var family = Title(local[(dot + 1)..].TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'));
            var ic = $"{rng.Hex(10)}-{rng.Hex(8)}-{rng.Hex(4)}-{rng.Hex(4)}-{rng.Hex(4)}-{rng.Hex(12)}";
            people.Add(new DemoPerson(people.Count, email, given, family, actor, rng.Guid(), ic, "1" + rng.Digits(20)));
        }
        All = people;
        var azureCount = Math.Clamp((int)Math.Round(options.Identities * 0.008), 6, Math.Max(6, people.Count / 2));
        var gcpCount = Math.Clamp((int)Math.Round(options.Identities * 0.008), 6, Math.Max(6, people.Count / 2));
        var federated = Math.Max(3, Math.Min(azureCount, gcpCount) / 3);
        // A fixed shuffle: active people first (the federated ones act in every cloud), then everyone else.
        var order = people.OrderBy(p => p.Inactive ? 1 : 0).ThenBy(p => StableRandom.Mix((ulong)options.Seed * 31 + (ulong)p.Index)).ToList();
        Federated = order.Take(federated).ToList();
        Azure = [.. order.Take(azureCount)];
        Gcp = [.. Federated, .. order.Skip(azureCount).Take(gcpCount - federated)];
    }

    public IReadOnlyList<DemoPerson> All { get; }

    public IReadOnlyList<DemoPerson> Azure { get; }

    public IReadOnlyList<DemoPerson> Gcp { get; }

    /// <summary>People who hold roles and act in AWS, Azure and GCP.</summary>
    public IReadOnlyList<DemoPerson> Federated { get; }

    /// <summary>`AWSReservedSSO_Developer_0123456789abcdef` → `Developer`.</summary>
    public static string PermissionSetOf(string roleName)
    {
        var rest = roleName["AWSReservedSSO_".Length..];
        return rest[..rest.LastIndexOf('_')];
    }

    private static string Title(string s) => s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.InvariantCulture) + s[1..];
}
