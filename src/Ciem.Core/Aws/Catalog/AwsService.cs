using System.Collections.Immutable;

namespace Ciem.Core.Aws.Catalog;

/// <summary>A service prefix (`s3`) with its actions, resource types and condition keys.</summary>
public sealed class AwsService
{
    private readonly Dictionary<string, AwsResourceType> _resourceTypesByName;
    private readonly Dictionary<string, ConditionKeyInfo> _conditionKeysByName;

    internal AwsService(
        string prefix,
        string name,
        int firstActionId,
        ImmutableArray<AwsAction> actions,
        ImmutableArray<AwsResourceType> resourceTypes,
        ImmutableArray<ConditionKeyInfo> conditionKeys)
    {
        Prefix = prefix;
        Name = name;
        FirstActionId = firstActionId;
        Actions = actions;
        ResourceTypes = resourceTypes;
        ConditionKeys = conditionKeys;
        _resourceTypesByName = new Dictionary<string, AwsResourceType>(resourceTypes.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var resourceType in resourceTypes) { _resourceTypesByName.TryAdd(resourceType.Name, resourceType); }
        _conditionKeysByName = new Dictionary<string, ConditionKeyInfo>(conditionKeys.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var key in conditionKeys) { _conditionKeysByName.TryAdd(key.Key, key); }
    }

    /// <summary>The service prefix used in actions, lower case (`s3`).</summary>
    public string Prefix { get; }

    /// <summary>The service's display name (`Amazon S3`), or the prefix when the source has none.</summary>
    public string Name { get; }

    /// <summary>Id of the first action; the service's actions have ids FirstActionId..FirstActionId+Actions.Length-1.</summary>
    public int FirstActionId { get; }

    public ImmutableArray<AwsAction> Actions { get; }

    public ImmutableArray<AwsResourceType> ResourceTypes { get; }

    public ImmutableArray<ConditionKeyInfo> ConditionKeys { get; }

    public bool TryGetResourceType(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AwsResourceType? resourceType) =>
        _resourceTypesByName.TryGetValue(name, out resourceType);

    public bool TryGetConditionKey(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConditionKeyInfo? conditionKey) =>
        _conditionKeysByName.TryGetValue(key, out conditionKey);

    public override string ToString() => Prefix;
}
