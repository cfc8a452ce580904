using System.Collections.Immutable;
using Ciem.Core.Model;

namespace Ciem.Core.Directories;

/// <summary>How a link (or a directory account's place in a person) was established, strongest first.</summary>
public enum MatchKind
{
    /// <summary>An immutable id: an Identity Center `ExternalId`, an Entra object id, an assignment's principal id.</summary>
    ImmutableId,

    /// <summary>The same email address (case-insensitive).</summary>
    Email,

    /// <summary>A sign-in name (UPN, Identity Center user name) equal to another account's address.</summary>
    Upn,
}

public enum LinkProblemKind
{
    /// <summary>More than one candidate: nothing is linked, the candidates are listed.</summary>
    Ambiguous,

    /// <summary>No candidate: a directory reference or a cloud principal that matches nothing on the other side.</summary>
    Unmatched,

    /// <summary>A service identity whose directory lists no owner.</summary>
    NoOwner,
}

/// <summary>A problem found while linking; <see cref="Candidates"/> lists what could not be told apart.</summary>
public sealed record LinkProblem(LinkProblemKind Kind, string Subject, string Message, ImmutableArray<string> Candidates);

/// <summary>A directory account that is part of a person; <see cref="JoinedBy"/> is null for a person of one account.</summary>
public sealed record PersonAccount(DirectoryUser User, MatchKind? JoinedBy);

/// <summary>One human, resolved from the directories: the accounts that are the same person, keyed by their main address.</summary>
public sealed record Person(string Key, string DisplayName, ImmutableArray<PersonAccount> Accounts)
{
    public IEnumerable<string> Addresses() => Accounts.SelectMany(a => a.User.Addresses()).Distinct(StringComparer.Ordinal);
}

/// <summary>One step of a federation chain: a directory user or group, a permission set, an account, a binding.</summary>
public sealed record FederationStep(string Kind, string Id, string Name)
{
    public override string ToString() => $"{Kind} {Name}";
}

/// <summary>
/// A cloud identity a person or service acts as: <see cref="Cloud"/> is `aws`, `azure` or `gcp`, <see cref="IdentityId"/>
/// the role ARN, principal object id or IAM member, <see cref="Via"/> the chain from the directory account to it.
/// </summary>
public sealed record IdentityLink(string Cloud, string IdentityId, ImmutableArray<FederationStep> Via, MatchKind Match)
{
    public string ViaText => string.Join(" → ", Via);
}

public sealed record PersonLink(Person Person, ImmutableArray<IdentityLink> Links, ImmutableArray<LinkProblem> Problems);

/// <summary>A non-human directory identity with the owners its directory lists (person keys where the owner is a known person).</summary>
public sealed record ServiceIdentityLink(DirectoryServicePrincipal Principal, ImmutableArray<string> Owners, ImmutableArray<IdentityLink> Links, ImmutableArray<LinkProblem> Problems);

/// <summary>
/// What the linker sees of the clouds: the AWS identities (from <c>AwsEstate.Identities</c>), the Azure principal object
/// ids that hold role assignments, and the GCP IAM members (`user:…`, `group:…`) that appear in bindings.
/// </summary>
public sealed record LinkTargets(ImmutableArray<Identity> Aws, ImmutableArray<string> AzurePrincipalIds, ImmutableArray<string> GcpMembers)
{
    public static readonly LinkTargets None = new([], [], []);
}

public sealed record IdentityLinkResult(ImmutableArray<PersonLink> People, ImmutableArray<ServiceIdentityLink> ServiceIdentities, ImmutableArray<LinkProblem> Problems)
{
    /// <summary>The people that have <paramref name="address"/> (an email or UPN, any case) on one of their accounts.</summary>
    public ImmutableArray<PersonLink> Find(string address)
    {
        var key = DirectoryUser.Normalize(address);
        return key is null ? [] : [.. People.Where(p => p.Person.Addresses().Contains(key, StringComparer.Ordinal))];
    }
}
