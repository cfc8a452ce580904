using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Core.Gcp.Gate;

/// <summary>How a Terraform resource sets IAM: one member of a role (`_iam_member`), all members of a role (`_iam_binding`), or the whole policy (`_iam_policy`).</summary>
public enum GcpBindingMode
{
    Member,
    Binding,
    Policy,
}

/// <summary>
/// A binding as a change states it, on the full resource name it is attached to. Symbolic values (a member or role
/// known only after apply) are kept as `{reference}` text, so the engine reports them unknown rather than guessing.
/// </summary>
public sealed record GateBinding(string Resource, string Role, ImmutableArray<string> Members, IamCondition? Condition, GcpBindingMode Mode, string Address, SourceLocation Location)
{
    public string Key(string member) => $"{Resource}|{Role}|{Condition?.Expression}|{member}";
}

/// <summary>A custom role as a change states it; <see cref="Unknown"/> says why its permissions are not known before apply.</summary>
public sealed record GateCustomRole(CustomRoleDefinition Role, SourceLocation Location, string? Unknown = null);

/// <summary>An authoritative policy (`google_*_iam_policy`) whose bindings are not known before apply.</summary>
public sealed record GateUnknownPolicy(string Resource, string Address, string Why, SourceLocation Location);

/// <summary>
/// One side of a GCP change: its bindings, custom roles, the resources whose whole policy it sets (their other
/// bindings go) and the authoritative policies it sets to content known only after apply.
/// </summary>
public sealed record GcpGateSide(ImmutableArray<GateBinding> Bindings, ImmutableArray<GateCustomRole> Roles, ImmutableArray<string> PolicyResources, ImmutableArray<GateUnknownPolicy> UnknownPolicies)
{
    public static readonly GcpGateSide Empty = new([], [], [], []);
}

/// <summary>The GCP IAM resources of a change, before and after.</summary>
public sealed record GcpGateChange(GcpGateSide Before, GcpGateSide After)
{
    public static readonly GcpGateChange Empty = new(GcpGateSide.Empty, GcpGateSide.Empty);

    public bool IsEmpty => IsEmptySide(Before) && IsEmptySide(After);

    private static bool IsEmptySide(GcpGateSide side) =>
        side.Bindings.IsEmpty && side.Roles.IsEmpty && side.PolicyResources.IsEmpty && side.UnknownPolicies.IsEmpty;
}
