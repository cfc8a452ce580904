using System.Globalization;
using System.Text.Json;

namespace Ciem.Demo;

/// <summary>
/// Writes the demo's directories as `ciem import directory` reads them (docs/directory.md):
/// <list type="bullet">
/// <item>`directory/identity-center.json`: the `aws identitystore` / `aws sso-admin` bundle: every person (SCIM-provisioned
/// from Entra, so `ExternalIds` carries the Entra object id), one permission set per `AWSReservedSSO_*` role family of the
/// AWS estate (same managed and inline policies), assignments to groups `AWS-&lt;account&gt;-&lt;set&gt;` (five people or
/// more) or to users, and a `BreakGlass` set assigned but never provisioned;</item>
/// <item>`directory/entra.json`: the Graph bundle: every person, two admin accounts sharing a person's mail (ambiguous
/// on purpose), a guest; the Azure groups (nested) with direct members; service principals and app registrations with
/// owners; Global Administrators;</item>
/// <item>`directory/google.json`: the Admin SDK bundle: the GCP people, a suspended leaver, the GCP groups (nested).</item>
/// </list>
/// </summary>
internal static class DirectoryWriter
{
    /// <summary>People deliberately made ambiguous in Entra: an `adm-` account with the same mail.</summary>
    public static IEnumerable<DemoPerson> AmbiguousPeople(DemoPeople people) => people.All.Where(p => !people.Azure.Contains(p) && !people.Gcp.Contains(p)).Take(2);

    /// <summary>The person assigned the never-provisioned `BreakGlass` permission set (an unmatched link).</summary>
    public static DemoPerson BreakGlassPerson(DemoPeople people) => people.Federated[0];

    public static long WriteIdentityCenter(string path, DemoPopulation population, DemoPeople people, int seed)
    {
        var rng = StableRandom.For(seed, 70);
        var instance = "ssoins-" + rng.Hex(16);
        var instanceArn = "arn:aws:sso:::instance/" + instance;
        var store = "d-" + rng.Hex(10);
        var scim = "https://scim.aws.com/" + rng.Hex(8);

        // The permission sets as the roles in the accounts carry them.
        var sets = new SortedDictionary<string, Principal>(StringComparer.Ordinal);
        foreach (var role in population.Principals.Where(p => p.Archetype == Archetype.Sso)) { sets.TryAdd(DemoPeople.PermissionSetOf(role.Name), role); }
        var arns = sets.Keys.Append("BreakGlass").ToDictionary(s => s, _ => $"arn:aws:sso:::permissionSet/{instance}/ps-{rng.Hex(16)}", StringComparer.Ordinal);

        // Who is assigned what where: the people's Identity Center slots.
        var assigned = new SortedDictionary<(string Account, string Set), List<DemoPerson>>();
        foreach (var person in people.All)
        {
            foreach (var slot in person.Actor.Slots.Where(s => s.Principal.Archetype == Archetype.Sso))
            {
                var key = (slot.Principal.Account.Id, DemoPeople.PermissionSetOf(slot.Principal.Name));
                if (!assigned.TryGetValue(key, out var list)) { assigned[key] = list = []; }
                if (!list.Contains(person)) { list.Add(person); }
            }
        }
        var accounts = population.Accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var groups = assigned.Where(kv => kv.Value.Count >= 5)
            .ToDictionary(kv => kv.Key, kv => (Id: rng.Hex(10) + "-" + rng.Guid(), Name: $"AWS-{accounts[kv.Key.Account].Name}-{kv.Key.Set}"));
        var breakGlass = BreakGlassPerson(people);

        return DemoFiles.Json(path, j =>
        {
            j.WriteStartObject();
            j.WriteString("Format", "openciem-aws-identity-center/1");
            j.WriteStartObject("list-instances");
            j.WriteStartArray("Instances");
            j.WriteStartObject();
            j.WriteString("InstanceArn", instanceArn);
            j.WriteString("IdentityStoreId", store);
            j.WriteString("OwnerAccountId", population.Management.Id);
            j.WriteString("Status", "ACTIVE");
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("list-users");
            j.WriteStartArray("Users");
            foreach (var p in people.All)
            {
                j.WriteStartObject();
                j.WriteString("IdentityStoreId", store);
                j.WriteString("UserId", p.IdentityCenterId);
                j.WriteString("UserName", p.Email);
                j.WriteString("DisplayName", p.DisplayName);
                j.WriteStartObject("Name");
                j.WriteString("FamilyName", p.FamilyName);
                j.WriteString("GivenName", p.GivenName);
                j.WriteEndObject();
                j.WriteStartArray("Emails");
                j.WriteStartObject();
                j.WriteString("Value", p.Email);
                j.WriteString("Type", "work");
                j.WriteBoolean("Primary", true);
                j.WriteEndObject();
                j.WriteEndArray();
                j.WriteStartArray("ExternalIds");
                j.WriteStartObject();
                j.WriteString("Issuer", scim);
                j.WriteString("Id", p.EntraId);
                j.WriteEndObject();
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("list-groups");
            j.WriteStartArray("Groups");
            foreach (var (_, (id, name)) in groups.OrderBy(g => g.Value.Name, StringComparer.Ordinal))
            {
                j.WriteStartObject();
                j.WriteString("IdentityStoreId", store);
                j.WriteString("GroupId", id);
                j.WriteString("DisplayName", name);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("list-group-memberships");
            var membership = 0;
            foreach (var (key, (id, _)) in groups.OrderBy(g => g.Value.Name, StringComparer.Ordinal))
            {
                j.WriteStartObject(id);
                j.WriteStartArray("GroupMemberships");
                foreach (var p in assigned[key])
                {
                    j.WriteStartObject();
                    j.WriteString("IdentityStoreId", store);
                    j.WriteString("MembershipId", $"{store[2..]}-m{membership++:D6}");
                    j.WriteString("GroupId", id);
                    j.WriteStartObject("MemberId");
                    j.WriteString("UserId", p.IdentityCenterId);
                    j.WriteEndObject();
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndObject();

            j.WriteStartObject("list-permission-sets");
            j.WriteStartArray("PermissionSets");
            foreach (var arn in arns.Values) { j.WriteStringValue(arn); }
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("describe-permission-set");
            foreach (var (name, arn) in arns)
            {
                j.WriteStartObject(arn);
                j.WriteStartObject("PermissionSet");
                j.WriteString("Name", name);
                j.WriteString("PermissionSetArn", arn);
                j.WriteString("Description", name == "BreakGlass" ? "emergency administrator access (not provisioned to any account yet)" : $"{name} for Acme people");
                j.WriteString("CreatedDate", "2024-02-12T09:30:00.000000+00:00");
                j.WriteString("SessionDuration", name is "AdministratorAccess" or "BreakGlass" ? "PT1H" : "PT8H");
                j.WriteEndObject();
                j.WriteEndObject();
            }
            j.WriteEndObject();

            j.WriteStartObject("get-inline-policy-for-permission-set");
            foreach (var (name, role) in sets.Where(s => s.Value.Inline.Count > 0))
            {
                j.WriteStartObject(arns[name]);
                j.WriteString("InlinePolicy", role.Inline[0].Document.ToJsonString());
                j.WriteEndObject();
            }
            j.WriteEndObject();

            j.WriteStartObject("list-managed-policies-in-permission-set");
            foreach (var (name, arn) in arns)
            {
                IEnumerable<ManagedRef> managed = name == "BreakGlass" ? [new ManagedRef("AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess")] : sets[name].Attached;
                j.WriteStartObject(arn);
                j.WriteStartArray("AttachedManagedPolicies");
                foreach (var m in managed)
                {
                    j.WriteStartObject();
                    j.WriteString("Name", m.Name);
                    j.WriteString("Arn", m.Arn);
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndObject();

            j.WriteStartObject("list-account-assignments");
            foreach (var account in assigned.Keys.Select(k => k.Account).Append(population.Management.Id).Distinct().Order(StringComparer.Ordinal))
            {
                j.WriteStartObject(account);
                foreach (var set in assigned.Keys.Where(k => k.Account == account).Select(k => k.Set).Concat(account == population.Management.Id ? ["BreakGlass"] : []))
                {
                    j.WriteStartObject(arns[set]);
                    j.WriteStartArray("AccountAssignments");
                    void Assignment(string type, string principal)
                    {
                        j.WriteStartObject();
                        j.WriteString("AccountId", account);
                        j.WriteString("PermissionSetArn", arns[set]);
                        j.WriteString("PrincipalType", type);
                        j.WriteString("PrincipalId", principal);
                        j.WriteEndObject();
                    }
                    if (set == "BreakGlass") { Assignment("USER", breakGlass.IdentityCenterId); }
                    else if (groups.TryGetValue((account, set), out var group)) { Assignment("GROUP", group.Id); }
                    else { foreach (var p in assigned[(account, set)]) { Assignment("USER", p.IdentityCenterId); } }
                    j.WriteEndArray();
                    j.WriteEndObject();
                }
                j.WriteEndObject();
            }
            j.WriteEndObject();
            j.WriteEndObject();
        });
    }

    public static long WriteEntra(string path, DemoAzure? azure, DemoPeople people, int seed)
    {
        var rng = StableRandom.For(seed, 71);
        var tenant = azure?.TenantId ?? rng.Guid();
        var guestId = rng.Guid();
        var admins = AmbiguousPeople(people).Select(p => (Person: p, Id: rng.Guid())).ToList();
        return DemoFiles.Json(path, j =>
        {
            j.WriteStartObject();
            j.WriteString("Format", "openciem-entra/1");
            j.WriteString("tenantId", tenant);
            j.WriteStartObject("users");
            j.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName,mail,otherMails,accountEnabled)");
            j.WriteStartArray("value");
            void User(string id, string name, string upn, string? mail, bool enabled = true)
            {
                j.WriteStartObject();
                j.WriteString("id", id);
                j.WriteString("displayName", name);
                j.WriteString("userPrincipalName", upn);
                j.WriteString("mail", mail);
                j.WriteStartArray("otherMails");
                j.WriteEndArray();
                j.WriteBoolean("accountEnabled", enabled);
                j.WriteEndObject();
            }
            foreach (var p in people.All) { User(p.EntraId, p.DisplayName, p.Upn, p.Email); }
            foreach (var (p, id) in admins) { User(id, p.DisplayName + " (admin)", "adm-" + p.Upn, p.Email); }
            User(guestId, "Sam Partner (guest)", "sam_partner.example#EXT#@acme.onmicrosoft.com", "sam@partner.example");
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("groups");
            j.WriteStartArray("value");
            foreach (var g in azure?.Groups ?? [])
            {
                j.WriteStartObject();
                j.WriteString("id", g.ObjectId);
                j.WriteString("displayName", g.DisplayName);
                j.WriteString("description", g.GroupDescription);
                j.WriteNull("mail");
                j.WriteStartArray("groupTypes");
                j.WriteEndArray();
                j.WriteBoolean("securityEnabled", true);
                j.WriteStartArray("members");
                foreach (var m in g.Members)
                {
                    j.WriteStartObject();
                    j.WriteString("@odata.type", m.Type == "User" ? "#microsoft.graph.user" : m.Type == "Group" ? "#microsoft.graph.group" : "#microsoft.graph.servicePrincipal");
                    j.WriteString("id", m.ObjectId);
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();

            var servicePrincipals = azure?.ServicePrincipals.ToList() ?? [];
            var owners = azure is null ? [] : people.Azure.Where(p => !p.Inactive).ToList();
            List<string> OwnersOf(AzurePrincipal sp) =>
                sp.DisplayName == "sp-legacy-reporting" || owners.Count == 0 ? [] :
                sp.DisplayName is "sp-terraform-platform" or "sp-datadog-integration" ? [people.Federated[0].EntraId] : [owners[sp.Index % owners.Count].EntraId];
            void Owners(AzurePrincipal sp)
            {
                j.WriteStartArray("owners");
                foreach (var o in OwnersOf(sp))
                {
                    j.WriteStartObject();
                    j.WriteString("@odata.type", "#microsoft.graph.user");
                    j.WriteString("id", o);
                    j.WriteEndObject();
                }
                j.WriteEndArray();
            }
            j.WriteStartObject("servicePrincipals");
            j.WriteStartArray("value");
            foreach (var sp in servicePrincipals)
            {
                j.WriteStartObject();
                j.WriteString("id", sp.ObjectId);
                j.WriteString("appId", sp.AppId);
                j.WriteString("displayName", sp.DisplayName);
                j.WriteString("servicePrincipalType", sp.ManagedIdentity ? "ManagedIdentity" : "Application");
                j.WriteBoolean("accountEnabled", true);
                if (!sp.ManagedIdentity)
                {
                    j.WriteStartArray("owners");
                    j.WriteEndArray();
                }
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("applications");
            j.WriteStartArray("value");
            foreach (var sp in servicePrincipals.Where(s => !s.ManagedIdentity))
            {
                j.WriteStartObject();
                j.WriteString("id", sp.ApplicationObjectId);
                j.WriteString("appId", sp.AppId);
                j.WriteString("displayName", sp.DisplayName);
                Owners(sp);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("directoryRoles");
            j.WriteStartArray("value");
            j.WriteStartObject();
            j.WriteString("id", rng.Guid());
            j.WriteString("displayName", "Global Administrator");
            j.WriteString("roleTemplateId", "62e90394-69f5-4237-9190-012177145e10");
            j.WriteStartArray("members");
            foreach (var p in people.Federated.Take(1).Concat(people.Azure.Where(p => p.IsAdmin).Take(1)).Distinct())
            {
                j.WriteStartObject();
                j.WriteString("@odata.type", "#microsoft.graph.user");
                j.WriteString("id", p.EntraId);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteEndObject();
            j.WriteEndObject();
        });
    }

    public static long WriteGoogle(string path, DemoGcp gcp, DemoPeople people, int seed)
    {
        var rng = StableRandom.For(seed, 72);
        var leaverId = "1" + rng.Digits(20);
        var ids = people.Gcp.ToDictionary(p => "user:" + p.Email, p => p.GoogleId, StringComparer.OrdinalIgnoreCase);
        foreach (var g in gcp.Groups) { ids["group:" + g.Email] = g.Id; }
        return DemoFiles.Json(path, j =>
        {
            j.WriteStartObject();
            j.WriteString("Format", "openciem-google-workspace/1");
            j.WriteString("customerId", gcp.CustomerId);
            j.WriteStartObject("users");
            j.WriteString("kind", "admin#directory#users");
            j.WriteStartArray("users");
            void User(string id, string email, string given, string family, bool suspended)
            {
                j.WriteStartObject();
                j.WriteString("kind", "admin#directory#user");
                j.WriteString("id", id);
                j.WriteString("primaryEmail", email);
                j.WriteStartObject("name");
                j.WriteString("givenName", given);
                j.WriteString("familyName", family);
                j.WriteString("fullName", $"{given} {family}");
                j.WriteEndObject();
                j.WriteBoolean("isAdmin", false);
                j.WriteBoolean("suspended", suspended);
                j.WriteString("customerId", gcp.CustomerId);
                j.WriteString("orgUnitPath", "/Engineering");
                j.WriteStartArray("emails");
                j.WriteStartObject();
                j.WriteString("address", email);
                j.WriteBoolean("primary", true);
                j.WriteEndObject();
                j.WriteEndArray();
                j.WriteEndObject();
            }
            foreach (var p in people.Gcp) { User(p.GoogleId, p.Email, p.GivenName, p.FamilyName, false); }
            User(leaverId, "former.engineer@acme.example", "Former", "Engineer", true);
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("groups");
            j.WriteString("kind", "admin#directory#groups");
            j.WriteStartArray("groups");
            foreach (var g in gcp.Groups)
            {
                j.WriteStartObject();
                j.WriteString("kind", "admin#directory#group");
                j.WriteString("id", g.Id);
                j.WriteString("email", g.Email);
                j.WriteString("name", g.Name);
                j.WriteString("directMembersCount", g.Members.Count.ToString(CultureInfo.InvariantCulture));
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();

            j.WriteStartObject("members");
            foreach (var g in gcp.Groups)
            {
                j.WriteStartObject(g.Id);
                j.WriteString("kind", "admin#directory#members");
                j.WriteStartArray("members");
                foreach (var m in g.Members)
                {
                    var isGroup = m.StartsWith("group:", StringComparison.Ordinal);
                    j.WriteStartObject();
                    j.WriteString("kind", "admin#directory#member");
                    j.WriteString("id", ids[m]);
                    j.WriteString("email", m[(m.IndexOf(':', StringComparison.Ordinal) + 1)..]);
                    j.WriteString("role", "MEMBER");
                    j.WriteString("type", isGroup ? "GROUP" : "USER");
                    if (!isGroup) { j.WriteString("status", "ACTIVE"); }
                    j.WriteEndObject();
                }
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndObject();
            j.WriteEndObject();
        });
    }
}
