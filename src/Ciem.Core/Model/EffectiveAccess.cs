using System.Collections.Immutable;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Model;

/// <summary>
/// One permission an identity effectively holds, provider-neutral: <see cref="Permission"/> in the provider's own
/// vocabulary (`s3:GetObject`, `Microsoft.Storage/storageAccounts/read`, `storage.objects.get`), <see cref="Scope"/>
/// the resources it applies to (an ARN pattern, an Azure scope, a GCP resource name; `*` for all),
/// <see cref="Condition"/> the condition text when the grant is conditional, <see cref="Sources"/> the provenance
/// (which policy/statement, role assignment or binding grants it), <see cref="LimitedBy"/> what narrows it
/// (a partial deny, a boundary, an SCP, a deny assignment) when something does.
/// </summary>
public sealed record PermissionGrant(
    string Permission,
    string AccessLevel,
    string Scope,
    string? Condition,
    ImmutableArray<string> Sources,
    ImmutableArray<string> LimitedBy)
{
    public bool IsConditional => Condition is not null || !LimitedBy.IsEmpty;
}

/// <summary>
/// What an identity can effectively do after every layer, with provenance. <see cref="GrantedCount"/> is the seed
/// metric: distinct concrete permissions allowed on at least one resource. <see cref="Indeterminate"/> lists
/// permissions whose outcome depends on content the engine could not evaluate.
/// </summary>
public sealed record EffectiveAccess(
    Identity Identity,
    ImmutableArray<PermissionGrant> Grants,
    int GrantedCount,
    bool IsAdministrator,
    ImmutableArray<string> Indeterminate,
    ImmutableArray<Diagnostic> Diagnostics);
