using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Paths;

public sealed class PathsCommandTests
{
    [Fact]
    public void Paths_UnknownIdentity_ExitsWithInvalidInput()
    {
        // Given the sample estate
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When paths are asked for an identity that does not exist
        var (code, _, err) = cli.Run("paths", "nobody", "--db", cli.Db);

        // Then the error names it and the exit code is 3
        Assert.Equal(3, code);
        Assert.Contains("no identity `nobody`", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21")]
    public void Paths_MaxHopsOutOfRange_ExitsWithInvalidInput(string hops)
    {
        // Given the sample estate / When --max-hops is out of range
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, _, err) = cli.Run("paths", "ci-deploy", "--max-hops", hops, "--db", cli.Db);

        // Then it is refused before anything is computed
        Assert.Equal(3, code);
        Assert.Contains($"`--max-hops {hops}` is out of range", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_BadTo_ExitsWithInvalidInput()
    {
        // Given the sample estate / When --to names neither admin nor ACTION RESOURCE
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, _, err) = cli.Run("paths", "ci-deploy", "--to", "root", "--db", cli.Db);

        // Then the option is refused
        Assert.Equal(3, code);
        Assert.Contains("`--to root` is neither `admin` nor ACTION RESOURCE", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_AdministratorRequiringMfa_IsAdministratorInAnMfaSessionOnly()
    {
        // Given alice.admin, whose group denies everything without MFA
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When her standing is asked by default (an MFA session) and for stolen keys without MFA
        var (code, withMfa, _) = cli.Run("paths", "alice.admin", "--db", cli.Db, "--format", "json");
        var (_, noMfa, _) = cli.Run("paths", "alice.admin", "--db", cli.Db, "--format", "json", "--context", "aws:MultiFactorAuthPresent=false");

        // Then she is an administrator with MFA, and nothing without it
        Assert.Equal(0, code);
        Assert.Equal("administrator", JsonDocument.Parse(withMfa).RootElement.GetProperty("category").GetString());
        Assert.Equal("none", JsonDocument.Parse(noMfa).RootElement.GetProperty("category").GetString());
    }

    [Fact]
    public void PathsAdmins_Samples_ListsAdministratorsPerAccount()
    {
        // Given the sample estate / When the effective administrators are listed
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("paths", "--admins", "--db", cli.Db, "--format", "json");

        // Then both accounts have their administrators, the region-restricting SCP notwithstanding
        Assert.Equal(0, code);
        var accounts = JsonDocument.Parse(output).RootElement.GetProperty("items").EnumerateArray().ToDictionary(a => a.GetProperty("account").GetString()!);
        Assert.Equal(4, accounts["111111111111"].GetProperty("administrators").GetArrayLength());
        Assert.Equal(2, accounts["222222222222"].GetProperty("administrators").GetArrayLength());
    }
}

public sealed class IdentitiesRiskTests
{
    [Fact]
    public void IdentitiesRisk_Csv_RanksWithEveryFactorShown()
    {
        // Given the sample estate / When identities are ranked by risk as CSV
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("identities", "--risk", "--db", cli.Db, "--format", "csv");

        // Then the header is stable, break-glass (unused administrator) ranks first, and scores descend
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("identity,account,kind,score,factors,provider,category", lines[0]);
        Assert.StartsWith("arn:aws:iam::111111111111:user/break-glass,111111111111,human,75,administrator +40", lines[1], StringComparison.Ordinal);
        // (the sample's resource policies name only the organisation's own accounts: no resource row)
        Assert.Equal(15, lines.Length);
        Assert.DoesNotContain(lines, l => l.Contains(",resource,", StringComparison.Ordinal));
    }

    [Fact]
    public void IdentitiesRisk_PublicBucketInExport_ListedWithItsStatement()
    {
        // Given the sample export with one more bucket policy that lets anyone read (as get-bucket-policy returns it)
        using var cli = new CliRunner();
        var dir = Directory.CreateTempSubdirectory("ciem-risk-");
        try
        {
            foreach (var f in Directory.GetFiles(TestPaths.Repo("samples", "aws"))) { File.Copy(f, Path.Combine(dir.FullName, Path.GetFileName(f))); }
            var policies = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir.FullName, "resource-policies.json")))!.AsObject();
            policies["arn:aws:s3:::acme-public-site"] = System.Text.Json.Nodes.JsonNode.Parse(
                """{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-public-site/*"}]}""");
            File.WriteAllText(Path.Combine(dir.FullName, "resource-policies.json"), policies.ToJsonString());
            Assert.Equal(0, cli.Run("import", "aws", dir.FullName, "--db", cli.Db).Code);

            // When identities are ranked by risk as JSON
            var (code, output, _) = cli.Run("identities", "--risk", "--db", cli.Db, "--format", "json");

            // Then the bucket is listed as public, with its points and deciding statement, and only it
            Assert.Equal(0, code);
            using var json = System.Text.Json.JsonDocument.Parse(output);
            var resource = Assert.Single(json.RootElement.GetProperty("resources").EnumerateArray());
            Assert.Equal("arn:aws:s3:::acme-public-site", resource.GetProperty("resource").GetString());
            Assert.Equal("public-resource", resource.GetProperty("factor").GetString());
            Assert.Equal(30, resource.GetProperty("points").GetInt32());
            Assert.Contains("statement 0 (PublicRead): Principal `*`", resource.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Identities_CsvWithoutRisk_EveryIdentityOneRow()
    {
        // Given the sample estate / When CSV is asked for the plain list
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, err) = cli.Run("identities", "--db", cli.Db, "--format", "csv");

        // Then one header and one row per identity, with the JSON list's columns
        Assert.True(code == 0, err);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(15, lines.Length);
        Assert.StartsWith("id,name,kind,account,granted", lines[0], StringComparison.Ordinal);
    }
}
