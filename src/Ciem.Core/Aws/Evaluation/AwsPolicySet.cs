using System.Collections.Immutable;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>The layers of policy that apply to one request, as AWS evaluates them.</summary>
public enum AwsLayer
{
    Rcp,
    Scp,
    Resource,
    Identity,
    Boundary,
    Session,
    Endpoint,

    /// <summary>Not a policy: a resource AWS protects whatever the policies say (<see cref="AwsBuiltInRules"/>).</summary>
    Protected,
}

/// <summary>One level of an organization (root, an OU, or the account) with the SCPs or RCPs attached there.</summary>
public sealed record PolicyLevel(string Target, ImmutableArray<CompiledPolicy> Policies);

/// <summary>
/// Every policy that bears on a request. SCP and RCP levels are ordered from the root to the account; each
/// level must allow. Empty layers do not apply (no boundary, no session policy, no endpoint).
/// </summary>
public sealed record AwsPolicySet
{
    public ImmutableArray<CompiledPolicy> Identity { get; init; } = [];
    public ImmutableArray<CompiledPolicy> Boundaries { get; init; } = [];
    public ImmutableArray<PolicyLevel> Scps { get; init; } = [];
    public ImmutableArray<PolicyLevel> Rcps { get; init; } = [];
    public CompiledPolicy? ResourcePolicy { get; init; }
    public CompiledPolicy? SessionPolicy { get; init; }
    public ImmutableArray<CompiledPolicy> EndpointPolicies { get; init; } = [];

    /// <summary>The caller's account is the organization's management account: SCPs do not apply to it.</summary>
    public bool IsManagementAccount { get; init; }

    /// <summary>The caller is a service-linked role: SCPs and RCPs do not apply to it.</summary>
    public bool PrincipalIsServiceLinkedRole { get; init; }
}
