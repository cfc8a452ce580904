using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Aws.Effective;

public sealed class IdentityClassifierTests
{
    private static readonly DateTimeOffset Rotated = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static IamUser User(string name, params (string Key, string Value)[] tags) =>
        new($"arn:aws:iam::123456789012:user/{name}", name, "AIDA" + name, "/", null, [], [], [], null,
            [.. tags.Select(t => KeyValuePair.Create(t.Key, t.Value))], null);

    private static CredentialReportEntry Row(string name, bool? password, bool key) => new(
        name, $"arn:aws:iam::123456789012:user/{name}", null, password, null, null, null, false,
        key ? new AccessKeyStatus(true, Rotated, null, null, null) : AccessKeyStatus.None, AccessKeyStatus.None,
        SigningCertificateStatus.None, SigningCertificateStatus.None);

    [Theory]
    [InlineData("maria", false, true, IdentityKind.ServiceIdentity)]   // keys, no console: a service whatever the name
    [InlineData("deploy-bot", true, false, IdentityKind.HumanUser)]    // console, no keys: a person whatever the name
    [InlineData("deploy-bot", true, true, IdentityKind.ServiceIdentity)] // both: the name decides
    [InlineData("maria", true, true, IdentityKind.HumanUser)]
    [InlineData("maria", false, false, IdentityKind.HumanUser)]        // neither: the name decides
    public void Classify_WithCredentialReport_KeysWithoutConsoleAreService(string name, bool password, bool key, IdentityKind expected)
    {
        // Given a user and its credential report row / When classified / Then
        Assert.Equal(expected, IdentityClassifier.Classify(User(name), Row(name, password, key)));
    }

    [Fact]
    public void Classify_TagsWinOverCredentials()
    {
        // Given a user tagged human that has keys and no console, and one tagged service with a console only
        var human = IdentityClassifier.Classify(User("maria", ("ciem:kind", "human")), Row("maria", false, true));
        var service = IdentityClassifier.Classify(User("kiosk", ("identity-type", "service")), Row("kiosk", true, false));

        // Then the tags decide
        Assert.Equal((IdentityKind.HumanUser, IdentityKind.ServiceIdentity), (human, service));
    }

    [Fact]
    public void Classify_NoReport_NameDecidesAsBefore()
    {
        Assert.Equal(IdentityKind.ServiceIdentity, IdentityClassifier.Classify(User("ci-deploy"), null));
        Assert.Equal(IdentityKind.HumanUser, IdentityClassifier.Classify(User("maria"), null));
    }

    [Theory]
    [InlineData("owner", "team", "owner")]
    [InlineData("team", "created-by", "team")]
    [InlineData("created-by", "purpose", "created-by")]
    [InlineData("purpose", "cost-center", null)]
    public void OwnerOf_PrefersOwnerThenTeamThenCreatedBy(string first, string second, string? expected)
    {
        var tags = ImmutableArray.Create(KeyValuePair.Create(second, second), KeyValuePair.Create(first, first));
        Assert.Equal(expected, IdentityClassifier.OwnerOf(tags));
    }

    [Fact]
    public void Build_WithCredentialReport_IdentityCarriesOwnerKindAndCredentials()
    {
        // Given an account whose user `maria` has an active key, no console password and an owner tag
        var user = User("maria", ("Owner", "data-team"));
        var row = Row("maria", false, true) with { AccessKey1 = new AccessKeyStatus(true, Rotated, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), "eu-west-1", "s3") };
        var inventory = new AwsInventory([new AwsAccountSnapshot("123456789012", Rotated, [user], [], [], [])], null, [], [])
        {
            CredentialReports = [new AwsCredentialReport("123456789012", null, [row])],
        };

        // When the estate is built
        var identity = AwsEstate.Build(inventory).Identities.Single().Identity;

        // Then the user is a service identity owned by data-team, with its key's age and last use
        Assert.Equal(IdentityKind.ServiceIdentity, identity.Kind);
        Assert.Equal("data-team", identity.Owner);
        Assert.Equal(new IdentityCredentials(false, false, 1, Rotated, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), "s3"), identity.Credentials);
    }
}
