using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

public sealed class InventoryCommandsTests
{
    [Fact]
    public void Identities_AfterImportingSamples_ListsEveryIdentityWithKindsCountsAndAdmins()
    {
        // Given the sample estate imported
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When identities are listed as JSON
        var (code, output, _) = cli.Run("identities", "--db", cli.Db, "--format", "json");

        // Then all 14 users and roles are there with their kinds and the admin flags of the samples
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(14, rows.Count);
        var ci = rows["arn:aws:iam::222222222222:user/ci-deploy"];
        Assert.Equal("service", ci.GetProperty("kind").GetString());
        Assert.Equal(6, ci.GetProperty("granted").GetInt32());
        Assert.False(ci.GetProperty("admin").GetBoolean());
        Assert.True(rows["arn:aws:iam::111111111111:user/break-glass"].GetProperty("fullAdmin").GetBoolean());
        Assert.Equal("service-linked", rows.Values.Single(r => r.GetProperty("name").GetString() == "AWSServiceRoleForOrganizations").GetProperty("kind").GetString());
        Assert.Equal(2, rows.Values.Count(r => r.GetProperty("kind").GetString() == "sso"));
        Assert.Equal(6, rows.Values.Count(r => r.GetProperty("admin").GetBoolean()));
    }

    [Fact]
    public void Identities_Text_MatchesSnapshot()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("identities", "--db", cli.Db);
        Assert.Equal(0, code);
        Snapshot.Match(output, "identities-samples", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Effective_CiDeploy_ListsEachActionWithSourceAndScpLimit()
    {
        // Given the sample estate / When the deploy user's effective permissions are asked as JSON
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("effective", "ci-deploy", "--db", cli.Db, "--format", "json");

        // Then its six actions, each with the granting statement and the region SCP as a limit
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var actions = doc.RootElement.GetProperty("permissions").EnumerateArray().Select(p => p.GetProperty("action").GetString()!).ToArray();
        Assert.Equal(["iam:PassRole", "lambda:GetFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "s3:GetObject", "s3:PutObject"], actions);
        var put = doc.RootElement.GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("action").GetString() == "s3:PutObject");
        Assert.Equal("arn:aws:s3:::acme-deploy-artifacts/*", put.GetProperty("resources").GetString());
        Assert.Contains("DenyOutsideApprovedRegions", put.GetProperty("limitedBy")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("(DeployArtifacts)", put.GetProperty("grantedBy")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Effective_Text_MatchesSnapshot()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("effective", "app-worker", "--db", cli.Db);
        Assert.Equal(0, code);
        Snapshot.Match(output, "effective-app-worker", "Ciem.Cli.Tests");
    }

    [Theory]
    [InlineData("eu-west-1", "Allow", null)]
    [InlineData("ap-south-1", "ExplicitDeny", "scp")]
    public void Can_DeployUserByRegion_DecidedWithExplanation(string region, string decision, string? blockedBy)
    {
        // Given the sample estate / When asking whether the deploy user can upload its artifact from a region
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("can", "ci-deploy", "s3:PutObject", "arn:aws:s3:::acme-deploy-artifacts/build.zip", "-c", $"aws:RequestedRegion={region}", "--db", cli.Db, "--format", "json");

        // Then the region SCP decides (the RCP that requires organization identities passes: the org context is derived)
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(decision, doc.RootElement.GetProperty("decision").GetString());
        Assert.Equal(blockedBy, doc.RootElement.GetProperty("blockedBy").GetString());
    }

    [Fact]
    public void WhoCan_ReadProdReports_ListsIdentitiesAllowed()
    {
        // Given the sample estate, and a request over TLS in eu-west-1 (MFA not said)
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("who-can", "s3:GetObject", "arn:aws:s3:::acme-prod-reports/q3.csv", "--resource-account", "222222222222",
            "-c", "aws:RequestedRegion=eu-west-1", "-c", "aws:SecureTransport=true", "--db", cli.Db, "--format", "json");

        // Then those allowed whatever else the request says are Allow, those whose access depends on MFA are listed apart
        // with the deciding condition (not dropped), and those without access are absent
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var who = doc.RootElement.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("identity").GetString()!, e => e);
        Assert.Equal("Allow", who["arn:aws:iam::222222222222:user/carol.oncall"].GetProperty("decision").GetString());
        Assert.Equal("Allow", who["arn:aws:iam::111111111111:user/break-glass"].GetProperty("decision").GetString()); // cross-account, allowed by the bucket policy naming the management account
        var bob = who["arn:aws:iam::111111111111:user/bob.finance"];
        Assert.True(bob.GetProperty("conditional").GetBoolean());
        Assert.Equal("`BoolIfExists aws:MultiFactorAuthPresent [false]` does not hold", bob.GetProperty("allowedWhen")[0].GetString());
        Assert.DoesNotContain("arn:aws:iam::222222222222:user/ci-deploy", who.Keys);
    }

    [Fact]
    public void WhoCan_MfaGiven_ConditionalPrincipalDecided()
    {
        // Given the same question with MFA present
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("who-can", "s3:GetObject", "arn:aws:s3:::acme-prod-reports/q3.csv", "--resource-account", "222222222222",
            "-c", "aws:RequestedRegion=eu-west-1", "-c", "aws:SecureTransport=true", "-c", "aws:MultiFactorAuthPresent=true", "--db", cli.Db, "--format", "json");

        // Then the MFA-conditioned user is definitely allowed
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var bob = doc.RootElement.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("identity").GetString() == "arn:aws:iam::111111111111:user/bob.finance");
        Assert.Equal("Allow", bob.GetProperty("decision").GetString());
    }

    [Fact]
    public void Import_UnrecognisedFile_Exit3AndStoreNotCreated()
    {
        using var cli = new CliRunner();
        var file = Path.Combine(cli.Home, "notes.json");
        File.WriteAllText(file, """{"hello": "world"}""");
        var (code, _, error) = cli.Run("import", "aws", file, "--db", cli.Db);
        Assert.Equal(3, code);
        Assert.Contains("CIEM3006", error, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.Db));
    }

    [Fact]
    public void Import_Twice_SecondIsUnchanged()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("import", "aws", TestPaths.Repo("samples", "aws"), "--db", cli.Db, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.All(doc.RootElement.GetProperty("snapshots").EnumerateArray(), s => Assert.Equal("Unchanged", s.GetProperty("outcome").GetString()));
    }

    [Fact]
    public void Commands_WithoutStore_ExplainWhatToDo()
    {
        using var cli = new CliRunner();
        var (code, _, error) = cli.Run("identities", "--db", cli.Db);
        Assert.Equal(1, code);
        Assert.Contains("ciem import aws", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_SmallEstate_GeneratesIngestsSweepsAndReports()
    {
        // Given a small synthetic estate / When the demo runs it end to end as JSON
        using var cli = new CliRunner();
        var report = Path.Combine(cli.Home, "demo.html");
        var (code, output, error) = cli.Run("demo", "--identities", "150", "--days", "20", "--as-of", "2026-11-01", "--db", cli.Db, "--report", report, "--format", "json", "--single");

        // Then the sweep covers every generated identity, proposals are verified and the report is written
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var summary = doc.RootElement.GetProperty("summary");
        Assert.True(summary.GetProperty("identities").GetInt32() >= 150);
        Assert.True(summary.GetProperty("serviceIdentities").GetInt32() > summary.GetProperty("humans").GetInt32());
        Assert.True(doc.RootElement.GetProperty("proposals").GetArrayLength() > 0);
        // every AWS proposal verifies; an Azure/GCP principal whose usage spans scopes it holds separately is refused with a reason
        Assert.Equal(0, doc.RootElement.GetProperty("aws").GetProperty("failures").GetArrayLength());
        Assert.All(doc.RootElement.GetProperty("failures").EnumerateArray(), f => Assert.False(string.IsNullOrEmpty(f.GetProperty("reason").GetString())));
        Assert.Contains("<svg", File.ReadAllText(report), StringComparison.Ordinal);
    }
}
