using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

public sealed class PersonCommandTests
{
    private static void ImportDirectories(CliRunner cli)
    {
        var (code, _, err) = cli.Run("import", "directory", "identity-center", TestPaths.Repo("samples", "directory", "identity-center.json"), "--db", cli.Db);
        Assert.True(code == 0, err);
        (code, _, err) = cli.Run("import", "directory", "entra", TestPaths.Repo("samples", "directory", "entra.json"), "--db", cli.Db);
        Assert.True(code == 0, err);
    }

    [Fact]
    public void Person_AliceAfterImportingSamples_OnePersonWithBothSsoRolesChainsAndRights()
    {
        // Given the sample AWS estate and both sample directories
        using var cli = new CliRunner();
        cli.ImportSamples();
        ImportDirectories(cli);

        // When alice is looked up by her UPN in another case, as JSON
        var (code, output, err) = cli.Run("person", "ALICE@acme.example", "--db", cli.Db, "--format", "json");

        // Then one person with her Identity Center and Entra accounts, and the two AdministratorAccess roles with chains and rights
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("ambiguous").GetBoolean());
        var alice = Assert.Single(doc.RootElement.GetProperty("people").EnumerateArray().ToArray());
        Assert.Equal("alice.martin@acme.example", alice.GetProperty("key").GetString());
        Assert.Equal(["identity-center", "entra"], alice.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("source").GetString()));
        var all = alice.GetProperty("links").EnumerateArray().ToArray();
        Assert.Equal("entra user alice@acme.example → directory role Global Administrator", all.Single(l => l.GetProperty("cloud").GetString() == "entra").GetProperty("chain").GetString());
        var links = all.Where(l => l.GetProperty("cloud").GetString() == "aws").ToArray();
        Assert.Equal(2, links.Length);
        Assert.All(links, l => Assert.True(l.GetProperty("admin").GetBoolean()));
        // decided on the attack graph, as `identities --admins` decides it
        Assert.All(links, l => Assert.Equal("administrator", l.GetProperty("adminCategory").GetString()));
        Assert.Equal("administrator", alice.GetProperty("clouds").EnumerateArray().Single(c => c.GetProperty("cloud").GetString() == "aws")
            .GetProperty("adminCategory").GetString());
        Assert.Equal("identity-center user alice@acme.example → group Platform → permission set AdministratorAccess → account 111111111111", links[0].GetProperty("chain").GetString());
        Assert.EndsWith("AWSReservedSSO_AdministratorAccess_7b1d5e3a9c2f4e60", links[1].GetProperty("identity").GetString(), StringComparison.Ordinal);
        Assert.True(alice.GetProperty("aws").GetProperty("admin").GetBoolean());
        Assert.True(alice.GetProperty("aws").GetProperty("granted").GetInt32() >= links.Max(l => l.GetProperty("granted").GetInt32()));
    }

    [Fact]
    public void Person_SharedAddress_BothPeopleShownAmbiguityReported()
    {
        // Given two Entra users sharing dan@acme.example
        using var cli = new CliRunner();
        ImportDirectories(cli);

        // When dan is looked up
        var (code, output, _) = cli.Run("person", "dan@acme.example", "--db", cli.Db, "--format", "json");

        // Then both are shown, flagged ambiguous, each with the ambiguity problem, and nothing is merged
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("ambiguous").GetBoolean());
        var people = doc.RootElement.GetProperty("people").EnumerateArray().ToArray();
        Assert.Equal(2, people.Length);
        Assert.All(people, p => Assert.Equal("ambiguous", p.GetProperty("problems")[0].GetProperty("kind").GetString()));
    }

    [Fact]
    public void Person_AssignmentWithoutProvisionedRole_ReportedUnmatched()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        ImportDirectories(cli);
        var (code, output, _) = cli.Run("person", "carol@acme.example", "--db", cli.Db);
        Assert.Equal(0, code);
        Assert.Contains("unmatched: permission set `SecurityAudit` is assigned in account `222222222222`", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Person_UnknownAddressOrNoDirectory_ExitCodes()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        Assert.Equal(1, cli.Run("person", "alice@acme.example", "--db", cli.Db).Code);
        ImportDirectories(cli);
        var (code, _, err) = cli.Run("person", "nobody@acme.example", "--db", cli.Db);
        Assert.Equal(3, code);
        Assert.Contains("`nobody@acme.example`", err, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportDirectory_SameBundleTwiceAndBadInput_UnchangedThenInvalid()
    {
        // Given the Entra sample imported once
        using var cli = new CliRunner();
        ImportDirectories(cli);

        // When imported again, and when a file that is not a bundle is given
        var (code, output, _) = cli.Run("import", "directory", "entra", TestPaths.Repo("samples", "directory", "entra.json"), "--db", cli.Db, "--format", "json");
        var bad = cli.Run("import", "directory", "identity-center", TestPaths.Repo("samples", "directory", "entra.json"), "--db", cli.Db);

        // Then the second import changes nothing and the wrong bundle is rejected with exit code 3
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("Unchanged", doc.RootElement.GetProperty("snapshots")[0].GetProperty("outcome").GetString());
        Assert.Equal(3, bad.Code);
        Assert.Contains("CIEM9001", bad.Err, StringComparison.Ordinal);
    }
}

public sealed class PersonSamlTests
{
    [Fact]
    public void Person_OktaAndIdentityCenter_JoinedByEmailWithSsoAndSamlRoles()
    {
        // Given the AWS samples, Identity Center and Okta (bob is in both, by email only; erin only in Okta)
        using var cli = new CliRunner();
        cli.ImportSamples();
        Assert.Equal(0, cli.Run("import", "directory", "identity-center", TestPaths.Repo("samples", "directory", "identity-center.json"), "--db", cli.Db).Code);
        Assert.Equal(0, cli.Run("import", "directory", "okta", TestPaths.Repo("samples", "directory", "okta.json"), "--db", cli.Db).Code);

        // When bob and erin are looked up
        var (code, output, _) = cli.Run("person", "bob@acme.example", "--db", cli.Db, "--format", "json");
        var erin = cli.Run("person", "erin@acme.example", "--db", cli.Db, "--format", "json");

        // Then bob has his direct SSO role and, through the Okta group, the SAML role; links matched by email
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var bob = Assert.Single(doc.RootElement.GetProperty("people").EnumerateArray().ToArray());
        var chains = bob.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("chain").GetString()).ToArray();
        Assert.Contains("identity-center user bob@acme.example → permission set AdministratorAccess → account 111111111111", chains);
        Assert.Contains("okta user bob@acme.example → group aws-readers → saml app AWS Production → role arn:aws:iam::222222222222:role/ReadOnlyCrossAccount", chains);
        Assert.All(bob.GetProperty("links").EnumerateArray(), l => Assert.Equal("email", l.GetProperty("match").GetString()));

        // And erin's bare role name reaches the role in both accounts; the role nobody has is reported
        using var e = JsonDocument.Parse(erin.Out);
        var person = e.RootElement.GetProperty("people")[0];
        Assert.Equal(2, person.GetProperty("links").GetArrayLength());
        Assert.Contains(person.GetProperty("problems").EnumerateArray(), p => p.GetProperty("subject").GetString() == "BillingViewer");
    }
}
