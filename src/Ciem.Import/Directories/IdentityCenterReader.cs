using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Json;

namespace Ciem.Import.Directories;

/// <summary>
/// Reads an IAM Identity Center bundle: one JSON object gathering the unmodified `--output json` of the
/// `aws identitystore` and `aws sso-admin` calls (docs/directory.md, "Identity Center bundle"). Members other than
/// `list-users` are optional; keyed members (per group, per permission set, per account) may be nested objects or
/// arrays of pages.
/// </summary>
public static class IdentityCenterReader
{
    public const string FormatName = "openciem-aws-identity-center/1";
    public const string ListInstances = "list-instances";
    public const string ListUsers = "list-users";
    public const string ListGroups = "list-groups";
    public const string ListGroupMemberships = "list-group-memberships";
    public const string ListPermissionSets = "list-permission-sets";
    public const string DescribePermissionSet = "describe-permission-set";
    public const string GetInlinePolicy = "get-inline-policy-for-permission-set";
    public const string ListManagedPolicies = "list-managed-policies-in-permission-set";
    public const string ListCustomerManagedPolicies = "list-customer-managed-policy-references-in-permission-set";
    public const string GetPermissionsBoundary = "get-permissions-boundary-for-permission-set";
    public const string ListAccountAssignments = "list-account-assignments";

    private static readonly string[] KnownMembers =
    [
        "Format", ListInstances, ListUsers, ListGroups, ListGroupMemberships, ListPermissionSets, DescribePermissionSet,
        GetInlinePolicy, ListManagedPolicies, ListCustomerManagedPolicies, GetPermissionsBoundary, ListAccountAssignments,
    ];

    public static ImportResult<DirectorySnapshot?> ReadFile(string path, DateTimeOffset takenAt) =>
        DirectoryBundleRun.RunFile(path, takenAt, name => new Reader(name));

    public static ImportResult<DirectorySnapshot?> Read(Stream stream, string name, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new Reader(name).Run(stream, takenAt);
    }

    private sealed class Reader(string file) : DirectoryBundleRun(file)
    {
        protected override DirectorySnapshot? Read(JsonElement root, DateTimeOffset takenAt)
        {
            if (!IsBundle(root, ListUsers, "an identity center", KnownMembers)) { return null; }
            const DirectorySource Ic = DirectorySource.IdentityCenter;
            string? storeId = Items(root, ListInstances, "Instances").Select(i => i.Item.String("IdentityStoreId")).FirstOrDefault(s => s is not null);
            var users = new List<DirectoryUser>();
            foreach (var (item, path, _) in Items(root, ListUsers, "Users"))
            {
                storeId ??= item.String("IdentityStoreId");
                if (item.String("UserId") is not { } id) { Missing<DirectoryUser>("UserId", path, item); continue; }
                var emails = item.Items("Emails").Select(e => (Value: e.Item.String("Value"), Primary: e.Item.Bool("Primary") == true)).Where(e => e.Value is not null).ToList();
                var primary = emails.FirstOrDefault(e => e.Primary).Value ?? emails.FirstOrDefault().Value;
                var external = item.Items("ExternalIds").Select(e => (Issuer: e.Item.String("Issuer"), Id: e.Item.String("Id"))).Where(e => e.Id is not null).Select(e => new ExternalId(e.Issuer ?? "", e.Id!));
                var user = new DirectoryUser(Ic, id, item.String("UserName"), primary, item.String("DisplayName") ?? item.String("UserName") ?? id,
                    !string.Equals(item.String("UserStatus"), "DISABLED", StringComparison.OrdinalIgnoreCase),
                    [.. emails.Select(e => e.Value!).Where(e => e != primary)], [.. external]);
                if (Counted("user " + id, user, path) is { } u) { users.Add(u); }
            }

            var members = new Dictionary<string, List<DirectoryMember>>(StringComparer.Ordinal);
            var userIds = users.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (item, path, keys) in Items(root, ListGroupMemberships, "GroupMemberships"))
            {
                var groupId = item.String("GroupId") ?? keys.FirstOrDefault();
                var userId = item.Property("MemberId")?.String("UserId");
                if (groupId is null || userId is null) { Missing<DirectoryGroup>(groupId is null ? "GroupId" : "MemberId.UserId", path, item); continue; }
                if (!userIds.Contains(userId)) { Dangling($"group `{groupId}` has member `{userId}`, who is not in `{ListUsers}`", path); }
                if (!members.TryGetValue(groupId, out var list)) { members[groupId] = list = []; }
                list.Add(new DirectoryMember(MemberKind.User, userId));
            }
            var groups = new List<DirectoryGroup>();
            foreach (var (item, path, _) in Items(root, ListGroups, "Groups"))
            {
                if (item.String("GroupId") is not { } id) { Missing<DirectoryGroup>("GroupId", path, item); continue; }
                var external = item.Items("ExternalIds").Where(e => e.Item.String("Id") is not null).Select(e => new ExternalId(e.Item.String("Issuer") ?? "", e.Item.String("Id")!));
                var group = new DirectoryGroup(Ic, id, item.String("DisplayName") ?? id, null, false, null, [.. members.GetValueOrDefault(id) ?? []], [.. external]);
                if (Counted("group " + id, group, path) is { } g) { groups.Add(g); }
            }
            foreach (var missing in members.Keys.Where(k => !groups.Exists(g => g.Id == k)))
            {
                Dangling($"`{ListGroupMemberships}` lists group `{missing}`, which is not in `{ListGroups}`; its memberships are kept under its id", $"$['{ListGroupMemberships}']");
                groups.Add(new DirectoryGroup(Ic, missing, missing, null, false, null, [.. members[missing]], []));
            }

            var sets = PermissionSets(root);
            var assignments = new List<AccountAssignment>();
            foreach (var (item, path, keys) in Items(root, ListAccountAssignments, "AccountAssignments"))
            {
                var account = item.String("AccountId") ?? keys.FirstOrDefault();
                var set = item.String("PermissionSetArn");
                var principal = item.String("PrincipalId");
                var type = item.String("PrincipalType");
                if (account is null || set is null || principal is null || type is null)
                {
                    Missing<AccountAssignment>(account is null ? "AccountId" : set is null ? "PermissionSetArn" : principal is null ? "PrincipalId" : "PrincipalType", path, item);
                    continue;
                }
                var kind = string.Equals(type, "GROUP", StringComparison.OrdinalIgnoreCase) ? AssignmentPrincipalType.Group : AssignmentPrincipalType.User;
                if (!sets.Exists(s => s.Arn == set)) { Dangling($"assignment in account `{account}` refers to permission set `{set}`, which is not in `{DescribePermissionSet}`", path); }
                if (kind == AssignmentPrincipalType.User ? !userIds.Contains(principal) : !groups.Exists(g => g.Id == principal))
                {
                    Dangling($"assignment in account `{account}` is for {type.ToLowerInvariant()} `{principal}`, which is not in the export", path);
                }
                var assignment = new AccountAssignment(account, set, kind, principal);
                if (Counted($"assignment {account} {set} {type} {principal}", assignment, path) is { } a) { assignments.Add(a); }
            }
            return DirectorySnapshot.Empty(Ic, storeId ?? "identity-center", takenAt) with
            {
                Users = [.. users],
                Groups = [.. groups],
                PermissionSets = [.. sets],
                AccountAssignments = [.. assignments],
            };
        }

        private List<PermissionSet> PermissionSets(JsonElement root)
        {
            var listed = Items(root, ListPermissionSets, "PermissionSets").Where(i => i.Item.ValueKind == JsonValueKind.String).ToDictionary(i => i.Item.GetString()!, i => i.Path, StringComparer.Ordinal);
            var result = new List<PermissionSet>();
            if (root.Property(DescribePermissionSet) is not { ValueKind: JsonValueKind.Object or JsonValueKind.Array } described)
            {
                foreach (var (arn, path) in listed) { Dangling($"permission set `{arn}` is listed but has no `{DescribePermissionSet}` entry, so its name and policies are unknown", path); }
                return result;
            }
            var details = new List<(JsonElement Item, string Path)>();
            if (described.ValueKind == JsonValueKind.Array)
            {
                details.AddRange(described.EnumerateArray().Select((e, i) => (e, $"$['{DescribePermissionSet}'][{i}]")));
            }
            else
            {
                details.AddRange(described.EnumerateObject().Select(p => (p.Value, $"$['{DescribePermissionSet}']['{p.Name}']")));
            }
            foreach (var (value, path) in details)
            {
                var ps = value.Property("PermissionSet") ?? value;
                var arn = ps.String("PermissionSetArn");
                var name = ps.String("Name");
                if (arn is null || name is null) { Missing<PermissionSet>(arn is null ? "PermissionSet.PermissionSetArn" : "PermissionSet.Name", path, value); continue; }
                string? inline = null;
                if (Keyed(root, GetInlinePolicy, arn) is { } inlineOutput && inlineOutput.String("InlinePolicy") is { Length: > 0 } text)
                {
                    if (PolicyText.TryGet(text, out var document, out var error)) { inline = document; }
                    else
                    {
                        Quarantine<PermissionSet>(DiagnosticCodes.DirectoryBadPolicy, $"inline policy of permission set `{name}`: {error}", $"$['{GetInlinePolicy}']['{arn}']", inlineOutput);
                        continue;
                    }
                }
                var managed = Keyed(root, ListManagedPolicies, arn)?.Items("AttachedManagedPolicies").Select(m => m.Item.String("Arn")).OfType<string>() ?? [];
                var customer = Keyed(root, ListCustomerManagedPolicies, arn)?.Items("CustomerManagedPolicyReferences")
                    .Where(m => m.Item.String("Name") is not null).Select(m => new CustomerManagedPolicyReference(m.Item.String("Name")!, m.Item.String("Path") ?? "/")) ?? [];
                var boundary = Keyed(root, GetPermissionsBoundary, arn)?.Property("PermissionsBoundary");
                var boundaryRef = boundary?.Property("CustomerManagedPolicyReference") is { } r && r.String("Name") is { } rn ? new CustomerManagedPolicyReference(rn, r.String("Path") ?? "/") : null;
                var set = new PermissionSet(arn, name, ps.String("Description"), ps.String("SessionDuration"), inline, [.. managed], [.. customer], boundary?.String("ManagedPolicyArn"), boundaryRef);
                if (Counted("permission set " + arn, set, path) is { } s) { result.Add(s); }
                listed.Remove(arn);
            }
            foreach (var (arn, path) in listed) { Dangling($"permission set `{arn}` is listed but has no `{DescribePermissionSet}` entry, so its name and policies are unknown", path); }
            return result;
        }

        private static JsonElement? Keyed(JsonElement root, string member, string key) =>
            root.Property(member) is { ValueKind: JsonValueKind.Object } map && map.TryGetProperty(key, out var value) ? value : null;
    }
}
