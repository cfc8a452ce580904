using System.Text.Json;

namespace Ciem.Cli.Tests.Person;

/// <summary>`ciem identities` on the three-cloud estate of Person/Fixtures: owners and credentials of service identities.</summary>
public sealed class ServiceIdentityOwnersTests
{
    private static Dictionary<string, JsonElement> Identities(CliRunner cli, params string[] args)
    {
        var (code, output, err) = cli.Run(["identities", .. args, "--db", cli.Db, "--format", "json"]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => i.Clone());
    }

    private static (string? Owner, string? Source) Owner(JsonElement row) =>
        (row.GetProperty("owner") switch
        {
            { ValueKind: JsonValueKind.Array } a => string.Join(", ", a.EnumerateArray().Select(o => o.GetString())),
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            _ => null,
        }, row.TryGetProperty("ownerSource", out var source) ? source.GetString() : null);

    [Fact]
    public void Identities_ServiceKind_OwnersFromEachSourceAndCredentialAges()
    {
        // Given the estate with Entra applications, GCP service accounts and keys, and AWS roles
        using var cli = new CliRunner();
        PersonAcrossCloudsTests.ImportEstate(cli);

        // When service identities are listed for each provider
        var azure = Identities(cli, "--provider", "azure", "--kind", "service");
        var gcp = Identities(cli, "--provider", "gcp", "--kind", "service");
        var aws = Identities(cli, "--provider", "aws", "--kind", "service");

        // Then Azure: the app registration's owner (a person), a managed identity's resource, nobody for the legacy app
        Assert.Equal(["legacy-report-sync", "sales-etl", "vm-ingest-01"], azure.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("pat.lee@example.org", "app registration owners"), Owner(azure["sales-etl"]));
        Assert.Equal(("/subscriptions/3c8f5a10-0000-4000-8000-000000005b01/resourceGroups/rg-data/providers/Microsoft.Compute/virtualMachines/vm-ingest-01", "attached resource"), Owner(azure["vm-ingest-01"]));
        Assert.Equal((null, null), Owner(azure["legacy-report-sync"]));
        var certificate = azure["legacy-report-sync"].GetProperty("credentials");
        Assert.Equal((1, 713, "2026-12-15"), (certificate.GetProperty("active").GetInt32(), certificate.GetProperty("oldestActiveAgeDays").GetInt32(), certificate.GetProperty("nextExpiry").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        // And GCP: the Google group named in the description, the person named in another; the bot's keys without owner
        Assert.Equal(("data-eng@example.org", "description"), Owner(gcp["etl-runner@data-prod.iam.gserviceaccount.com"]));
        Assert.Equal(("pat.lee@example.org", "description"), Owner(gcp["pat-sandbox@data-prod.iam.gserviceaccount.com"]));
        var keys = gcp["report-bot@data-prod.iam.gserviceaccount.com"].GetProperty("credentials");
        Assert.Equal((1, 1, 180), (keys.GetProperty("active").GetInt32(), keys.GetProperty("expired").GetInt32(), keys.GetProperty("oldestActiveAgeDays").GetInt32()));
        Assert.Equal(687, gcp["etl-runner@data-prod.iam.gserviceaccount.com"].GetProperty("credentials").GetProperty("oldestActiveAgeDays").GetInt32());

        // And AWS: the GitHub repository trusted through OIDC, the owner tag, nothing for the EC2 role
        Assert.Equal("github:example-org/data-pipelines", Owner(aws["deploy-data-lake"]).Owner);
        Assert.Equal("team-bi", Owner(aws["reporting"]).Owner);
        Assert.Null(Owner(aws["legacy-batch"]).Owner);
    }

    [Fact]
    public void Identities_NoOwner_OnlyOwnerlessServiceIdentitiesOfEveryProvider()
    {
        // Given the estate
        using var cli = new CliRunner();
        PersonAcrossCloudsTests.ImportEstate(cli);

        // When only service identities without an owner are asked for
        var rows = Identities(cli, "--no-owner");

        // Then one per provider: the EC2 role, the legacy Entra application, the report bot
        Assert.Equal(["legacy-batch", "legacy-report-sync", "report-bot@data-prod.iam.gserviceaccount.com"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, cli.Run("identities", "--no-owner", "--kind", "human", "--db", cli.Db).Code);
    }

    [Fact]
    public void Identities_NoOwnerText_OwnerColumnSaysNone()
    {
        // Given the estate / When the Azure service identities are listed as text
        using var cli = new CliRunner();
        PersonAcrossCloudsTests.ImportEstate(cli);
        var (code, output, _) = cli.Run("identities", "--provider", "azure", "--no-owner", "--db", cli.Db);

        // Then the ownerless application is shown with `none` and its certificate's age and expiry
        Assert.Equal(0, code);
        Assert.Contains("legacy-report-sync", output, StringComparison.Ordinal);
        Assert.Contains("none", output, StringComparison.Ordinal);
        Assert.DoesNotContain("sales-etl", output, StringComparison.Ordinal);
    }
}
