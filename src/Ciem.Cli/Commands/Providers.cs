using System.CommandLine;
using Ciem.Core.Azure;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Cli.Commands;

/// <summary>
/// `--provider aws|azure|gcp` for the query commands, and loading the Azure and GCP inventories (which provider a name
/// belongs to by its form is `Ciem.App.Identities.PrincipalForms`).
/// </summary>
public static class Providers
{
    // The names for the commands other branches rewrite now (propose, sweep); new code uses Provider's constants.
    public const string Aws = Provider.AwsName;
    public const string Azure = Provider.AzureName;
    public const string Gcp = Provider.GcpName;

    public static Option<string?> Option(string defaultText)
    {
        var option = new Option<string?>("--provider") { Description = $"aws, azure or gcp (default: {defaultText})" };
        option.AcceptOnlyFromAmong(Provider.AwsName, Provider.AzureName, Provider.GcpName);
        return option;
    }

    /// <summary>The current Azure inventory, or null (with a message) when the store holds none.</summary>
    public static AzureInventory? LoadAzure(CliHost host, string? db) => StoreAccess.Value(host, host.Session(db).Azure);

    /// <summary>The current GCP inventory, or null (with a message) when the store holds none.</summary>
    public static GcpInventory? LoadGcp(CliHost host, string? db) => StoreAccess.Value(host, host.Session(db).Gcp);

    public static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
