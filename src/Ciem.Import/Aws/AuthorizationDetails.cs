using System.Collections.Immutable;
using Ciem.Core.Aws.Inventory;

namespace Ciem.Import.Aws;

/// <summary>
/// The merged content of one or more <c>get-account-authorization-details</c> exports: a snapshot per account
/// found in the ARNs, and the AWS-managed policies, which all accounts share.
/// </summary>
public sealed record AuthorizationDetails(
    ImmutableArray<AwsAccountSnapshot> Accounts,
    ImmutableArray<ManagedPolicy> AwsManagedPolicies)
{
    /// <summary>An inventory holding these accounts and policies (and optionally the other readers' results), for the store or the engines.</summary>
    public AwsInventory ToInventory(
        AwsOrganization? organization = null,
        ImmutableArray<ResourcePolicy> resourcePolicies = default,
        DateTimeOffset? resourcePoliciesTakenAt = null) =>
        new(Accounts, organization, AwsManagedPolicies, resourcePolicies.IsDefault ? [] : resourcePolicies,
            resourcePolicies.IsDefaultOrEmpty ? null : resourcePoliciesTakenAt);
}
