using System.Text;
using System.Text.Json;
using Ciem.Import.Aws;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

public sealed class IdentitiesCredentialsTests
{
    [Fact]
    public void Identities_ServiceInProd_OwnerKeyAgeAndLastUse()
    {
        // Given the samples, whose folder holds the two accounts' credential reports
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When the service identities of the prod environment are listed as JSON
        var (code, output, error) = cli.Run("identities", "--kind", "service", "--env", "prod", "--db", cli.Db, "--format", "json");

        // Then only acme-prod's service identities are there, the users with their owner, key age and last use
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["app-worker", "ci-deploy", "legacy-batch", "orders-lambda-exec"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.All(rows.Values, r => Assert.Equal(("222222222222", "prod", "service"), (r.GetProperty("account").GetString(), r.GetProperty("environment").GetString(), r.GetProperty("kind").GetString())));
        var batch = rows["legacy-batch"];
        Assert.Equal("unknown", batch.GetProperty("owner").GetString());
        var credentials = batch.GetProperty("credentials");
        Assert.Equal(2, credentials.GetProperty("activeKeys").GetInt32());
        Assert.False(credentials.GetProperty("consolePassword").GetBoolean());
        Assert.Equal(2797, credentials.GetProperty("oldestActiveKeyAgeDays").GetInt32()); // key 1 created 2019-04-02
        Assert.Equal("s3", credentials.GetProperty("lastUsedService").GetString());
        Assert.Equal(JsonValueKind.Null, rows["app-worker"].GetProperty("credentials").ValueKind); // a role: no credential report row
    }

    [Fact]
    public void Identities_HumanInProd_OnlyTheProdAccount()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, _) = cli.Run("identities", "--kind", "human", "--env", "prod", "--db", cli.Db, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["carol.oncall"], doc.RootElement.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public void ImportAws_GetCredentialReportJson_RecognisedAndStored()
    {
        // Given the authorization details and a `get-credential-report` JSON output that marks carol as a key-only user
        using var cli = new CliRunner();
        var dir = Directory.CreateDirectory(Path.Combine(cli.Home, "in"));
        File.Copy(Ciem.Tests.TestPaths.Repo("samples", "aws", "authorization-details.json"), Path.Combine(dir.FullName, "authz.json"));
        var csv = string.Join(',', CredentialReportReader.Columns) + "\n" +
            "carol.oncall,arn:aws:iam::222222222222:user/carol.oncall,2024-01-08T09:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-11-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
        File.WriteAllText(Path.Combine(dir.FullName, "report.json"),
            $$"""{"Content": "{{Convert.ToBase64String(Encoding.UTF8.GetBytes(csv))}}", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-28T06:00:00Z"}""");

        // When the folder is imported and the identities listed
        var (importCode, _, importError) = cli.Run("import", "aws", dir.FullName, "--db", cli.Db);
        var (code, output, _) = cli.Run("identities", "--kind", "service", "--account", "222222222222", "--db", cli.Db, "--format", "json");

        // Then the report was recognised by content and carol is now a service identity with one 27-day-old key
        Assert.True(importCode == 0, importError);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var carol = doc.RootElement.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "carol.oncall");
        Assert.Equal(27, carol.GetProperty("credentials").GetProperty("oldestActiveKeyAgeDays").GetInt32());
    }

    [Fact]
    public void Identities_EnvWithAzureProvider_PrincipalsOfThatEnvironment()
    {
        // Given the Azure sample: contoso-prod-1 (a prod name) with rg-app tagged env=prod, and contoso-dev
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db).Code);

        // When the prod principals are listed, and the dev ones
        var prod = cli.Run("identities", "--env", "prod", "--provider", "azure", "--db", cli.Db, "--format", "json");
        var dev = cli.Run("identities", "--env", "dev", "--provider", "azure", "--db", cli.Db, "--format", "json");

        // Then the filter uses the environments of the principals' grants (the most sensitive one wins)
        Assert.True(prod.Code == 0, prod.Err);
        using var prodDoc = JsonDocument.Parse(prod.Out);
        using var devDoc = JsonDocument.Parse(dev.Out);
        var prodIds = prodDoc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToHashSet();
        var devIds = devDoc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToHashSet();
        Assert.Contains("b0b00000-0000-4000-8000-000000000002", prodIds);
        Assert.Empty(prodIds.Intersect(devIds));
    }
}
