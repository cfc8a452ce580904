using System.CommandLine;
using Ciem.Core.Model;

namespace Ciem.Cli.Commands;

/// <summary>
/// `--provider aws|azure|gcp` for the query commands (which provider a name belongs to by its form is
/// `Ciem.App.Identities.PrincipalForms`).
/// </summary>
public static class Providers
{
    public static Option<string?> Option(string defaultText)
    {
        var option = new Option<string?>("--provider") { Description = $"aws, azure or gcp (default: {defaultText})" };
        option.AcceptOnlyFromAmong(Provider.AwsName, Provider.AzureName, Provider.GcpName);
        return option;
    }

    public static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
