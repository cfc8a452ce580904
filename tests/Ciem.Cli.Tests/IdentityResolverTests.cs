using System.Text.Json;
using Ciem.App.Identities;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>Issue #19 defect 1: one principal answers to one set of names in every command, named by the directory.</summary>
public sealed class IdentityResolverTests
{
    private const string Bob = "b0b00000-0000-4000-8000-000000000002";
    private const string CiDeploy = "c1de9107-0000-4000-8000-000000000003";
    private const string CiDeployAppId = "22222222-aaaa-4bbb-8ccc-000000000009";

    // An Entra bundle naming the sample's group-only user (a bare GUID in the Azure exports) and its service principal.
    private const string Entra = $$"""
        {
          "Format": "openciem-entra/1",
          "tenantId": "72f9a0be-0000-4000-8000-00000000c0de",
          "users": { "value": [
            { "id": "{{Bob}}", "displayName": "Bob Stone", "userPrincipalName": "bob@contoso.example", "mail": "bob.stone@contoso.example", "accountEnabled": true }
          ] },
          "groups": { "value": [] },
          "servicePrincipals": { "value": [
            { "id": "{{CiDeploy}}", "appId": "{{CiDeployAppId}}", "displayName": "ci-deploy-pipeline", "servicePrincipalType": "Application", "accountEnabled": true, "owners": [] }
          ] },
          "applications": { "value": [] },
          "directoryRoles": { "value": [] }
        }
        """;

    private static CliRunner AzureWithDirectory()
    {
        var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db).Code);
        var entra = Path.Combine(cli.Home, "entra.json");
        File.WriteAllText(entra, Entra);
        var (code, _, err) = cli.Run("import", "directory", "entra", entra, "--db", cli.Db);
        Assert.True(code == 0, err);
        return cli;
    }

    [Theory]
    [InlineData(Bob)]
    [InlineData("Bob Stone")]
    [InlineData("bob@contoso.example")]
    [InlineData("BOB.STONE@contoso.example")]
    public void Effective_AnyNameOfAGroupOnlyUser_ResolvesToTheSamePrincipal(string query)
    {
        // Given the Azure sample and a directory naming bob (whose access comes only through a group)
        using var cli = AzureWithDirectory();

        // When effective is asked by id, display name, UPN or mail
        var (code, output, err) = cli.Run("effective", query, "--provider", "azure", "--db", cli.Db, "--format", "json");

        // Then every form finds bob
        Assert.True(code == 0, err);
        Assert.Contains(Bob, output, StringComparison.Ordinal);
    }

    [Fact]
    public void WhoCan_DirectoryNamesPrincipalOtherwiseShownAsGuid()
    {
        using var cli = AzureWithDirectory();
        var (code, output, _) = cli.Run("who-can", "Microsoft.Compute/virtualMachines/read", "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-app", "--db", cli.Db, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var names = doc.RootElement.GetProperty("items").EnumerateArray().ToDictionary(e => e.GetProperty("identity").GetString()!, e => e.GetProperty("name").GetString());
        Assert.Equal("Bob Stone", names[Bob]);
    }

    [Fact]
    public void Identities_ShowsTheDirectoryNameEffectiveAccepts()
    {
        // Given bob, a bare GUID in the Azure exports, named by the directory
        using var cli = AzureWithDirectory();

        // When identities are listed, and effective is asked by the name listed
        var (_, output, _) = cli.Run("identities", "--provider", "azure", "--db", cli.Db, "--format", "json");
        using var doc = JsonDocument.Parse(output);
        var name = doc.RootElement.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("id").GetString() == Bob).GetProperty("name").GetString()!;
        var (code, _, err) = cli.Run("effective", name, "--provider", "azure", "--db", cli.Db);

        // Then the name is the directory's, and it resolves
        Assert.Equal("Bob Stone", name);
        Assert.True(code == 0, err);
    }

    [Fact]
    public void Can_ByAppId_ResolvesServicePrincipal()
    {
        using var cli = AzureWithDirectory();
        var (code, output, err) = cli.Run("effective", CiDeployAppId, "--provider", "azure", "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        Assert.Contains(CiDeploy, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_GroupOnlyPrincipal_FoundAsEverywhereElse()
    {
        // Given bob, whose only access is through the app-devs group
        using var cli = AzureWithDirectory();

        // When a proposal is asked for him by UPN
        var (code, output, err) = cli.Run("propose", "--provider", "azure", "bob@contoso.example", "--out", Path.Combine(cli.Home, "p"), "--db", cli.Db,
            "--as-of", "2026-11-28", "--format", "json");

        // Then he is found (the proposal may or may not be emitted; the principal is never "unknown")
        Assert.DoesNotContain("CIEM6604", err, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(Bob, doc.RootElement.GetProperty("principal").GetString());
        Assert.Equal(doc.RootElement.GetProperty("emitted").GetBoolean() ? 0 : 1, code);
    }

    [Fact]
    public void Sweep_GroupOnlyUser_NamedByTheDirectory()
    {
        // Given bob, a bare GUID in the Azure exports, named by the directory
        using var cli = AzureWithDirectory();

        // When the Azure estate is swept
        var (code, output, err) = cli.Run("sweep", "--provider", "azure", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");

        // Then the sweep's row and its Azure detail show the name identities and effective use, not the GUID
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("Bob Stone", doc.RootElement.GetProperty("identities").EnumerateArray()
            .Single(e => e.GetProperty("id").GetString() == Bob).GetProperty("name").GetString());
        Assert.Equal("Bob Stone", doc.RootElement.GetProperty("azure").GetProperty("identities").EnumerateArray()
            .Single(e => e.GetProperty("id").GetString() == Bob).GetProperty("name").GetString());
    }

    [Fact]
    public void Propose_GcpBareEmail_ResolvesTheMemberAndExitsNonZeroWhenNothingWritten()
    {
        // Given the GCP sample with a week of audit logs
        using var cli = SweepCommandTests.AzureAndGcp();
        var outDir = Path.Combine(cli.Home, "p");

        // When a proposal is asked for a member by its bare email, as gap accepts it
        var (code, output, err) = cli.Run("propose", "--provider", "gcp", "carol@acme.example", "--out", outDir, "--db", cli.Db,
            "--as-of", "2026-11-28", "--format", "json");
        var (gapCode, _, gapErr) = cli.Run("gap", "--provider", "gcp", "carol@acme.example", "--db", cli.Db, "--as-of", "2026-11-28");

        // Then both find user:carol; propose exits 0 only when it wrote a proposal, 1 when it produced nothing
        Assert.True(gapCode == 0, gapErr);
        Assert.DoesNotContain("CIEM6604", err, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("user:carol@acme.example", doc.RootElement.GetProperty("principal").GetString());
        var emitted = doc.RootElement.GetProperty("emitted").GetBoolean();
        Assert.Equal(emitted ? ExitCodes.Ok : ExitCodes.Failure, code);
        Assert.Equal(emitted, Directory.Exists(outDir) && Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void Gap_UnknownName_SuggestsClosestAndExit3()
    {
        using var cli = AzureWithDirectory();
        var (code, _, err) = cli.Run("gap", "--provider", "azure", "bob@contoso.exampel", "--db", cli.Db);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("error CIEM6604: no azure principal `bob@contoso.exampel`", err, StringComparison.Ordinal);
        Assert.Contains("did you mean `bob@contoso.example`?", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_ByDirectoryName_FindsPrincipal()
    {
        using var cli = AzureWithDirectory();
        var (code, output, err) = cli.Run("gap", "--provider", "azure", "Bob Stone", "--db", cli.Db, "--format", "json", "--as-of", "2026-11-28");
        Assert.True(code == 0, err);
        Assert.Contains(Bob, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice@example.com", new[] { "alice@example.com", "user:alice@example.com", "group:alice@example.com" })]
    [InlineData("ci@p.iam.gserviceaccount.com", new[] { "ci@p.iam.gserviceaccount.com", "serviceAccount:ci@p.iam.gserviceaccount.com", "group:ci@p.iam.gserviceaccount.com" })]
    [InlineData("user:alice@example.com", new[] { "user:alice@example.com" })]
    public void GcpForms_BareEmail_UserServiceAccountOrGroup(string query, string[] expected) => Assert.Equal(expected, IdentityResolver.GcpForms(query));

    [Fact]
    public void ForGcp_BareEmail_ResolvesMember_AmbiguousNeverGuessed()
    {
        var resolver = IdentityResolver.ForGcp([("user:carol@acme.example", "carol@acme.example"), ("group:devs@acme.example", "devs@acme.example"),
            ("user:x@acme.example", "same"), ("serviceAccount:y@p.iam.gserviceaccount.com", "same")]);
        Assert.Equal("user:carol@acme.example", resolver.Resolve("carol@acme.example").Found?.Id);
        Assert.Equal("group:devs@acme.example", resolver.Resolve("devs@acme.example").Found?.Id);
        var ambiguous = resolver.Resolve("same");
        Assert.Null(ambiguous.Found);
        Assert.Equal(2, ambiguous.Candidates.Length);
        Assert.Contains("names several gcp principals", ambiguous.Problem("gcp", "same"), StringComparison.Ordinal);
    }
}
