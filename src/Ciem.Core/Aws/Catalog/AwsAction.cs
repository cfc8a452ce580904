using System.Collections.Immutable;

namespace Ciem.Core.Aws.Catalog;

/// <summary>A resource type an action applies to, whether it is required, and its extra keys and dependent actions.</summary>
public sealed record AwsActionResource(
    AwsResourceType ResourceType,
    bool Required,
    ImmutableArray<ConditionKeyInfo> ConditionKeys,
    ImmutableArray<string> DependentActions);

/// <summary>
/// One IAM action (`s3:GetObject`). <see cref="Id"/> is dense (0..Count-1) within its catalog and
/// indexes <see cref="ActionSet"/> bits; actions of one service have consecutive ids.
/// </summary>
public sealed class AwsAction
{
    internal AwsAction(
        int id,
        string service,
        string name,
        AwsAccessLevel accessLevel,
        ImmutableArray<AwsActionResource> resourceTypes,
        ImmutableArray<ConditionKeyInfo> conditionKeys,
        ImmutableArray<string> dependentActions)
    {
        Id = id;
        Service = service;
        Name = name;
        FullName = string.Concat(service, ":", name);
        AccessLevel = accessLevel;
        ResourceTypes = resourceTypes;
        ConditionKeys = conditionKeys;
        DependentActions = dependentActions;
    }

    public int Id { get; }

    /// <summary>The service prefix, lower case (`s3`).</summary>
    public string Service { get; }

    /// <summary>The action name in canonical case (`GetObject`).</summary>
    public string Name { get; }

    /// <summary>`service:Name` (`s3:GetObject`).</summary>
    public string FullName { get; }

    public AwsAccessLevel AccessLevel { get; }

    /// <summary>Resource types the action applies to; empty means the action takes only `*`.</summary>
    public ImmutableArray<AwsActionResource> ResourceTypes { get; }

    /// <summary>Condition keys the action supports regardless of resource type.</summary>
    public ImmutableArray<ConditionKeyInfo> ConditionKeys { get; }

    /// <summary>Actions AWS also checks when this one is called (full names, as the reference spells them).</summary>
    public ImmutableArray<string> DependentActions { get; }

    /// <summary>The resource types whose ARN template fits <paramref name="arn"/>.</summary>
    public IEnumerable<AwsActionResource> ResourceTypesFor(string arn)
    {
        foreach (var resource in ResourceTypes)
        {
            if (resource.ResourceType.Matches(arn)) { yield return resource; }
        }
    }

    public override string ToString() => FullName;
}
