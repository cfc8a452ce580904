using System.Collections.Immutable;
using Ciem.Core.Model;

namespace Ciem.Core.Directories;

/// <summary>
/// Attributes usage rollups to a person (docs/directory.md, "Usage of a person"):
/// <list type="bullet">
/// <item>AWS: a session of a role linked to the person (an `AWSReservedSSO_…` role, a SAML role) whose session name is
/// one of the person's addresses or sign-in names — Identity Center names the session after the user name; a session of
/// anyone else on the same shared role is not theirs. An Identity Center user acting directly is matched by user id.</item>
/// <item>Azure: the caller's object id is one of the person's Entra accounts, or the caller (or a sign-in's UPN) is one
/// of their addresses.</item>
/// <item>GCP: `principalEmail` is `user:` one of their addresses; a service account's call whose delegation chain
/// starts with the person (`serviceAccountDelegationInfo[0]`) is theirs too, made as that service account.</item>
/// </list>
/// An address held by more than one person (<paramref name="shared"/>) attributes nothing: it cannot be told apart.
/// </summary>
public static class PersonUsageAttribution
{
    /// <summary>A row of the person's with the identity it was made as.</summary>
    public readonly record struct Attributed(PersonUsageRecord Row, string As, bool Impersonated);

    public static ImmutableArray<Attributed> Attribute(PersonLink person, IEnumerable<PersonUsageRecord> rows, IReadOnlySet<string> shared)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(shared);
        var addresses = person.Person.Addresses().Where(a => !shared.Contains(a)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Sign-in names without an `@` (Identity Center user names such as `pat`) name sessions too.
        var names = new HashSet<string>(addresses, StringComparer.OrdinalIgnoreCase);
        foreach (var a in person.Person.Accounts)
        {
            if (a.User.UserName is { Length: > 0 } n && !n.Contains('@', StringComparison.Ordinal)) { names.Add(n); }
        }
        var awsRoles = person.Links.Where(l => l.Cloud == Provider.AwsName).Select(l => l.IdentityId).ToHashSet(StringComparer.Ordinal);
        var identityCenterIds = person.Person.Accounts.Where(a => a.User.Source == DirectorySource.IdentityCenter).Select(a => a.User.Id).ToHashSet(StringComparer.Ordinal);
        var entraIds = person.Person.Accounts.Where(a => a.User.Source == DirectorySource.Entra).Select(a => a.User.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = ImmutableArray.CreateBuilder<Attributed>();
        foreach (var row in rows)
        {
            switch (row.Cloud)
            {
                case Provider.AwsName:
                    if (awsRoles.Contains(row.Identity) && names.Contains(row.Person)) { result.Add(new(row, row.Identity, false)); }
                    else if (row.Identity.StartsWith("identitycenter:", StringComparison.Ordinal) && identityCenterIds.Contains(row.Person)) { result.Add(new(row, row.Identity, false)); }
                    break;
                case Provider.AzureName:
                    if (entraIds.Contains(row.Identity) || addresses.Contains(row.Identity) || addresses.Contains(row.Person)) { result.Add(new(row, row.Identity, false)); }
                    break;
                case Provider.GcpName:
                    if (UserAddress(row.Identity) is { } caller && addresses.Contains(caller)) { result.Add(new(row, row.Identity, false)); }
                    else if (UserAddress(row.Person) is { } first && addresses.Contains(first)) { result.Add(new(row, row.Identity, true)); }
                    break;
                default:
                    break;
            }
        }
        return result.ToImmutable();
    }

    /// <summary>The addresses that more than one person holds: usage naming them cannot be attributed.</summary>
    public static IReadOnlySet<string> SharedAddresses(IEnumerable<PersonLink> people)
    {
        ArgumentNullException.ThrowIfNull(people);
        return people.SelectMany(p => p.Person.Addresses().Distinct(StringComparer.Ordinal))
            .GroupBy(a => a, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static string? UserAddress(string member) =>
        member.StartsWith("user:", StringComparison.OrdinalIgnoreCase) ? DirectoryUser.Normalize(member[5..]) : null;
}
