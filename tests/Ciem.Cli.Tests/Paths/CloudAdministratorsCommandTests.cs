using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Paths;

/// <summary>
/// The Azure administrators of the sample tenant through `paths --admins`, `identities --admins` and `who-can --transitive`:
/// alice Owner of the production management group, carol PIM-eligible Owner of contoso-dev, bob a contributor of a resource
/// group (no administrator), the deny assignment on contoso-prod-1.
/// </summary>
public sealed class CloudAdministratorsCommandTests
{
    private const string Alice = "a11ce000-0000-4000-8000-000000000001";
    private const string Bob = "b0b00000-0000-4000-8000-000000000002";
    private const string Carol = "ca201000-0000-4000-8000-000000000004";
    private const string Prod = "/subscriptions/11111111-1111-4111-8111-111111111111";
    private const string Dev = "/subscriptions/22222222-2222-4222-8222-222222222222";

    private static CliRunner Azure()
    {
        var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", cli.Db).Code);
        return cli;
    }

    private static List<JsonElement> Items(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("items").EnumerateArray()];

    [Fact]
    public void PathsAdmins_Azure_EachSubscriptionItsAdministratorsAndPaths()
    {
        // Given the sample tenant / When the administrators of each subscription are listed
        using var cli = Azure();
        var (code, output, err) = cli.Run("paths", "--admins", "--provider", "azure", "--db", cli.Db, "--format", "json");

        // Then contoso-prod-1 has alice (Owner above it), contoso-dev has carol through PIM (indeterminate) and not alice
        Assert.True(code == 0, err);
        var scopes = Items(output).ToDictionary(i => i.GetProperty("account").GetString()!, StringComparer.OrdinalIgnoreCase);
        Assert.Equal([Alice], scopes[Prod].GetProperty("administrators").EnumerateArray().Select(a => a.GetString()));
        var dev = scopes[Dev];
        Assert.DoesNotContain(Alice, dev.GetProperty("administrators").EnumerateArray().Select(a => a.GetString()));
        var carol = Assert.Single(dev.GetProperty("throughPaths").EnumerateArray(), p => p.GetProperty("identity").GetString() == Carol);
        Assert.Equal("indeterminate", carol.GetProperty("path").GetProperty("certainty").GetString());
        Assert.Equal("azure-pim-activation", carol.GetProperty("path").GetProperty("steps")[0].GetProperty("technique").GetString());
    }

    [Fact]
    public void PathsAdmins_UnknownSubscription_InvalidInputNamingIt()
    {
        // Given the sample tenant / When one subscription that does not exist is asked
        using var cli = Azure();
        var (code, _, err) = cli.Run("paths", "contoso-nowhere", "--admins", "--provider", "azure", "--db", cli.Db);

        // Then the error names it and lists the subscriptions
        Assert.Equal(3, code);
        Assert.Contains("no subscription `contoso-nowhere`", err, StringComparison.Ordinal);
        Assert.Contains("contoso-dev", err, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentitiesAdmins_Azure_CategoriesDecidedOnTheGraph()
    {
        // Given the sample tenant / When only administrators are listed
        using var cli = Azure();
        var (code, output, err) = cli.Run("identities", "--admins", "--provider", "azure", "--db", cli.Db, "--format", "json");

        // Then alice is administrator, carol can become one (with her path); bob, a resource-group contributor, is not listed
        Assert.True(code == 0, err);
        var rows = Items(output).ToDictionary(i => i.GetProperty("id").GetString()!);
        Assert.Equal("administrator", rows[Alice].GetProperty("adminCategory").GetString());
        Assert.True(rows[Alice].GetProperty("privilegeAdministrator").GetBoolean());
        Assert.Equal("can-become-administrator", rows[Carol].GetProperty("adminCategory").GetString());
        Assert.Equal(JsonValueKind.Object, rows[Carol].GetProperty("pathToAdministrator").ValueKind);
        Assert.False(rows.ContainsKey(Bob));
    }

    [Fact]
    public void WhoCanTransitive_AzureDelete_AliceDirectlyAndNobodyThroughAPath()
    {
        // Given the sample tenant, whose deny assignment spares only alice / When who reaches the VM's deletion is asked
        using var cli = Azure();
        var vm = Prod + "/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1";
        var (code, output, err) = cli.Run("who-can", "Microsoft.Compute/virtualMachines/delete", vm, "--transitive", "--db", cli.Db,
            "--format", "json");

        // Then alice alone, directly, certain
        Assert.True(code == 0, err);
        var hit = Assert.Single(Items(output));
        Assert.Equal(Alice, hit.GetProperty("identity").GetString());
        Assert.True(hit.GetProperty("direct").GetBoolean());
        Assert.Equal("certain", hit.GetProperty("certainty").GetString());
    }
}
