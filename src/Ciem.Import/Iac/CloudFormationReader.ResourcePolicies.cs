using System.Collections.Immutable;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

public static partial class CloudFormationReader
{
    /// <summary>Resource types with a resource-based policy, and the property that holds it.</summary>
    private static readonly ImmutableDictionary<string, string> ResourcePolicyProperties = new Dictionary<string, string>
    {
        ["AWS::S3::BucketPolicy"] = "PolicyDocument",
        ["AWS::SQS::QueuePolicy"] = "PolicyDocument",
        ["AWS::SNS::TopicPolicy"] = "PolicyDocument",
        ["AWS::KMS::Key"] = "KeyPolicy",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private sealed record ResourcePolicyEntry(string Type, GatePolicy Policy, string Raw, SourceLocation Location);

    /// <summary>Resource policies by logical id on both sides; one that reads the same on both is not a change.</summary>
    private static CloudChanges ResourcePolicies(Dictionary<string, ResourcePolicyEntry> before, Dictionary<string, ResourcePolicyEntry> after)
    {
        var changes = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(id => (Id: id, Before: before.GetValueOrDefault(id), After: after.GetValueOrDefault(id)))
            .Where(x => x.Before is null || x.After is null || x.Before.Raw != x.After.Raw)
            .Select(x => new ResourcePolicyChange((x.After ?? x.Before)!.Type, x.Id, x.Before?.Policy, x.After?.Policy, (x.After ?? x.Before)!.Location))
            .ToImmutableArray();
        return CloudChanges.Empty with { ResourcePolicies = changes, Resources = after.Count };
    }
}
