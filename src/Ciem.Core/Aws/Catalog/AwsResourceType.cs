using System.Collections.Immutable;

namespace Ciem.Core.Aws.Catalog;

/// <summary>
/// A resource type of a service (`s3` `object`) with its ARN template
/// (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) and the condition keys it supports.
/// </summary>
public sealed class AwsResourceType
{
    private readonly string[] _literals;
    private readonly bool _lastVariableIsWholeResource;

    internal AwsResourceType(string service, string name, string arnTemplate, ImmutableArray<ConditionKeyInfo> conditionKeys)
    {
        Service = service;
        Name = name;
        ArnTemplate = arnTemplate;
        ConditionKeys = conditionKeys;
        _literals = SplitTemplate(arnTemplate);
        // `arn:${Partition}:s3:::${BucketName}`: the resource part is one variable, a plain name.
        _lastVariableIsWholeResource = _literals.Length > 1
            && _literals[^1].Length == 0
            && arnTemplate.Count(c => c == ':') == 5
            && _literals[^2].EndsWith(':');
    }

    public string Service { get; }

    /// <summary>The resource type name as the reference spells it (`object`, `accesspointobject`).</summary>
    public string Name { get; }

    public string ArnTemplate { get; }

    public ImmutableArray<ConditionKeyInfo> ConditionKeys { get; }

    /// <summary>
    /// Whether a concrete ARN fits the template. Literal text must match exactly (ordinal). Each
    /// `${Variable}` matches non-empty text that stops at the first occurrence of the character that
    /// follows the variable in the template (so `${BucketName}/` never swallows a `/`, `${Region}:`
    /// never swallows a `:`); a variable at the end of the template takes the rest of the ARN, which
    /// lets `${ObjectName}`, `${RoleNameWithPath}` and `log-group:${LogGroupName}` contain `/` — except
    /// when that variable is the whole resource part (`arn:${Partition}:s3:::${BucketName}`), where it
    /// holds no `/` or `:`, so a bucket template does not match an object ARN.
    /// </summary>
    public bool Matches(ReadOnlySpan<char> arn)
    {
        // _literals alternates literal, variable, literal, …: the literal at index 0 and after each variable.
        var rest = arn;
        for (var i = 0; i < _literals.Length; i++)
        {
            var literal = _literals[i].AsSpan();
            if (i == 0)
            {
                if (!rest.StartsWith(literal, StringComparison.Ordinal)) { return false; }
                rest = rest[literal.Length..];
                continue;
            }
            // A variable precedes this literal.
            if (literal.IsEmpty)
            {
                // The variable ends the template: it takes the rest, which must be non-empty.
                return !rest.IsEmpty && (!_lastVariableIsWholeResource || rest.IndexOfAny('/', ':') < 0);
            }
            var stop = rest.IndexOf(literal[0]);
            if (stop <= 0) { return false; }
            rest = rest[stop..];
            if (!rest.StartsWith(literal, StringComparison.Ordinal)) { return false; }
            rest = rest[literal.Length..];
        }
        return rest.IsEmpty;
    }

    public override string ToString() => $"{Service}:{Name} {ArnTemplate}";

    /// <summary>Literal runs of the template; a variable sits between consecutive entries.</summary>
    private static string[] SplitTemplate(string template)
    {
        var literals = new List<string>();
        var start = 0;
        while (true)
        {
            var open = template.IndexOf("${", start, StringComparison.Ordinal);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 2);
            if (close < 0)
            {
                literals.Add(template[start..]);
                return [.. literals];
            }
            literals.Add(template[start..open]);
            start = close + 1;
        }
    }
}
