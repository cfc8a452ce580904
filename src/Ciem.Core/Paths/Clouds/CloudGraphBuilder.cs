using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;

namespace Ciem.Core.Paths.Clouds;

/// <summary>
/// What the multi-cloud graph is built from: the Azure estate, the GCP policy set, the directory snapshots (Entra
/// service principals, applications, owners, directory roles), the AWS estate with its attack paths (built only when
/// an edge reaches AWS), the identity links of the people, and the time eligible assignments and conditions are read at.
/// </summary>
public sealed record CloudGraphInputs
{
    public AzureEstate? Azure { get; init; }

    public GcpPolicySet? Gcp { get; init; }

    public ImmutableArray<DirectorySnapshot> Directories { get; init; } = [];

    public AwsEstate? Aws { get; init; }

    /// <summary>The AWS attack paths, asked for only when a cross-cloud edge reaches an AWS identity.</summary>
    public Func<AttackPaths>? AwsPaths { get; init; }

    public IdentityLinkResult? Links { get; init; }

    public DateTimeOffset AsOf { get; init; }
}

/// <summary>
/// Builds the <see cref="CloudGraph"/>: Azure and Entra edges (<see cref="AzurePathEdges"/>), GCP edges
/// (<see cref="GcpPathEdges"/>), the edges between clouds (<see cref="CrossCloudEdges"/>), and for each AWS identity
/// reached across clouds, its AWS standing from the AWS attack graph (administrator, or its shortest path to one).
/// </summary>
public static class CloudGraphBuilder
{
    public static CloudGraph Build(CloudGraphInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var g = new CloudGraphDraft();
        var azurePrincipals = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var azureServicePrincipals = new List<(string Id, string? Tenant)>();
        if (inputs.Azure is { } azure)
        {
            AzurePathEdges.Add(g, azure, inputs.Directories, inputs.AsOf);
            azurePrincipals.UnionWith(g.Nodes(Provider.AzureName));
            azureServicePrincipals.AddRange(azure.RoleAssignments.Where(a => string.Equals(a.PrincipalType, "ServicePrincipal",
                StringComparison.OrdinalIgnoreCase))
                .Select(a => (a.PrincipalId, (string?)null)));
        }
        foreach (var d in inputs.Directories.Where(d => d.Source == DirectorySource.Entra))
        {
            azurePrincipals.UnionWith(d.Users.Select(u => u.Id));
            azurePrincipals.UnionWith(d.ServicePrincipals.Select(s => s.Id));
            azureServicePrincipals.AddRange(d.ServicePrincipals.Select(s => (s.Id, (string?)d.TenantId)));
        }
        azureServicePrincipals = [.. azureServicePrincipals.GroupBy(s => s.Id,
            StringComparer.OrdinalIgnoreCase).Select(x => x.OrderBy(s => s.Tenant is null).First())];
        IReadOnlyList<GcpServiceAccountNode> accounts = [];
        if (inputs.Gcp is { } gcp)
        {
            var federated = CrossCloudEdges.WorkloadIdentityActors(g, gcp, inputs.Aws, azurePrincipals);
            accounts = GcpPathEdges.Add(g, gcp, inputs.AsOf, federated);
        }
        if (inputs.Aws is { } aws)
        {
            CrossCloudEdges.WebIdentity(g, aws, accounts, azureServicePrincipals);
        }
        if (inputs.Links is { } links) { CrossCloudEdges.People(g, links, azurePrincipals); }
        if (inputs.Aws is not null && inputs.AwsPaths is not null) { AwsStandings(g, inputs.AwsPaths); }
        else if (g.Nodes(Provider.AwsName).Any())
        {
            g.Note("aws: identities reached across clouds have no AWS attack graph here, so their paths inside AWS are not followed");
        }
        return g.Build();
    }

    /// <summary>Each AWS identity in the graph gets its AWS standing: "is administrator" or the AWS attack graph's shortest path.</summary>
    private static void AwsStandings(CloudGraphDraft g, Func<AttackPaths> build)
    {
        var reached = g.Nodes(Provider.AwsName).ToList();
        if (reached.Count == 0) { return; }
        var paths = build();
        foreach (var arn in reached)
        {
            var index = paths.Graph.IndexOf(arn);
            if (index < 0) { continue; }
            var standing = paths.Standings[index];
            var from = g.Find(CloudNodeKind.Principal, arn);
            var account = standing.Category == AdminCategory.Administrator ? standing.Identity.Identity.Scope
                : standing.PathToAdministrator?.Account;
            if (account is null) { continue; }
            var goal = g.Administrator(Provider.AwsName, account, $"administrator of AWS account `{account}`");
            if (standing.Category == AdminCategory.Administrator)
            {
                g.Edge(new CloudEdge(from, goal, CloudTechniques.AwsAdministrator, EdgeCertainty.Certain,
                    [$"the AWS engine allows every administrator probe for `{arn}`"], Hops: 0));
            }
            else if (standing.PathToAdministrator is { } path)
            {
                g.Edge(new CloudEdge(from, goal, CloudTechniques.AwsPath, path.Certainty,
                    [.. path.Steps.Select(s => $"{s.Technique.Id}: `{s.From}` → `{s.To}`{(s.Via is null ? "" : $" (via {s.Via})")}")],
                        Hops: Math.Max(AttackPaths.CountedHops(path), 1)));
            }
        }
    }
}
