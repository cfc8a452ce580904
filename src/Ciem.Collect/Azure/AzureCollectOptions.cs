using System.Collections.Immutable;
using Azure.Core;
using Azure.Identity;

namespace Ciem.Collect.Azure;

/// <summary>An Azure cloud's endpoints: Resource Manager, Microsoft Graph and the Entra sign-in authority.</summary>
public sealed record AzureCloud(string Name, Uri Arm, Uri Graph, Uri Authority)
{
    public static readonly AzureCloud Public = new("AzureCloud", new("https://management.azure.com/"), new("https://graph.microsoft.com/"),
        AzureAuthorityHosts.AzurePublicCloud);

    public static readonly AzureCloud China = new("AzureChinaCloud", new("https://management.chinacloudapi.cn/"),
        new("https://microsoftgraph.chinacloudapi.cn/"), AzureAuthorityHosts.AzureChina);

    public static readonly AzureCloud UsGovernment = new("AzureUSGovernment", new("https://management.usgovcloudapi.net/"),
        new("https://graph.microsoft.us/"), AzureAuthorityHosts.AzureGovernment);

    public static readonly ImmutableArray<AzureCloud> All = [Public, China, UsGovernment];

    /// <summary>The cloud named as `az cloud list` names it (`AzureCloud`, `AzureChinaCloud`, `AzureUSGovernment`), without case.</summary>
    public static AzureCloud? Find(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>How the Azure and Entra collectors reach their APIs: the cloud, endpoint overrides and the credential.</summary>
public sealed record AzureConnection
{
    public AzureCloud Cloud { get; init; } = AzureCloud.Public;

    /// <summary>Resource Manager's root instead of the cloud's (a private endpoint, a proxy, a local test server).</summary>
    public Uri? ArmEndpoint { get; init; }

    /// <summary>Microsoft Graph's root instead of the cloud's.</summary>
    public Uri? GraphEndpoint { get; init; }

    /// <summary>
    /// The credential; null is Azure.Identity's default chain (environment, workload identity, managed identity, Azure CLI, …)
    /// for the cloud.
    /// </summary>
    public TokenCredential? Credential { get; init; }

    public CallPolicy Call { get; init; } = CallPolicy.Default;

    public Uri Arm => RestJsonClient.CheckedRoot(ArmEndpoint ?? Cloud.Arm, "arm endpoint");

    public Uri Graph => RestJsonClient.CheckedRoot(GraphEndpoint ?? Cloud.Graph, "graph endpoint");

    public TokenCredential ResolveCredential() =>
        Credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { AuthorityHost = Cloud.Authority });

    /// <summary>The token scope of an API: its public root's `/.default` (a local override keeps the cloud's audience).</summary>
    public string Scope(Uri publicRoot) => new Uri(publicRoot, ".default").ToString();
}

/// <summary>What `ciem collect azure` reads.</summary>
public sealed record AzureCollectOptions
{
    public AzureConnection Connection { get; init; } = new();

    /// <summary>Only these subscriptions (default: every subscription the credential sees).</summary>
    public ImmutableArray<string> Subscriptions { get; init; } = [];

    /// <summary>The management group whose tree is read (default: the tenant root group, named by the tenant id).</summary>
    public string? ManagementGroup { get; init; }

    /// <summary>Read the transitive members of every group that holds a role (Microsoft Graph).</summary>
    public bool GroupMemberships { get; init; } = true;

    public int Parallelism { get; init; } = 4;

    public bool DryRun { get; init; }
}
