using System.Collections.Immutable;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Gate;

/// <summary>What a change touches: an IAM user, role or group, or a managed policy attached to nothing in the change.</summary>
public enum GatePrincipalKind
{
    User,
    Role,
    Group,
    Policy,
}

/// <summary>
/// One policy as a change states it. <see cref="Document"/> is null when its content is not known before apply
/// (a Terraform `after_unknown` value, an attached policy outside the change): such a policy is resolved from the
/// inventory by <see cref="Arn"/> when possible, else evaluated as unknown content (indeterminate, never skipped).
/// </summary>
public sealed record GatePolicy(string Name, PolicyDocument? Document, SourceLocation Location, string? Arn = null)
{
    public bool IsUnknown => Document is null;

    /// <summary>The line of each statement (by index) when the reader knows it, e.g. in a YAML template.</summary>
    public ImmutableArray<long?> StatementLines { get; init; } = [];

    /// <summary>Where a statement of this policy is: its JSON path, and its line when known (else the policy's).</summary>
    public SourceLocation LocationOf(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var basePath = Location.JsonPath;
        // Readers that pass the policy's location to the parser already prefix statement paths with it.
        var path = basePath is null or "$" || statement.JsonPath.StartsWith(basePath, StringComparison.Ordinal) ? statement.JsonPath : basePath + statement.JsonPath.TrimStart('$');
        var line = statement.Index < StatementLines.Length ? StatementLines[statement.Index] : null;
        return Location with { JsonPath = path, Line = line ?? Location.Line };
    }
}

/// <summary>
/// A principal before and after a change: identity policies, trust policy (roles) and permissions boundary on each
/// side. A principal created by the change has empty <see cref="Before"/>; a deleted one has empty <see cref="After"/>.
/// </summary>
public sealed record PrincipalChange(
    GatePrincipalKind Kind,
    string Name,
    string? Account,
    ImmutableArray<GatePolicy> Before,
    ImmutableArray<GatePolicy> After,
    GatePolicy? TrustBefore,
    GatePolicy? TrustAfter,
    GatePolicy? BoundaryBefore,
    GatePolicy? BoundaryAfter,
    SourceLocation Location)
{
    /// <summary>`role/NAME`, `user/NAME`, `group/NAME` or `policy/NAME`, prefixed by the account when known.</summary>
    public string Id => Account is null ? $"{KindName}/{Name}" : $"{Account}/{KindName}/{Name}";

    public string KindName => Kind switch
    {
        GatePrincipalKind.User => "user",
        GatePrincipalKind.Role => "role",
        GatePrincipalKind.Group => "group",
        _ => "policy",
    };
}
