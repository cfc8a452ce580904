using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Json;

namespace Ciem.Import.Directories;

/// <summary>
/// Reads a Google Workspace bundle of Admin SDK Directory API responses (docs/directory.md, "Google bundle"):
/// `users`, `groups`, and `members` keyed by group id. Group members may be users or groups (nested); a group's
/// email is what GCP bindings name as `group:EMAIL`.
/// </summary>
public static class GoogleReader
{
    public const string FormatName = "openciem-google-workspace/1";
    public const string Users = "users";
    public const string Groups = "groups";
    public const string Members = "members";

    private static readonly string[] KnownMembers = ["Format", "customerId", Users, Groups, Members];

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
            if (!IsBundle(root, Users, "a google workspace", KnownMembers)) { return null; }
            const DirectorySource Google = DirectorySource.Google;
            var users = new List<DirectoryUser>();
            string? customer = root.String("customerId");
            foreach (var (item, path, _) in Items(root, Users, "users"))
            {
                if (item.String("id") is not { } id) { Missing<DirectoryUser>("id", path, item); continue; }
                customer ??= item.String("customerId");
                var primary = item.String("primaryEmail");
                var others = item.Items("emails").Select(e => e.Item.String("address")).OfType<string>().Where(a => !string.Equals(a, primary, StringComparison.OrdinalIgnoreCase));
                var user = new DirectoryUser(Google, id, primary, primary, item.Property("name")?.String("fullName") ?? primary ?? id,
                    item.Bool("suspended") != true && item.Bool("archived") != true, [.. others], []);
                if (Counted("user " + id, user, path) is { } u) { users.Add(u); }
            }
            var members = new Dictionary<string, List<DirectoryMember>>(StringComparer.Ordinal);
            foreach (var (item, path, keys) in Items(root, Members, "members"))
            {
                if (keys.IsEmpty || item.String("id") is not { } memberId) { Missing<DirectoryGroup>(keys.IsEmpty ? "group id key" : "id", path, item); continue; }
                var kind = item.String("type") switch { "USER" => MemberKind.User, "GROUP" => MemberKind.Group, _ => MemberKind.Other };
                if (!members.TryGetValue(keys[0], out var list)) { members[keys[0]] = list = []; }
                list.Add(new DirectoryMember(kind, memberId));
            }
            var groups = new List<DirectoryGroup>();
            foreach (var (item, path, _) in Items(root, Groups, "groups"))
            {
                if (item.String("id") is not { } id) { Missing<DirectoryGroup>("id", path, item); continue; }
                var email = item.String("email");
                var groupMembers = (members.GetValueOrDefault(id) ?? []).Concat(email is not null ? members.GetValueOrDefault(email) ?? [] : []);
                var group = new DirectoryGroup(Google, id, item.String("name") ?? email ?? id, email, false, null, [.. groupMembers.Distinct()], []);
                if (Counted("group " + id, group, path) is { } g) { groups.Add(g); }
            }
            var known = users.Select(u => u.Id).Concat(groups.Select(g => g.Id)).ToHashSet(StringComparer.Ordinal);
            var groupKeys = groups.SelectMany(g => new[] { g.Id, g.Email }).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var key in members.Keys.Where(k => !groupKeys.Contains(k)))
            {
                Dangling($"`{Members}` lists group `{key}`, which is not in `{Groups}`", $"$['{Members}']['{key}']");
            }
            foreach (var g in groups)
            {
                foreach (var m in g.Members.Where(m => m.Kind != MemberKind.Other && !known.Contains(m.Id)))
                {
                    Dangling($"group `{g.DisplayName}` has member `{m.Id}`, which is not in the export", $"$['{Members}']");
                }
            }
            return DirectorySnapshot.Empty(Google, customer ?? "google", takenAt) with { Users = [.. users], Groups = [.. groups] };
        }
    }
}
