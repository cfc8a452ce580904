using System.Collections.Immutable;
using Ciem.Core.Directories;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Directories;

public sealed class PersonUsageAttributionTests
{
    private static readonly DateTimeOffset Seen = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private const string SsoRole = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Data_0123456789abcdef";
    private const string EntraId = "7d1e0c3a-5b2f-4c8e-9a61-2f4b8d0e1c37";

    private static PersonLink Pat()
    {
        var ic = new DirectoryUser(DirectorySource.IdentityCenter, "ic-pat", "pat", "pat@example.org", "Pat", true, [], []);
        var entra = new DirectoryUser(DirectorySource.Entra, EntraId, "pat@example.org", "pat@example.org", "Pat", true, ["p.lee@example.org"], []);
        var person = new Ciem.Core.Directories.Person("pat@example.org", "Pat", [new PersonAccount(ic, MatchKind.Email), new PersonAccount(entra, MatchKind.Email)]);
        return new PersonLink(person, [new IdentityLink(Provider.AwsName, SsoRole, [], MatchKind.Email)], []);
    }

    private static PersonUsageRecord Row(string cloud, string identity, string person, string action = "x") => new(cloud, identity, person, action, 1, Seen);

    [Fact]
    public void Attribute_RowsOfEachCloud_OnlyThePersonsOwn()
    {
        // Given rows of Pat and of others in the three clouds
        PersonUsageRecord[] rows =
        [
            Row("aws", SsoRole, "pat"),                          // session named after the Identity Center user name
            Row("aws", SsoRole, "PAT@example.org"),              // or the address, any case
            Row("aws", SsoRole, "sam@example.org"),              // someone else on the shared role
            Row("aws", "arn:aws:iam::123456789012:role/Other", "pat"), // a role not linked to Pat
            Row("azure", EntraId.ToUpperInvariant(), ""),        // caller object id
            Row("azure", "p.lee@example.org", ""),               // caller recorded by UPN
            Row("azure", "app-id", "pat@example.org"),           // a sign-in naming Pat
            Row("gcp", "user:pat@example.org", ""),
            Row("gcp", "serviceAccount:etl@p.iam.gserviceaccount.com", "user:pat@example.org"),
            Row("gcp", "serviceAccount:etl@p.iam.gserviceaccount.com", ""),
            Row("gcp", "user:sam@example.org", ""),
        ];

        // When they are attributed to Pat
        var mine = PersonUsageAttribution.Attribute(Pat(), rows, ImmutableHashSet<string>.Empty);

        // Then the two sessions, three Azure rows and two GCP rows (one through the delegation chain) are Pat's
        Assert.Equal([rows[0], rows[1], rows[4], rows[5], rows[6], rows[7], rows[8]], mine.Select(m => m.Row));
        Assert.Equal([false, false, false, false, false, false, true], mine.Select(m => m.Impersonated));
        Assert.Equal("serviceAccount:etl@p.iam.gserviceaccount.com", mine[^1].As);
    }

    [Fact]
    public void Attribute_SharedAddress_AttributesNothingThroughIt()
    {
        // Given Pat's other address is also held by another person
        var shared = PersonUsageAttribution.SharedAddresses([Pat(), Pat() with { Person = Pat().Person with { Key = "other" } }]);

        // When a GCP row names that address
        var mine = PersonUsageAttribution.Attribute(Pat(), [Row("gcp", "user:p.lee@example.org", "")], shared);

        // Then nothing is attributed: the address cannot be told apart
        Assert.Contains("p.lee@example.org", shared);
        Assert.Empty(mine);
    }
}
