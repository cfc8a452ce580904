using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Collect.Okta;
using Ciem.Core.Diagnostics;
using Ciem.Import.Directories;

namespace Ciem.Collect.Azure;

/// <summary>
/// `ciem collect entra`: reads the organization, users, groups and every member of each, service principals and
/// applications with their owners, and the activated directory roles with their members from Microsoft Graph v1.0
/// (read-only `GET`s, every page through `@odata.nextLink`) into the bundle <see cref="EntraReader"/> reads from a
/// file, and writes it as one directory snapshot. Members and owners are read with their own calls, not `$expand`,
/// which Graph cuts at 20. Nested groups stay groups: membership through them is resolved downstream with its path.
/// All or nothing: a directory missing a group's members would read as one where nobody is a member.
/// </summary>
public static class EntraCollector
{
    private const string Next = "@odata.nextLink";
    private const string UserFields = "id,displayName,userPrincipalName,mail,otherMails,accountEnabled";
    private const string GroupFields = "id,displayName,mail,groupTypes,membershipRule";
    private const string PrincipalFields =
        "id,appId,displayName,servicePrincipalType,accountEnabled,alternativeNames,tags,notes,passwordCredentials,keyCredentials";
    private const string ApplicationFields = "id,appId,displayName,tags,notes,passwordCredentials,keyCredentials";

    /// <summary>How many objects `$expand` gives at most: an owner list of this length is read again in full.</summary>
    private const int ExpandLimit = 20;

    public static async Task<DirectoryCollectResult> CollectAsync(CiemSession? session, AzureConnection connection, bool dryRun,
        DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var root = connection.Graph;
        if (dryRun)
        {
            return new DirectoryCollectResult(root.GetLeftPart(UriPartial.Authority), null, [], default, [], 0, TimeSpan.Zero,
            [
                $"GET {root}v1.0/organization, /users, /groups, /servicePrincipals?$expand=owners, /applications?$expand=owners, "
                    + "/directoryRoles (every page)",
                "GET /groups/{id}/members for each group and /directoryRoles/{id}/members for each activated role",
            ]);
        }
        ArgumentNullException.ThrowIfNull(session);
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var graph = new RestJsonClient(http, root, "graph", AzureCollector.Token(connection.ResolveCredential(),
            connection.Scope(connection.Cloud.Graph)), connection.Call);

        progress?.Report(new CollectProgress("reading the entra organization", 0, 0));
        var organization = Array(await graph.PagesAsync("v1.0/organization?$select=id,displayName", Next, cancellationToken)
            .ConfigureAwait(false));
        var tenant = organization.OfType<JsonObject>().Select(o => o["id"]?.GetValue<string>()).FirstOrDefault(id => id is not null)
            ?? throw new CollectException(DiagnosticCodes.CollectCallFailed, "graph `GET /v1.0/organization` named no tenant id");
        progress?.Report(new CollectProgress("reading entra users", 0, 0));
        var users = Array(await graph.PagesAsync($"v1.0/users?$select={UserFields}&$top=999", Next, cancellationToken)
            .ConfigureAwait(false));
        progress?.Report(new CollectProgress("reading entra groups", 0, 0));
        var groups = Array(await graph.PagesAsync($"v1.0/groups?$select={GroupFields}&$top=999", Next, cancellationToken)
            .ConfigureAwait(false));
        await EachAsync(graph, groups, "groups", "members", "reading entra group members", progress, cancellationToken)
            .ConfigureAwait(false);
        progress?.Report(new CollectProgress("reading entra service principals", 0, 0));
        var principals = Array(await graph.PagesAsync(
            $"v1.0/servicePrincipals?$select={PrincipalFields}&$expand=owners($select=id)&$top=999", Next, cancellationToken)
            .ConfigureAwait(false));
        await OwnersAsync(graph, principals, "servicePrincipals", cancellationToken).ConfigureAwait(false);
        progress?.Report(new CollectProgress("reading entra applications", 0, 0));
        var applications = Array(await graph.PagesAsync(
            $"v1.0/applications?$select={ApplicationFields}&$expand=owners($select=id)&$top=999", Next, cancellationToken)
            .ConfigureAwait(false));
        await OwnersAsync(graph, applications, "applications", cancellationToken).ConfigureAwait(false);
        progress?.Report(new CollectProgress("reading entra directory roles", 0, 0));
        var roles = Array(await graph.PagesAsync("v1.0/directoryRoles?$select=id,displayName,roleTemplateId", Next, cancellationToken)
            .ConfigureAwait(false));
        await EachAsync(graph, roles, "directoryRoles", "members", "reading entra directory role members", progress, cancellationToken)
            .ConfigureAwait(false);

        var bundle = new JsonObject
        {
            ["Format"] = EntraReader.FormatName,
            ["tenantId"] = tenant,
            [EntraReader.Users] = users,
            [EntraReader.Groups] = groups,
            [EntraReader.ServicePrincipals] = principals,
            [EntraReader.Applications] = applications,
            [EntraReader.DirectoryRoles] = roles,
        };
        return DirectoryCollectResult.Write(session, bundle, EntraReader.Read, $"graph-api://{root.Authority}/v1.0", "graph", now, progress,
            graph.Calls, watch.Elapsed);
    }

    /// <summary>Every page's `value` items, one after the other, as the bundle holds a list.</summary>
    private static JsonArray Array(List<RestPage> pages) =>
        new([.. RestJsonClient.Items(pages).Select(e => JsonNode.Parse(e.GetRawText()))]);

    /// <summary>Sets <paramref name="member"/> of each object to every page of `/{collection}/{id}/{member}`.</summary>
    private static async Task EachAsync(RestJsonClient graph, JsonArray items, string collection, string member, string step,
        IProgress<CollectProgress>? progress, CancellationToken cancellationToken)
    {
        var objects = items.OfType<JsonObject>().Where(o => o["id"]?.GetValueKind() == JsonValueKind.String).ToList();
        for (var i = 0; i < objects.Count; i++)
        {
            progress?.Report(new CollectProgress(step, i, objects.Count));
            var id = Uri.EscapeDataString(objects[i]["id"]!.GetValue<string>());
            objects[i][member] = Array(await graph.PagesAsync($"v1.0/{collection}/{id}/{member}?$select=id&$top=999", Next,
                cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Reads in full the owners of the objects whose expanded owner list may have been cut.</summary>
    private static async Task OwnersAsync(RestJsonClient graph, JsonArray items, string collection, CancellationToken cancellationToken)
    {
        foreach (var item in items.OfType<JsonObject>().Where(o => o["owners"] is not JsonArray { Count: < ExpandLimit }
            && o["id"]?.GetValueKind() == JsonValueKind.String))
        {
            var id = Uri.EscapeDataString(item["id"]!.GetValue<string>());
            item["owners"] = Array(await graph.PagesAsync($"v1.0/{collection}/{id}/owners?$select=id&$top=999", Next, cancellationToken)
                .ConfigureAwait(false));
        }
    }
}
