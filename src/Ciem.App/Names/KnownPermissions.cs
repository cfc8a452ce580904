using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Gcp.Catalog;

namespace Ciem.App.Names;

/// <summary>
/// Checks the actions, operations, permissions and services a question names against the catalogs the product ships
/// (AWS service authorization reference, Azure resource-provider operations, GCP predefined roles): an unknown name
/// is evaluated all the same (the catalog may lag behind the cloud) but the caller is warned with the closest known
/// names, so `s3:GetObjekt` does not quietly answer "nobody".
/// </summary>
public static class KnownPermissions
{
    /// <summary>Null when <paramref name="action"/> (a name or a wildcard pattern) is known, else why not, with the closest names.</summary>
    public static string? CheckAws(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var catalog = AwsActionCatalog.Default;
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (action == "*") { return null; }
        if (colon <= 0) { return $"`{action}` is not an AWS action: expected SERVICE:ACTION, e.g. `s3:GetObject`"; }
        var prefix = action[..colon];
        if (!catalog.TryGetService(prefix, out var service))
        {
            return $"unknown AWS service `{prefix}` in `{action}`" + ClosestNames.Hint(ClosestNames.Of(prefix, catalog.Services.Select(s => s.Prefix)));
        }
        var name = action[(colon + 1)..];
        if (name.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            return catalog.Expand(action).Count > 0 ? null : $"`{action}` matches no known AWS action of `{prefix}`";
        }
        if (catalog.TryGetAction(action, out _)) { return null; }
        return $"unknown AWS action `{action}`"
            + ClosestNames.Hint([.. ClosestNames.Of(name, service.Actions.Select(a => a.Name)).Select(n => $"{service.Prefix}:{n}")]);
    }

    /// <summary>Null when <paramref name="prefix"/> is a known AWS service prefix, else why not, with the closest ones.</summary>
    public static string? CheckAwsService(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var catalog = AwsActionCatalog.Default;
        return catalog.TryGetService(prefix, out _)
            ? null
            : $"unknown AWS service `{prefix}`" + ClosestNames.Hint(ClosestNames.Of(prefix, catalog.Services.Select(s => s.Prefix)));
    }

    /// <summary>Null when <paramref name="operation"/> is a known Azure operation (control or data plane; wildcards when they match one).</summary>
    public static string? CheckAzure(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var catalog = AzureOperationCatalog.Default;
        if (operation == "*") { return null; }
        if (operation.Contains('*', StringComparison.Ordinal))
        {
            return catalog.Expand(operation, AzurePlane.Control).Count > 0 || catalog.Expand(operation, AzurePlane.Data).Count > 0
                ? null
                : $"`{operation}` matches no known Azure operation";
        }
        if (catalog.TryGetOperation(operation, AzurePlane.Control, out _) || catalog.TryGetOperation(operation, AzurePlane.Data, out _)) { return null; }
        var slash = operation.IndexOf('/', StringComparison.Ordinal);
        var provider = slash > 0 ? operation[..slash] : operation;
        var names = catalog.Operations.Select(o => o.Name).ToList();
        var providers = names.Select(n => n.Split('/')[0]).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!providers.Contains(provider, StringComparer.OrdinalIgnoreCase))
        {
            return $"unknown Azure resource provider `{provider}` in `{operation}`" + ClosestNames.Hint(ClosestNames.Of(provider, providers));
        }
        var sameProvider = names.Where(n => n.StartsWith(provider + "/", StringComparison.OrdinalIgnoreCase));
        return $"unknown Azure operation `{operation}`" + ClosestNames.Hint(ClosestNames.Of(operation, sameProvider));
    }

    /// <summary>Null when <paramref name="prefix"/> is a known Azure resource provider namespace.</summary>
    public static string? CheckAzureProvider(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var providers = AzureOperationCatalog.Default.Operations.Select(o => o.Name.Split('/')[0]).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return providers.Contains(prefix, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"unknown Azure resource provider `{prefix}`" + ClosestNames.Hint(ClosestNames.Of(prefix, providers));
    }

    /// <summary>Null when <paramref name="permission"/> is a permission some predefined GCP role grants.</summary>
    public static string? CheckGcp(string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var catalog = GcpRoleCatalog.Default;
        if (permission.Contains('*', StringComparison.Ordinal)) { return null; }
        if (catalog.TryGetPermissionId(permission, out _)) { return null; }
        var dot = permission.IndexOf('.', StringComparison.Ordinal);
        var service = dot > 0 ? permission[..dot] : permission;
        var services = GcpServices(catalog);
        if (!services.Contains(service, StringComparer.OrdinalIgnoreCase))
        {
            return $"unknown GCP service `{service}` in `{permission}`" + ClosestNames.Hint(ClosestNames.Of(service, services));
        }
        var same = catalog.Permissions.Where(p => p.StartsWith(service + ".", StringComparison.OrdinalIgnoreCase));
        return $"unknown GCP permission `{permission}`" + ClosestNames.Hint(ClosestNames.Of(permission, same));
    }

    /// <summary>Null when <paramref name="service"/> is the first part of some GCP permission (`storage`, `compute`).</summary>
    public static string? CheckGcpService(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var services = GcpServices(GcpRoleCatalog.Default);
        return services.Contains(service, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"unknown GCP service `{service}`" + ClosestNames.Hint(ClosestNames.Of(service, services));
    }

    /// <summary>The check for <paramref name="provider"/> (`aws`, `azure`, `gcp`).</summary>
    public static string? Check(string provider, string permission) => provider switch
    {
        "azure" => CheckAzure(permission),
        "gcp" => CheckGcp(permission),
        _ => CheckAws(permission),
    };

    /// <summary>The service check for <paramref name="provider"/> (`aws`, `azure`, `gcp`).</summary>
    public static string? CheckService(string provider, string service) => provider switch
    {
        "azure" => CheckAzureProvider(service),
        "gcp" => CheckGcpService(service),
        _ => CheckAwsService(service),
    };

    private static ImmutableArray<string> GcpServices(GcpRoleCatalog catalog) =>
        [.. catalog.Permissions.Select(p => p.Split('.')[0]).Distinct(StringComparer.Ordinal)];
}
