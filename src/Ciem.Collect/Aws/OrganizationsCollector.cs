using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Import.Aws;

namespace Ciem.Collect.Aws;

/// <summary>
/// Reads the organization from the management (or delegated administrator) account into the Organizations bundle
/// that <see cref="OrganizationsReader"/> reads from files: every page of each call's JSON answer kept as it came,
/// under the CLI command's name (and the parent, filter or policy it was made for). All or nothing: a bundle missing a
/// call would read as an organization without those policies, so any failure is thrown.
/// </summary>
internal sealed class OrganizationsCollector(AwsCaller caller)
{
    private const string Target = "AWSOrganizationsV20161128";

    /// <summary>The account is not in an organization (or the call said so): null.</summary>
    public static bool NotInOrganization(CollectException ex) => ex?.ServiceCode is "AWSOrganizationsNotInUseException";

    public async Task<OrganizationBundle> ReadAsync(CancellationToken cancellationToken)
    {
        var bundle = new JsonObject { ["Format"] = "openciem-aws-organizations/1" };
        bundle[OrganizationsReader.DescribeOrganization] = Node(await CallAsync("DescribeOrganization", new JsonObject(), cancellationToken)
            .ConfigureAwait(false));
        var roots = await PagesAsync("ListRoots", new JsonObject(), cancellationToken).ConfigureAwait(false);
        bundle[OrganizationsReader.ListRoots] = Array(roots);
        var units = new JsonObject();
        var accounts = new JsonObject();
        var parents = new Queue<string>(roots.SelectMany(p => Items(p, "Roots")).Select(r => Str(r, "Id")).OfType<string>());
        var resources = new List<string>(parents);
        var accountIds = new List<(string Id, string? Name, string? Status)>();
        while (parents.TryDequeue(out var parent))
        {
            var ous = await PagesAsync("ListOrganizationalUnitsForParent", new JsonObject { ["ParentId"] = parent }, cancellationToken)
                .ConfigureAwait(false);
            units[parent] = Array(ous);
            foreach (var id in ous.SelectMany(p => Items(p, "OrganizationalUnits")).Select(u => Str(u, "Id")).OfType<string>())
            {
                parents.Enqueue(id);
                resources.Add(id);
            }
            var members = await PagesAsync("ListAccountsForParent", new JsonObject { ["ParentId"] = parent }, cancellationToken)
                .ConfigureAwait(false);
            accounts[parent] = Array(members);
            foreach (var account in members.SelectMany(p => Items(p, "Accounts")))
            {
                if (Str(account, "Id") is { } id)
                {
                    accountIds.Add((id, Str(account, "Name"), Str(account, "State") ?? Str(account, "Status")));
                    resources.Add(id);
                }
            }
        }
        bundle[OrganizationsReader.ListOrganizationalUnitsForParent] = units;
        bundle[OrganizationsReader.ListAccountsForParent] = accounts;

        var policies = new JsonObject();
        var described = new JsonObject();
        var targets = new JsonObject();
        foreach (var filter in (string[])["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"])
        {
            var pages = await PagesAsync("ListPolicies", new JsonObject { ["Filter"] = filter }, cancellationToken).ConfigureAwait(false);
            policies[filter] = Array(pages);
            foreach (var id in pages.SelectMany(p => Items(p, "Policies")).Select(p => Str(p, "Id")).OfType<string>())
            {
                described[id] = Node(await CallAsync("DescribePolicy", new JsonObject { ["PolicyId"] = id }, cancellationToken)
                    .ConfigureAwait(false));
                targets[id] = Array(await PagesAsync("ListTargetsForPolicy", new JsonObject { ["PolicyId"] = id }, cancellationToken)
                    .ConfigureAwait(false));
            }
        }
        bundle[OrganizationsReader.ListPolicies] = policies;
        bundle[OrganizationsReader.DescribePolicy] = described;
        bundle[OrganizationsReader.ListTargetsForPolicy] = targets;
        var tags = new JsonObject();
        foreach (var resource in resources)
        {
            tags[resource] = Array(await PagesAsync("ListTagsForResource", new JsonObject { ["ResourceId"] = resource }, cancellationToken)
                .ConfigureAwait(false));
        }
        bundle[OrganizationsReader.ListTagsForResource] = tags;
        return new OrganizationBundle(JsonSerializer.SerializeToUtf8Bytes(bundle), accountIds);
    }

    private Task<JsonElement> CallAsync(string action, JsonObject request, CancellationToken cancellationToken) =>
        caller.JsonAsync(AwsService.Organizations, Target, action, request, cancellationToken);

    /// <summary>Every page of a paginated call (`NextToken`).</summary>
    private async Task<List<JsonElement>> PagesAsync(string action, JsonObject request, CancellationToken cancellationToken)
    {
        var pages = new List<JsonElement>();
        while (true)
        {
            var page = await CallAsync(action, request, cancellationToken).ConfigureAwait(false);
            pages.Add(page);
            if (Str(page, "NextToken") is not { Length: > 0 } token) { return pages; }
            request = (JsonObject)request.DeepClone();
            request["NextToken"] = token;
        }
    }

    private static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText());

    private static JsonArray Array(List<JsonElement> pages) => new([.. pages.Select(Node)]);

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) => JsonAnswer.Items(element, name);

    private static string? Str(JsonElement element, string name) => JsonAnswer.Str(element, name);
}

/// <summary>The bundle's bytes and the accounts it places under a parent (id, name, state).</summary>
internal sealed record OrganizationBundle(byte[] Json, IReadOnlyList<(string Id, string? Name, string? Status)> Accounts);
