using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Gate;

/// <summary>
/// A resource-based policy before and after a change: an S3 bucket policy, a KMS key policy, an SQS queue, SNS topic,
/// ECR repository or Secrets Manager secret policy, or the statement a Lambda permission adds to its function's policy.
/// <see cref="ResourceType"/> is the Terraform or CloudFormation type; <see cref="Name"/> the resource's name or address.
/// A side is null when the policy does not exist on it; a policy whose content is known only after apply has a null document.
/// </summary>
public sealed record ResourcePolicyChange(string ResourceType, string Name, GatePolicy? Before, GatePolicy? After, SourceLocation Location)
{
    /// <summary>`resource/TYPE/NAME`: what findings and exceptions name.</summary>
    public string Id => $"resource/{ResourceType}/{Name}";
}
