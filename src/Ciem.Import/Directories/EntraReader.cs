using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Json;

namespace Ciem.Import.Directories;

/// <summary>
/// Reads an Entra ID bundle of Microsoft Graph v1.0 responses (docs/directory.md, "Entra bundle"): `users`,
/// `groups` (with `$expand=members`), `servicePrincipals` and `applications` (with `$expand=owners`), `directoryRoles` (with `$expand=members`), each one
/// response (`{"value": […]}`), an array of pages, or a bare array. Dynamic groups (`groupTypes` contains
/// `DynamicMembership`) keep their rule and are marked as such. Applications and service principals keep their
/// `passwordCredentials` and `keyCredentials` (validity only), `tags` and `notes`; a managed identity keeps the resource
/// id among its `alternativeNames`.
/// </summary>
public static class EntraReader
{
    public const string FormatName = "openciem-entra/1";
    public const string Users = "users";
    public const string Groups = "groups";
    public const string ServicePrincipals = "servicePrincipals";
    public const string Applications = "applications";
    public const string Organization = "organization";
    public const string DirectoryRoles = "directoryRoles";

    private static readonly string[] KnownMembers = ["Format", Organization, "tenantId", Users, Groups, ServicePrincipals, Applications, DirectoryRoles];

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
            if (!IsBundle(root, Users, "an entra", KnownMembers)) { return null; }
            const DirectorySource Entra = DirectorySource.Entra;
            var tenant = root.String("tenantId") ?? Items(root, Organization, "value").Select(o => o.Item.String("id")).FirstOrDefault(s => s is not null) ?? "entra";
            var users = new List<DirectoryUser>();
            foreach (var (item, path, _) in Items(root, Users, "value"))
            {
                if (item.String("id") is not { } id) { Missing<DirectoryUser>("id", path, item); continue; }
                var upn = item.String("userPrincipalName");
                var other = item.Items("otherMails").Select(m => m.Item.ValueKind == JsonValueKind.String ? m.Item.GetString() : null).OfType<string>();
                var user = new DirectoryUser(Entra, id, upn, item.String("mail"), item.String("displayName") ?? upn ?? id, item.Bool("accountEnabled") ?? true, [.. other], []);
                if (Counted("user " + id, user, path) is { } u) { users.Add(u); }
            }
            var groups = new List<DirectoryGroup>();
            foreach (var (item, path, _) in Items(root, Groups, "value"))
            {
                if (item.String("id") is not { } id) { Missing<DirectoryGroup>("id", path, item); continue; }
                var dynamic = item.Items("groupTypes").Any(t => t.Item.ValueKind == JsonValueKind.String && t.Item.GetString() == "DynamicMembership");
                var group = new DirectoryGroup(Entra, id, item.String("displayName") ?? id, item.String("mail"), dynamic, item.String("membershipRule"), Members(item), []);
                if (Counted("group " + id, group, path) is { } g) { groups.Add(g); }
            }
            var principals = new List<DirectoryServicePrincipal>();
            foreach (var (item, path, _) in Items(root, ServicePrincipals, "value"))
            {
                if (item.String("id") is not { } id) { Missing<DirectoryServicePrincipal>("id", path, item); continue; }
                var kind = item.String("servicePrincipalType") switch
                {
                    "Application" => ServicePrincipalKind.Application,
                    "ManagedIdentity" => ServicePrincipalKind.ManagedIdentity,
                    _ => ServicePrincipalKind.Other,
                };
                var sp = new DirectoryServicePrincipal(Entra, id, item.String("appId"), item.String("displayName") ?? id, kind, item.Bool("accountEnabled") ?? true, Owners(item))
                {
                    Credentials = Credentials(item, path),
                    Tags = Strings(item, "tags"),
                    Notes = item.String("notes") ?? item.String("description"),
                    AttachedResource = kind == ServicePrincipalKind.ManagedIdentity ? Strings(item, "alternativeNames").FirstOrDefault(n => n.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)) : null,
                };
                if (Counted("service principal " + id, sp, path) is { } s) { principals.Add(s); }
            }
            var applications = new List<DirectoryApplication>();
            foreach (var (item, path, _) in Items(root, Applications, "value"))
            {
                if (item.String("id") is not { } id || item.String("appId") is not { } appId) { Missing<DirectoryApplication>(item.String("id") is null ? "id" : "appId", path, item); continue; }
                var app = new DirectoryApplication(Entra, id, appId, item.String("displayName") ?? appId, Owners(item))
                {
                    Credentials = Credentials(item, path),
                    Tags = Strings(item, "tags"),
                    Notes = item.String("notes") ?? item.String("description"),
                };
                if (Counted("application " + id, app, path) is { } a) { applications.Add(a); }
            }
            var roles = new List<DirectoryRole>();
            foreach (var (item, path, _) in Items(root, DirectoryRoles, "value"))
            {
                if (item.String("id") is not { } id) { Missing<DirectoryRole>("id", path, item); continue; }
                var role = new DirectoryRole(id, item.String("displayName") ?? id, item.String("roleTemplateId"), Members(item));
                if (Counted("directory role " + id, role, path) is { } r) { roles.Add(r); }
            }
            var known = users.Select(u => u.Id).Concat(groups.Select(g => g.Id)).Concat(principals.Select(p => p.Id)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, members, member) in groups.Select(g => (g.DisplayName, g.Members, Groups)).Concat(roles.Select(r => (r.Name, r.Members, DirectoryRoles))))
            {
                foreach (var m in members.Where(m => m.Kind != MemberKind.Other && !known.Contains(m.Id)))
                {
                    Dangling($"`{name}` has member `{m.Id}`, which is not in the export", $"$['{member}']");
                }
            }
            return DirectorySnapshot.Empty(Entra, tenant, takenAt) with
            {
                Users = [.. users],
                Groups = [.. groups],
                ServicePrincipals = [.. principals],
                Applications = [.. applications],
                DirectoryRoles = [.. roles],
            };
        }

        private static System.Collections.Immutable.ImmutableArray<DirectoryMember> Members(JsonElement item) =>
            [.. item.Items("members").Concat(item.Items("transitiveMembers"))
                .Where(m => m.Item.String("id") is not null)
                .Select(m => new DirectoryMember(KindOf(m.Item.String("@odata.type")), m.Item.String("id")!))
                .Distinct()];

        private static System.Collections.Immutable.ImmutableArray<string> Owners(JsonElement item) =>
            [.. item.Items("owners").Select(o => o.Item.String("id")).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)];

        private static System.Collections.Immutable.ImmutableArray<string> Strings(JsonElement item, string name) =>
            [.. item.Items(name).Select(t => t.Item.ValueKind == JsonValueKind.String ? t.Item.GetString() : null).OfType<string>()];

        /// <summary>`passwordCredentials` (secrets) and `keyCredentials` (certificates) with their validity; an unreadable date is warned about and left out.</summary>
        private System.Collections.Immutable.ImmutableArray<AppCredential> Credentials(JsonElement item, string path)
        {
            var result = System.Collections.Immutable.ImmutableArray.CreateBuilder<AppCredential>();
            foreach (var (member, kind) in new[] { ("passwordCredentials", CredentialKind.Secret), ("keyCredentials", CredentialKind.Certificate) })
            {
                foreach (var (c, index) in item.Items(member))
                {
                    var where = $"{path}.{member}[{index}]";
                    result.Add(new AppCredential(kind, c.String("keyId") ?? where, c.String("displayName"), Date(c, "startDateTime", where), Date(c, "endDateTime", where)));
                }
            }
            return result.ToImmutable();
        }

        private DateTimeOffset? Date(JsonElement credential, string name, string where)
        {
            if (JsonFields.TryDate(credential.String(name), out var date)) { return date; }
            Diagnostics.Warning(DiagnosticCodes.DirectoryBadCredentialDate, $"`{name}` `{credential.String(name)}` is not a date; the credential is kept without it", At(where + "." + name));
            return null;
        }

        private static MemberKind KindOf(string? odataType) => odataType switch
        {
            "#microsoft.graph.user" => MemberKind.User,
            "#microsoft.graph.group" => MemberKind.Group,
            "#microsoft.graph.servicePrincipal" => MemberKind.ServicePrincipal,
            _ => MemberKind.Other,
        };
    }
}
