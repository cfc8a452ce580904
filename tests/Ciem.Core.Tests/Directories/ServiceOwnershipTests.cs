using Ciem.Core.Directories;

namespace Ciem.Core.Tests.Directories;

public sealed class ServiceOwnershipTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> People = new(StringComparer.OrdinalIgnoreCase) { ["pat.lee@example.org"] = "pat.lee@example.org", ["pat@example.org"] = "pat.lee@example.org" };

    [Theory]
    [InlineData("owner:team-bi", "team-bi")]
    [InlineData("Owner = data platform", "data platform")]
    [InlineData("team:sre", "sre")]
    public void FromTags_OwnerOrTeamTag_Owner(string tag, string owner)
    {
        Assert.Equal(new[] { owner }, ServiceOwnership.FromTags(["WindowsAzureActiveDirectoryIntegratedApp", tag])!.Owners);
    }

    [Fact]
    public void FromTags_NoOwnerTag_Null()
    {
        Assert.Null(ServiceOwnership.FromTags(["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"]));
    }

    [Theory]
    [InlineData("sandbox of PAT@example.org", "pat.lee@example.org")]
    [InlineData("nightly loads, owned by data-eng@example.org.", "data-eng@example.org")]
    [InlineData("Owner: team-finance; contact #finance", "team-finance")]
    public void FromText_KnownPersonOrOwnerPhrase_Owner(string text, string owner)
    {
        Assert.Equal(new[] { owner }, ServiceOwnership.FromText(text, "description", People)!.Owners);
    }

    [Fact]
    public void FromText_NameWithoutKnownAddress_NoOwnerGuessed()
    {
        // Given a display name that mentions an unknown address and `owner` as a word
        Assert.Null(ServiceOwnership.FromText("sync to someone@partner.example", "name", People, ownerPattern: false));
        Assert.Null(ServiceOwnership.FromText("report-bot", "name", People));
    }

    [Fact]
    public void CredentialSummary_ActiveExpiredNeverExpiring_CountsAgeAndNextExpiry()
    {
        // Given an expired secret, a certificate expiring next month and a key that never expires
        AppCredential[] credentials =
        [
            new(CredentialKind.Secret, "1", "old", AsOf.AddDays(-800), AsOf.AddDays(-70)),
            new(CredentialKind.Certificate, "2", "cert", AsOf.AddDays(-300), AsOf.AddDays(30)),
            new(CredentialKind.Key, "3", null, AsOf.AddDays(-100), null),
        ];

        // When summarised
        var summary = CredentialSummary.Of(credentials, AsOf)!;

        // Then two active (the oldest 300 days old), one expired, the next expiry in 30 days
        Assert.Equal((2, 1, AsOf.AddDays(-300), AsOf.AddDays(30)), (summary.Active, summary.Expired, summary.OldestActiveStart, summary.NextExpiry));
        Assert.Equal("2 active (oldest 300 d), expires 2026-12-28, 1 expired", summary.Describe(AsOf));
        Assert.Null(CredentialSummary.Of([], AsOf));
    }
}
