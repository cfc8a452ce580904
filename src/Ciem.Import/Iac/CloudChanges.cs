using System.Collections.Immutable;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Azure.Gate;
using Ciem.Core.Gcp.Gate;

namespace Ciem.Import.Iac;

/// <summary>What a change does beyond AWS identity policies: Azure RBAC, GCP IAM and AWS resource-based policies.</summary>
public sealed record CloudChanges(AzureGateChange Azure, GcpGateChange Gcp, ImmutableArray<ResourcePolicyChange> ResourcePolicies, int Resources)
{
    public static readonly CloudChanges Empty = new(AzureGateChange.Empty, GcpGateChange.Empty, [], 0);

    public bool IsEmpty => Azure.IsEmpty && Gcp.IsEmpty && ResourcePolicies.IsEmpty;
}
