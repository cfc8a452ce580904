using System.Collections.Immutable;
using System.CommandLine;
using Ciem.Core.Azure;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Cli.Commands;

/// <summary>
/// `--provider aws|azure|gcp` for the query commands: which providers the store holds, which one an identity or a
/// permission belongs to by its form, and loading the Azure and GCP inventories.
/// </summary>
public static class Providers
{
    public const string Aws = "aws";
    public const string Azure = "azure";
    public const string Gcp = "gcp";

    public static Option<string?> Option(string defaultText)
    {
        var option = new Option<string?>("--provider") { Description = $"aws, azure or gcp (default: {defaultText})" };
        option.AcceptOnlyFromAmong(Aws, Azure, Gcp);
        return option;
    }

    /// <summary>The providers with a current snapshot in the store, in the order aws, azure, gcp; AWS alone when the store is empty or missing (its command explains).</summary>
    public static ImmutableArray<string> WithData(CliHost host, string? db)
    {
        ImmutableArray<string> found = [.. host.Session(db).ProvidersWithData().Select(p => p.Name)];
        return found.IsEmpty ? [Aws] : found;
    }

    /// <summary>An ARN (or a bare AWS name) is aws; an object id (GUID) is azure; a GCP member (`user:`, `serviceAccount:`, `group:`, `principal://`) or an email is gcp.</summary>
    public static string OfIdentity(string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.StartsWith("arn:", StringComparison.Ordinal)) { return Aws; }
        if (Guid.TryParse(identity, out _)) { return Azure; }
        if (identity.StartsWith("user:", StringComparison.Ordinal) || identity.StartsWith("serviceAccount:", StringComparison.Ordinal)
            || identity.StartsWith("group:", StringComparison.Ordinal) || identity.StartsWith("principal", StringComparison.Ordinal)
            || identity.StartsWith("domain:", StringComparison.Ordinal) || identity is "allUsers" or "allAuthenticatedUsers" || identity.Contains('@', StringComparison.Ordinal))
        {
            return Gcp;
        }
        return Aws;
    }

    /// <summary>`s3:GetObject` is aws, `Microsoft.Storage/…` (or any `/`) is azure, `storage.objects.get` is gcp.</summary>
    public static string OfPermission(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        if (permission.Contains(':', StringComparison.Ordinal)) { return Aws; }
        if (permission.Contains('/', StringComparison.Ordinal)) { return Azure; }
        return Gcp;
    }

    /// <summary>The current Azure inventory, or null (with a message) when the store holds none.</summary>
    public static AzureInventory? LoadAzure(CliHost host, string? db) => StoreAccess.Value(host, host.Session(db).Azure);

    /// <summary>The current GCP inventory, or null (with a message) when the store holds none.</summary>
    public static GcpInventory? LoadGcp(CliHost host, string? db) => StoreAccess.Value(host, host.Session(db).Gcp);

    /// <summary>`KEY=VALUE` pairs (a repeated key collects its values), or null after a message.</summary>
    public static Dictionary<string, ImmutableArray<string>>? ParsePairs(CliHost host, string[] pairs)
    {
        var values = new Dictionary<string, ImmutableArray<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                host.Error.WriteLine($"error: context `{pair}` is not KEY=VALUE");
                return null;
            }
            var key = pair[..eq];
            values[key] = values.TryGetValue(key, out var list) ? list.Add(pair[(eq + 1)..]) : [pair[(eq + 1)..]];
        }
        return values;
    }

    public static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
