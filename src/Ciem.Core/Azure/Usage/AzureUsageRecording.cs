using System.Collections.Immutable;
using Ciem.Core.Model;

namespace Ciem.Core.Azure.Usage;

/// <summary>
/// Which Azure operations the logs of a window can show used (docs/azure.md, "Unknown, not unused"). The Activity Log
/// records control-plane write, delete and action operations through Azure Resource Manager (a start and a success or
/// failure record); it does not record reads (`…/read`, HTTP GET) and never records data-plane operations
/// (DataActions), which only resource logs — diagnostic settings per resource — carry. So:
/// <list type="bullet">
/// <item>a control-plane `…/read` is *unknown*: no log in the window could show it used;</item>
/// <item>a data action is *unknown* unless the window holds data-plane usage of its resource provider
/// (`Microsoft.Storage`), i.e. resource logs were ingested for it (coverage `data`);</item>
/// <item>every other control-plane operation is recorded: not seen means *unused*.</item>
/// </list>
/// </summary>
public sealed class AzureUsageRecording
{
    private readonly ImmutableHashSet<string> _dataPlaneProviders;

    /// <param name="dataPlaneProviders">Resource provider namespaces whose data-plane operations were logged in the window.</param>
    public AzureUsageRecording(IEnumerable<string> dataPlaneProviders)
    {
        ArgumentNullException.ThrowIfNull(dataPlaneProviders);
        _dataPlaneProviders = dataPlaneProviders.ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The Activity Log alone.</summary>
    public static AzureUsageRecording ActivityLogOnly { get; } = new([]);

    public UsageRecording Recording(string operation, bool isDataAction)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var provider = ProviderOf(operation);
        if (isDataAction)
        {
            return _dataPlaneProviders.Contains(provider)
                ? new UsageRecording(true, $"data-plane logs of `{provider}` are in the window")
                : new UsageRecording(false, "data actions are not in the Activity Log and no data-plane logs of `" + provider + "` are in the window");
        }
        return operation.EndsWith("/read", StringComparison.OrdinalIgnoreCase)
            ? new UsageRecording(false, "the Activity Log does not record read (GET) operations")
            : new UsageRecording(true, "the Activity Log records write, delete and action operations");
    }

    /// <summary>The resource provider namespace of an operation: `Microsoft.Storage` of `Microsoft.Storage/storageAccounts/read`.</summary>
    public static string ProviderOf(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var slash = operation.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? operation : operation[..slash];
    }
}
