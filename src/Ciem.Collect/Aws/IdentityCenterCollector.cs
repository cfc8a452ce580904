using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Collect.Okta;
using Ciem.Core.Diagnostics;
using Ciem.Import.Directories;

namespace Ciem.Collect.Aws;

/// <summary>
/// `ciem collect identity-center`: reads the IAM Identity Center instance, its identity store's users, groups and
/// memberships, its permission sets (description, inline policy, AWS-managed and customer-managed policies,
/// permissions boundary) and their account assignments from SSO Admin and Identity Store — JSON-protocol calls signed
/// with the SDK's SigV4 signer, every page through `NextToken` — into the bundle <see cref="IdentityCenterReader"/>
/// reads from a file, and writes it as one directory snapshot. All or nothing, as for the other directories.
/// </summary>
public static class IdentityCenterCollector
{
    private const string SsoAdmin = "SWBExternalService";
    private const string IdentityStore = "AWSIdentityStore";

    public static async Task<DirectoryCollectResult> CollectAsync(CiemSession? session, AwsCollectOptions options, DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var connection = AwsConnection.Open(options);
        var region = options.Regions.Count > 0 ? options.Regions[0] : connection.Region;
        var calls = new Calls(connection.Caller, region);
        var watch = Stopwatch.StartNew();

        progress?.Report(new CollectProgress("finding the identity center instance", 0, 0));
        var instances = await calls.PagesAsync(AwsService.SsoAdmin, SsoAdmin, "ListInstances", new JsonObject(),
            cancellationToken).ConfigureAwait(false);
        var instance = instances.SelectMany(p => JsonAnswer.Items(p, "Instances")).FirstOrDefault();
        if (JsonAnswer.Str(instance, "InstanceArn") is not { } instanceArn
            || JsonAnswer.Str(instance, "IdentityStoreId") is not { } storeId)
        {
            throw new CollectException(DiagnosticCodes.CollectCallFailed,
                $"`sso:ListInstances` in `{region}` lists no identity center instance: name the instance's region with `--region`");
        }
        if (options.DryRun)
        {
            return new DirectoryCollectResult(instanceArn, null, [], default, [], calls.Count, watch.Elapsed,
            [
                $"identitystore (`{storeId}`, {region}): ListUsers, ListGroups, ListGroupMemberships for each group",
                $"sso-admin (`{instanceArn}`): ListPermissionSets; for each: DescribePermissionSet, GetInlinePolicyForPermissionSet, " +
                    "ListManagedPoliciesInPermissionSet, ListCustomerManagedPolicyReferencesInPermissionSet, " +
                    "GetPermissionsBoundaryForPermissionSet, " +
                    "ListAccountsForProvisionedPermissionSet, and ListAccountAssignments for each account",
            ]);
        }
        ArgumentNullException.ThrowIfNull(session);
        var bundle = new JsonObject { ["Format"] = IdentityCenterReader.FormatName, ["list-instances"] = Merged(instances, "Instances") };

        progress?.Report(new CollectProgress("reading identity store users", 0, 0));
        var store = new JsonObject { ["IdentityStoreId"] = storeId };
        bundle["list-users"] = Merged(await calls.PagesAsync(AwsService.IdentityStore, IdentityStore, "ListUsers", store,
            cancellationToken).ConfigureAwait(false), "Users");
        var groups = await calls.PagesAsync(AwsService.IdentityStore, IdentityStore, "ListGroups", store,
            cancellationToken).ConfigureAwait(false);
        bundle["list-groups"] = Merged(groups, "Groups");
        var memberships = new JsonObject();
        var groupIds = groups.SelectMany(p => JsonAnswer.Items(p, "Groups")).Select(g => JsonAnswer.Str(g, "GroupId")).OfType<string>()
            .Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < groupIds.Count; i++)
        {
            progress?.Report(new CollectProgress("reading group memberships", i, groupIds.Count));
            memberships[groupIds[i]] = Merged(await calls.PagesAsync(AwsService.IdentityStore, IdentityStore, "ListGroupMemberships",
                new JsonObject { ["IdentityStoreId"] = storeId, ["GroupId"] = groupIds[i] }, cancellationToken).ConfigureAwait(false),
                "GroupMemberships");
        }
        bundle["list-group-memberships"] = memberships;

        var sets = await calls.PagesAsync(AwsService.SsoAdmin, SsoAdmin, "ListPermissionSets",
            new JsonObject { ["InstanceArn"] = instanceArn }, cancellationToken).ConfigureAwait(false);
        bundle["list-permission-sets"] = Merged(sets, "PermissionSets");
        var arns = sets.SelectMany(p => JsonAnswer.Items(p, "PermissionSets")).Where(a => a.ValueKind == JsonValueKind.String)
            .Select(a => a.GetString()!).Distinct(StringComparer.Ordinal).ToList();
        var described = new JsonObject();
        var inline = new JsonObject();
        var managed = new JsonObject();
        var customer = new JsonObject();
        var boundaries = new JsonObject();
        var assignments = new JsonObject();
        for (var i = 0; i < arns.Count; i++)
        {
            progress?.Report(new CollectProgress("reading permission sets", i, arns.Count));
            var arn = arns[i];
            JsonObject Request() => new() { ["InstanceArn"] = instanceArn, ["PermissionSetArn"] = arn };
            described[arn] = Node(await calls.OneAsync(AwsService.SsoAdmin, SsoAdmin, "DescribePermissionSet", Request(),
                cancellationToken).ConfigureAwait(false));
            inline[arn] = Node(await calls.OneAsync(AwsService.SsoAdmin, SsoAdmin, "GetInlinePolicyForPermissionSet", Request(),
                cancellationToken).ConfigureAwait(false));
            managed[arn] = Merged(await calls.PagesAsync(AwsService.SsoAdmin, SsoAdmin, "ListManagedPoliciesInPermissionSet", Request(),
                cancellationToken).ConfigureAwait(false), "AttachedManagedPolicies");
            customer[arn] = Merged(await calls.PagesAsync(AwsService.SsoAdmin, SsoAdmin,
                "ListCustomerManagedPolicyReferencesInPermissionSet", Request(), cancellationToken).ConfigureAwait(false),
                "CustomerManagedPolicyReferences");
            try
            {
                boundaries[arn] = Node(await calls.OneAsync(AwsService.SsoAdmin, SsoAdmin, "GetPermissionsBoundaryForPermissionSet",
                    Request(), cancellationToken).ConfigureAwait(false));
            }
            catch (CollectException ex) when (ex.ServiceCode == "ResourceNotFoundException")
            {
                // No boundary: the CLI prints nothing for it either.
            }
            var accounts = await calls.PagesAsync(AwsService.SsoAdmin, SsoAdmin, "ListAccountsForProvisionedPermissionSet", Request(),
                cancellationToken).ConfigureAwait(false);
            foreach (var account in accounts.SelectMany(p => JsonAnswer.Items(p, "AccountIds"))
                .Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!))
            {
                var request = Request();
                request["AccountId"] = account;
                if (assignments[account] is not JsonObject byAccount) { assignments[account] = byAccount = new JsonObject(); }
                byAccount[arn] = Merged(await calls.PagesAsync(AwsService.SsoAdmin, SsoAdmin, "ListAccountAssignments", request,
                    cancellationToken).ConfigureAwait(false), "AccountAssignments");
            }
        }
        bundle["describe-permission-set"] = described;
        bundle["get-inline-policy-for-permission-set"] = inline;
        bundle["list-managed-policies-in-permission-set"] = managed;
        bundle["list-customer-managed-policy-references-in-permission-set"] = customer;
        bundle["get-permissions-boundary-for-permission-set"] = boundaries;
        bundle["list-account-assignments"] = assignments;

        var source = $"aws-api://sso/{region}/{instanceArn}";
        return DirectoryCollectResult.Write(session, bundle, IdentityCenterReader.Read, source, "identity center", now, progress,
            calls.Count, watch.Elapsed);
    }

    private static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText());

    /// <summary>A list's pages as one answer, the way the `aws` CLI prints a paginated call (`{"Users": [all]}`).</summary>
    private static JsonObject Merged(List<JsonElement> pages, string member) =>
        new() { [member] = new JsonArray([.. pages.SelectMany(p => JsonAnswer.Items(p, member)).Select(Node)]) };

    /// <summary>JSON-protocol calls in the instance's region, counted; lists followed through `NextToken`.</summary>
    private sealed class Calls(AwsCaller caller, string region)
    {
        private int _count;

        public int Count => _count;

        public Task<JsonElement> OneAsync(AwsService service, string prefix, string action, JsonObject request,
            CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return caller.JsonAsync(service, prefix, action, request, cancellationToken, region);
        }

        public async Task<List<JsonElement>> PagesAsync(AwsService service, string prefix, string action, JsonObject request,
            CancellationToken cancellationToken)
        {
            var pages = new List<JsonElement>();
            while (true)
            {
                var page = await OneAsync(service, prefix, action, request, cancellationToken).ConfigureAwait(false);
                pages.Add(page);
                if (JsonAnswer.Str(page, "NextToken") is not { Length: > 0 } token) { return pages; }
                request = (JsonObject)request.DeepClone();
                request["NextToken"] = token;
            }
        }
    }
}
