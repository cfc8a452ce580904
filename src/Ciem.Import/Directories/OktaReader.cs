using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Json;

namespace Ciem.Import.Directories;

/// <summary>
/// Reads an Okta bundle of Okta Management API responses (docs/directory.md, "Okta bundle"): `users`, `groups`,
/// `group-members` (keyed by group id), `apps`, and app assignments `app-users` / `app-groups` (keyed by app id).
/// Apps named `amazon_aws` are AWS SAML apps: the `samlRoles` (or `role`) of an assignment's profile are the IAM
/// roles it grants.
/// </summary>
public static class OktaReader
{
    public const string FormatName = "openciem-okta/1";
    public const string Users = "users";
    public const string Groups = "groups";
    public const string GroupMembers = "group-members";
    public const string Apps = "apps";
    public const string AppUsers = "app-users";
    public const string AppGroups = "app-groups";
    private const string AwsAppName = "amazon_aws";

    private static readonly string[] KnownMembers = ["Format", "orgUrl", Users, Groups, GroupMembers, Apps, AppUsers, AppGroups];

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
            if (!IsBundle(root, Users, "an okta", KnownMembers)) { return null; }
            const DirectorySource Okta = DirectorySource.Okta;
            var users = new List<DirectoryUser>();
            foreach (var (item, path, _) in Items(root, Users, "value"))
            {
                if (item.String("id") is not { } id) { Missing<DirectoryUser>("id", path, item); continue; }
                var profile = item.Property("profile");
                var login = profile?.String("login");
                var display = profile?.String("displayName") ?? string.Join(' ', new[] { profile?.String("firstName"), profile?.String("lastName") }.Where(n => !string.IsNullOrEmpty(n)));
                var status = item.String("status");
                var user = new DirectoryUser(Okta, id, login, profile?.String("email"), string.IsNullOrEmpty(display) ? login ?? id : display,
                    status is null or "ACTIVE" or "PASSWORD_EXPIRED" or "LOCKED_OUT" or "RECOVERY",
                    [.. new[] { profile?.String("secondEmail") }.OfType<string>()], []);
                if (Counted("user " + id, user, path) is { } u) { users.Add(u); }
            }
            var userIds = users.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
            var members = new Dictionary<string, List<DirectoryMember>>(StringComparer.Ordinal);
            foreach (var (item, path, keys) in Items(root, GroupMembers, "value"))
            {
                if (keys.IsEmpty || item.String("id") is not { } userId) { Missing<DirectoryGroup>(keys.IsEmpty ? "group id key" : "id", path, item); continue; }
                if (!userIds.Contains(userId)) { Dangling($"group `{keys[0]}` has member `{userId}`, who is not in `{Users}`", path); }
                if (!members.TryGetValue(keys[0], out var list)) { members[keys[0]] = list = []; }
                list.Add(new DirectoryMember(MemberKind.User, userId));
            }
            var groups = new List<DirectoryGroup>();
            foreach (var (item, path, _) in Items(root, Groups, "value"))
            {
                if (item.String("id") is not { } id) { Missing<DirectoryGroup>("id", path, item); continue; }
                var profile = item.Property("profile");
                var group = new DirectoryGroup(Okta, id, profile?.String("name") ?? id, profile?.String("email"), false, null, [.. members.GetValueOrDefault(id) ?? []], []);
                if (Counted("group " + id, group, path) is { } g) { groups.Add(g); }
            }
            var apps = Items(root, Apps, "value").Where(a => a.Item.String("id") is not null)
                .ToDictionary(a => a.Item.String("id")!, a => (Name: a.Item.String("name") ?? "", Label: a.Item.String("label") ?? a.Item.String("name") ?? a.Item.String("id")!), StringComparer.Ordinal);
            var assignments = new List<AppAssignment>();
            foreach (var (member, type) in new[] { (AppUsers, AssignmentPrincipalType.User), (AppGroups, AssignmentPrincipalType.Group) })
            {
                foreach (var (item, path, keys) in Items(root, member, "value"))
                {
                    if (keys.IsEmpty || item.String("id") is not { } principal) { Missing<AppAssignment>(keys.IsEmpty ? "app id key" : "id", path, item); continue; }
                    if (!apps.TryGetValue(keys[0], out var app)) { Dangling($"assignments refer to app `{keys[0]}`, which is not in `{Apps}`", path); app = ("", keys[0]); }
                    var profile = item.Property("profile");
                    var roles = (profile?.Items("samlRoles").Select(r => r.Item.ValueKind == JsonValueKind.String ? r.Item.GetString() : null) ?? [])
                        .Append(profile?.String("role")).OfType<string>().Where(r => r.Length > 0).Distinct(StringComparer.Ordinal);
                    var assignment = new AppAssignment(keys[0], app.Label, app.Name == AwsAppName, type, principal, [.. roles]);
                    if (Counted($"assignment {keys[0]} {type} {principal}", assignment, path) is { } a) { assignments.Add(a); }
                }
            }
            var org = root.String("orgUrl") ?? "okta";
            return DirectorySnapshot.Empty(Okta, org, takenAt) with { Users = [.. users], Groups = [.. groups], AppAssignments = [.. assignments] };
        }
    }
}
