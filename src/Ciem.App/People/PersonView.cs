using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.App.People;

/// <summary>Why a person view has no result.</summary>
public enum PersonProblem
{
    None,

    /// <summary>The store does not exist yet.</summary>
    NoStore,

    /// <summary>The store holds no directory snapshot.</summary>
    NoDirectory,

    /// <summary>No person of the directories has the address.</summary>
    NoPerson,
}

/// <summary>
/// Everything one address reaches: the people it matches (several when the directories cannot tell them apart), each
/// one's access per cloud with usage over the window, and the AWS effective permissions of their linked identities.
/// </summary>
public sealed record PersonViewResult(
    ImmutableArray<PersonLink> People,
    ImmutableArray<PersonAccessResult> Views,
    IReadOnlyDictionary<string, AwsEffectivePermissions> Effective,
    UsageWindow Window)
{
    /// <summary>Every identity's administrator standing, decided on the attack graphs (docs/attack-paths.md).</summary>
    public AdminStandings Administrators { get; init; } = new();
}

/// <summary>`ciem person ADDRESS`: one person's access across every cloud, from the session's store.</summary>
public static class PersonView
{
    /// <summary>The view of <paramref name="address"/> over the window, or the problem (the result is then null).</summary>
    public static PersonViewResult? Compute(CiemSession session, string address, UsageWindow window, out PersonProblem problem)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(window);
        problem = PersonProblem.None;
        if (!session.StoreExists)
        {
            problem = PersonProblem.NoStore;
            return null;
        }
        var store = session.Store;
        var directories = store.LoadDirectories();
        var estate = session.Aws.Value;
        // Azure principals with a role assignment (active or PIM-eligible) and GCP members bound anywhere.
        var azure = store.LoadAzureInventory();
        ImmutableArray<string> azurePrincipals = [.. azure.RoleAssignments.Select(a => a.PrincipalId).Concat(azure.EligibleAssignments.Select(a => a.PrincipalId)).Distinct(StringComparer.OrdinalIgnoreCase)];
        var gcp = store.LoadGcpInventory();
        ImmutableArray<string> gcpMembers = [.. gcp.Policies.SelectMany(p => p.Bindings).SelectMany(b => b.Members).Distinct(StringComparer.OrdinalIgnoreCase)];
        var usage = new List<PersonUsageRecord>();
        foreach (var provider in Provider.All)
        {
            usage.AddRange(store.LoadUsageByPerson(provider, window.Start, window.EndExclusive)
                .Select(u => new PersonUsageRecord(provider.Name, u.Identity, u.Person, u.Action, u.Count, u.LastSeen)));
        }
        if (directories.IsEmpty)
        {
            problem = PersonProblem.NoDirectory;
            return null;
        }
        var result = IdentityLinker.Link(directories, new LinkTargets([.. estate?.Identities.Select(i => i.Identity) ?? []], azurePrincipals, gcpMembers));
        var people = result.Find(address);
        if (people.IsEmpty)
        {
            problem = PersonProblem.NoPerson;
            return null;
        }
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        var contexts = estate?.Identities.ToDictionary(i => i.Identity.Id, StringComparer.Ordinal) ?? [];
        var effective = people.SelectMany(p => p.Links).Where(l => l.Cloud == Provider.AwsName).Select(l => l.IdentityId).Distinct(StringComparer.Ordinal)
            .Where(contexts.ContainsKey).ToDictionary(arn => arn, arn => calculator.Compute(contexts[arn]), StringComparer.Ordinal);
        // Administrators as every view shows them: decided on the AWS attack graph and the multi-cloud graph.
        var admins = new AdminStandings();
        if (session.AwsGraph() is { } aws) { admins.AddAws(aws); }
        if (!azure.IsEmpty || !gcp.Policies.IsEmpty)
        {
            var cloud = session.CloudGraph(window.AsOf);
            admins.AddCloud(cloud, Provider.AzureName).AddCloud(cloud, Provider.GcpName);
        }
        var access = new PersonAccessCalculator(new PersonAccessInputs(directories, estate, azure.IsEmpty ? null : azure.ToEstate(),
            gcp.Policies.IsEmpty ? null : GcpPolicySet.Create(gcp), usage, PersonUsageAttribution.SharedAddresses(result.People))
        {
            Administrators = admins,
        });
        return new PersonViewResult(people, [.. people.Select(access.Compute)], effective, window) { Administrators = admins };
    }
}
