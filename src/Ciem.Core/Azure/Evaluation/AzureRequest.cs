using System.Collections.Immutable;
using Ciem.Core.Azure.Catalog;

namespace Ciem.Core.Azure.Evaluation;

/// <summary>
/// One authorization question: may <see cref="PrincipalId"/> (member of <see cref="GroupIds"/>, added to what the
/// estate's memberships say) perform <see cref="Operation"/> of <see cref="Plane"/> on <see cref="Scope"/>?
/// <see cref="Attributes"/> holds ABAC attribute values keyed as conditions write them (`@Request[…]`,
/// `@Resource[…]`, `@Principal[…]`, `@Environment[…]`, case ignored); `@Resource[{type}:name]` attributes are also
/// derived from the scope path. <see cref="SubOperation"/> is e.g. `Blob.List`.
/// </summary>
public sealed record AzureRequest(
    string PrincipalId,
    string Operation,
    string Scope,
    AzurePlane Plane = AzurePlane.Control,
    ImmutableArray<string> GroupIds = default,
    IReadOnlyDictionary<string, ImmutableArray<string>>? Attributes = null,
    string? SubOperation = null);
