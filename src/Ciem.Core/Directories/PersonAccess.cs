using System.Collections.Immutable;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.Core.Directories;

/// <summary>
/// One way a person holds rights in a cloud: the federation chain from their directory account (<see cref="Via"/>:
/// user → groups → permission set → account), the thing that grants (<see cref="Grant"/>: a role, a role assignment,
/// a binding) and where (<see cref="Scope"/>: an account, an Azure scope, a GCP resource). <see cref="IdentityId"/> is the
/// cloud identity the person acts as (a role ARN, their Entra object id, their IAM member). <see cref="Granted"/> counts
/// the distinct permissions this path grants; an eligible (PIM) path grants nothing until activated and counts what it would.
/// </summary>
public sealed record AccessPath(
    int Id,
    string Cloud,
    string IdentityId,
    ImmutableArray<FederationStep> Via,
    string Grant,
    string Scope,
    int Granted,
    bool IsAdministrator,
    bool IsEligible,
    string? Condition)
{
    public string ChainText => string.Join(" → ", Via.Select(v => v.ToString()).Append($"{Grant} at {Scope}"));
}

/// <summary>A permission in a person's union of rights, with the <see cref="AccessPath.Id"/>s of every path that grants it.</summary>
public sealed record PersonRight(string Permission, ImmutableArray<int> Paths);

/// <summary>
/// An action the audit logs attribute to the person: calls, last use, the cloud identities it was made as (a role ARN,
/// an object id, a service account the person impersonated) and whether the person's rights include it.
/// </summary>
public sealed record PersonActionUse(string Action, long Count, DateTimeOffset LastUsed, ImmutableArray<string> As, bool Granted);

/// <summary>
/// What a person did in one cloud in the window: distinct granted permissions <see cref="Used"/> and <see cref="Unused"/>,
/// actions used that no path grants (<see cref="UsedNotGranted"/>: a grant not imported, or a sign-in), events,
/// last activity of any kind, every action used (most used first), and <see cref="Notes"/> on what could not be attributed.
/// </summary>
public sealed record PersonCloudUsage(
    int Used,
    int Unused,
    int UsedNotGranted,
    long Events,
    DateTimeOffset? LastActivity,
    ImmutableArray<PersonActionUse> Actions,
    ImmutableArray<string> Notes);

/// <summary>
/// A person's rights in one cloud: the <see cref="Paths"/> that grant, the union of <see cref="Rights"/> with each right's
/// paths, PIM-eligible paths apart (<see cref="Eligible"/>), content the engines could not evaluate, and the usage.
/// </summary>
public sealed record PersonCloudAccess(
    string Cloud,
    ImmutableArray<AccessPath> Paths,
    ImmutableArray<PersonRight> Rights,
    ImmutableArray<AccessPath> Eligible,
    bool IsAdministrator,
    ImmutableArray<string> Indeterminate,
    PersonCloudUsage Usage)
{
    public int Granted => Rights.Length;

    /// <summary>
    /// The highest administrator category of the person's identities in this cloud, decided on the attack graphs when the
    /// view was given standings (docs/attack-paths.md); else administrator exactly when <see cref="IsAdministrator"/>.
    /// </summary>
    public AdminCategory Category { get; init; }
}

/// <summary>The person with their rights and usage in every cloud where they hold a path or show activity (AWS, Azure, GCP order).</summary>
public sealed record PersonAccessResult(PersonLink Person, ImmutableArray<PersonCloudAccess> Clouds);

/// <summary>
/// One usage rollup row as the store keeps it, summed over the window: the identity the log names, the person it also
/// names (an Identity Center session name, a sign-in's UPN, the first principal of a GCP delegation chain; empty when
/// none), the action, calls and the last call.
/// </summary>
public sealed record PersonUsageRecord(string Cloud, string Identity, string Person, string Action, long Count, DateTimeOffset LastSeen);
