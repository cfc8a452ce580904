using System.Globalization;
using System.Text.Json;

namespace Ciem.Demo;

/// <summary>
/// Writes the demo tenant (<see cref="DemoAzure"/>) as `ciem import azure` reads it, and its logs as
/// `ciem import azure-activity` reads them:
/// <list type="bullet">
/// <item>`azure/`: `az account management-group show --name &lt;tenant&gt; --expand --recurse`, the ARM subscription list
/// (`GET /subscriptions`, with `tags`), `az group list` per subscription, `az role definition list` (the roles used),
/// `az role assignment list --all`, deny assignments and PIM eligibility schedule instances (ARM lists), and the Graph
/// `transitiveMemberOf` of every user and service principal in a group;</item>
/// <item>`azure-logs/activity/&lt;subscription&gt;/YYYY-MM-DD.json`: `az monitor activity-log list` for the subscription and
/// the day, newest first (collected daily: the Activity Log keeps 90 days);</item>
/// <item>`azure-logs/signins/&lt;category&gt;/YYYY-MM-DD.json`: Entra sign-in logs as a diagnostic setting exports them
/// (JSON Lines: `SignInLogs`, `ServicePrincipalSignInLogs`, `ManagedIdentitySignInLogs`), one file a day.</item>
/// </list>
/// </summary>
internal static class AzureWriter
{
    private const string ManagementApi = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
    private const string AzurePortal = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";
    private const string AzureCli = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
    private const string AzureStorage = "e406a681-f3d4-42a8-90b6-c2b029497af1";
    private const string KeyVault = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093";
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    private static readonly string[] SignInCategories = ["SignInLogs", "ServicePrincipalSignInLogs", "ManagedIdentitySignInLogs"];

    public sealed record Counts(int Files, long Bytes, long ActivityRecords, long SignIns, long Failed);

    public static long WriteInventory(string folder, DemoAzure azure)
    {
        Directory.CreateDirectory(folder);
        long bytes = 0;
        bytes += DemoFiles.Json(Path.Combine(folder, "management-groups.json"), j => WriteTree(j, azure));
        bytes += DemoFiles.Json(Path.Combine(folder, "subscriptions.json"), j => WriteSubscriptions(j, azure));
        foreach (var sub in azure.Subscriptions)
        {
            bytes += DemoFiles.Json(Path.Combine(folder, $"resource-groups-{sub.Name}.json"), j =>
            {
                j.WriteStartArray();
                foreach (var rg in azure.ResourceGroups.Where(g => g.Subscription == sub))
                {
                    j.WriteStartObject();
                    j.WriteString("id", rg.Id);
                    j.WriteString("location", rg.Location);
                    j.WriteNull("managedBy");
                    j.WriteString("name", rg.Name);
                    j.WriteStartObject("properties");
                    j.WriteString("provisioningState", "Succeeded");
                    j.WriteEndObject();
                    j.WriteStartObject("tags");
                    j.WriteString("app", rg.App);
                    j.WriteString("env", sub.Env);
                    j.WriteEndObject();
                    j.WriteString("type", "Microsoft.Resources/resourceGroups");
                    j.WriteEndObject();
                }
                j.WriteEndArray();
            });
        }
        bytes += DemoFiles.Json(Path.Combine(folder, "role-definitions.json"), j => WriteRoles(j, azure));
        bytes += DemoFiles.Json(Path.Combine(folder, "role-assignments.json"), j =>
        {
            j.WriteStartArray();
            foreach (var a in azure.Assignments) { WriteAssignment(j, azure, a); }
            j.WriteEndArray();
        });
        bytes += DemoFiles.Json(Path.Combine(folder, "deny-assignments.json"), j => WriteDeny(j, azure));
        bytes += DemoFiles.Json(Path.Combine(folder, "eligible-assignments.json"), j => WriteEligible(j, azure));
        bytes += DemoFiles.Json(Path.Combine(folder, "group-memberships.json"), j => WriteMemberships(j, azure));
        return bytes;
    }

    private static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteTree(Utf8JsonWriter j, DemoAzure azure)
    {
        void Group(string name, string display, string parentId, string? parentName, Action children)
        {
            j.WriteStartObject();
            j.WriteStartArray("children");
            children();
            j.WriteEndArray();
            j.WriteStartObject("details");
            j.WriteStartObject("parent");
            if (parentName is null) { j.WriteNull("displayName"); j.WriteNull("id"); j.WriteNull("name"); }
            else { j.WriteString("displayName", parentName); j.WriteString("id", parentId); j.WriteString("name", parentId[(parentId.LastIndexOf('/') + 1)..]); }
            j.WriteEndObject();
            j.WriteString("updatedBy", azure.Terraform.ObjectId);
            j.WriteString("updatedTime", "2024-03-11T09:12:45.5170000Z");
            j.WriteNumber("version", 4);
            j.WriteEndObject();
            j.WriteString("displayName", display);
            j.WriteString("id", DemoAzure.ManagementGroupId(name));
            j.WriteString("name", name);
            j.WriteString("tenantId", azure.TenantId);
            j.WriteString("type", "Microsoft.Management/managementGroups");
            j.WriteEndObject();
        }
        void Subscription(AzureSubscription s)
        {
            j.WriteStartObject();
            j.WriteNull("children");
            j.WriteString("displayName", s.Name);
            j.WriteString("id", "/subscriptions/" + s.Id);
            j.WriteString("name", s.Id);
            j.WriteString("type", "/subscriptions");
            j.WriteEndObject();
        }
        var root = DemoAzure.ManagementGroupId(azure.TenantId);
        var acme = DemoAzure.ManagementGroupId("acme");
        var zones = DemoAzure.ManagementGroupId("acme-landingzones");
        Group(azure.TenantId, "Tenant Root Group", "", null, () =>
            Group("acme", "Acme", root, "Tenant Root Group", () =>
            {
                Group("acme-platform", "Platform", acme, "Acme", () => Subscription(azure.Connectivity));
                Group("acme-landingzones", "Landing zones", acme, "Acme", () =>
                {
                    Group("acme-prod", "Production", zones, "Landing zones", () => Subscription(azure.Prod));
                    Group("acme-nonprod", "Non-production", zones, "Landing zones", () => { Subscription(azure.Preprod); Subscription(azure.Dev); });
                });
                Group("acme-sandbox", "Sandbox", acme, "Acme", () => { });
            }));
    }

    private static void WriteSubscriptions(Utf8JsonWriter j, DemoAzure azure)
    {
        j.WriteStartObject();
        j.WriteStartArray("value");
        foreach (var s in azure.Subscriptions)
        {
            j.WriteStartObject();
            j.WriteString("id", "/subscriptions/" + s.Id);
            j.WriteString("authorizationSource", "RoleBased");
            j.WriteStartArray("managedByTenants");
            j.WriteEndArray();
            j.WriteStartObject("tags");
            j.WriteString("env", s.Env);
            j.WriteString("costCenter", s.CostCenter);
            j.WriteEndObject();
            j.WriteString("subscriptionId", s.Id);
            j.WriteString("tenantId", azure.TenantId);
            j.WriteString("displayName", s.Name);
            j.WriteString("state", "Enabled");
            j.WriteStartObject("subscriptionPolicies");
            j.WriteString("locationPlacementId", "Public_2014-09-01");
            j.WriteString("quotaId", "EnterpriseAgreement_2014-09-01");
            j.WriteString("spendingLimit", "Off");
            j.WriteEndObject();
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteStartObject("count");
        j.WriteString("type", "Total");
        j.WriteNumber("value", azure.Subscriptions.Count);
        j.WriteEndObject();
        j.WriteEndObject();
    }

    private static void WriteRoles(Utf8JsonWriter j, DemoAzure azure)
    {
        var prod = "/subscriptions/" + azure.Prod.Id;
        j.WriteStartArray();
        foreach (var role in AzureRoles.All)
        {
            j.WriteStartObject();
            DemoFiles.Strings(j, "assignableScopes", role.Custom ? azure.Subscriptions.Select(s => "/subscriptions/" + s.Id) : ["/"]);
            j.WriteString("createdBy", role.Custom ? azure.Terraform.ObjectId : null);
            j.WriteString("createdOn", role.Custom ? "2024-05-02T10:41:09.118731+00:00" : "2015-02-02T21:55:09.880642+00:00");
            j.WriteString("description", role.Description);
            j.WriteString("id", $"{prod}/providers/Microsoft.Authorization/roleDefinitions/{role.Guid}");
            j.WriteString("name", role.Guid);
            j.WriteStartArray("permissions");
            j.WriteStartObject();
            DemoFiles.Strings(j, "actions", role.Actions);
            j.WriteNull("condition");
            j.WriteNull("conditionVersion");
            DemoFiles.Strings(j, "dataActions", role.DataActions);
            DemoFiles.Strings(j, "notActions", role.NotActions);
            DemoFiles.Strings(j, "notDataActions", role.NotDataActions);
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteString("roleName", role.Name);
            j.WriteString("roleType", role.Custom ? "CustomRole" : "BuiltInRole");
            j.WriteString("type", "Microsoft.Authorization/roleDefinitions");
            j.WriteString("updatedBy", role.Custom ? azure.Terraform.ObjectId : null);
            j.WriteString("updatedOn", role.Custom ? "2025-09-17T08:03:51.220184+00:00" : "2021-11-11T20:13:47.862868+00:00");
            j.WriteEndObject();
        }
        j.WriteEndArray();
    }

    private static string RoleId(DemoAzure azure, AzureRole role) => $"/subscriptions/{azure.Prod.Id}/providers/Microsoft.Authorization/roleDefinitions/{role.Guid}";

    private static void WriteAssignment(Utf8JsonWriter j, DemoAzure azure, AzureAssignment a)
    {
        j.WriteStartObject();
        j.WriteString("condition", a.Condition);
        j.WriteString("conditionVersion", a.Condition is null ? null : "2.0");
        j.WriteString("createdBy", a.CreatedBy);
        j.WriteString("createdOn", Date(a.Created));
        j.WriteNull("delegatedManagedIdentityResourceId");
        j.WriteString("description", "");
        j.WriteString("id", $"{a.Scope}/providers/Microsoft.Authorization/roleAssignments/{a.Guid}");
        j.WriteString("name", a.Guid);
        j.WriteString("principalId", a.Principal.ObjectId);
        if (a.Principal.DisplayName.Length == 0) { j.WriteString("principalName", ""); }
        else { j.WriteString("principalName", a.Principal.Type == "User" ? a.Principal.Upn : a.Principal.Type == "ServicePrincipal" ? a.Principal.AppId : a.Principal.DisplayName); }
        j.WriteString("principalType", a.Principal.Type);
        j.WriteString("roleDefinitionId", RoleId(azure, a.Role));
        j.WriteString("roleDefinitionName", a.Role.Name);
        j.WriteString("scope", a.Scope);
        j.WriteString("type", "Microsoft.Authorization/roleAssignments");
        j.WriteString("updatedBy", a.CreatedBy);
        j.WriteString("updatedOn", Date(a.Created));
        j.WriteEndObject();
    }

    private static void WriteDeny(Utf8JsonWriter j, DemoAzure azure)
    {
        var scope = "/subscriptions/" + azure.Prod.Id;
        var id = azure.DenyAssignmentGuid;
        j.WriteStartObject();
        j.WriteStartArray("value");
        j.WriteStartObject();
        j.WriteString("id", $"{scope}/providers/Microsoft.Authorization/denyAssignments/{id}");
        j.WriteString("name", id);
        j.WriteString("type", "Microsoft.Authorization/denyAssignments");
        j.WriteStartObject("properties");
        j.WriteString("denyAssignmentName", "Protect production from deletion");
        j.WriteString("description", "Created by the deployment stack `prod-guardrails`: only the platform's Terraform deletes production resources");
        j.WriteStartArray("permissions");
        j.WriteStartObject();
        DemoFiles.Strings(j, "actions", ["*/delete"]);
        DemoFiles.Strings(j, "notActions", []);
        DemoFiles.Strings(j, "dataActions", []);
        DemoFiles.Strings(j, "notDataActions", []);
        j.WriteEndObject();
        j.WriteEndArray();
        j.WriteString("scope", scope);
        j.WriteBoolean("doNotApplyToChildScopes", false);
        j.WriteStartArray("principals");
        j.WriteStartObject();
        j.WriteString("id", "00000000-0000-0000-0000-000000000000");
        j.WriteString("type", "SystemDefined");
        j.WriteEndObject();
        j.WriteEndArray();
        j.WriteStartArray("excludePrincipals");
        j.WriteStartObject();
        j.WriteString("id", azure.Terraform.ObjectId);
        j.WriteString("type", "ServicePrincipal");
        j.WriteEndObject();
        j.WriteEndArray();
        j.WriteBoolean("isSystemProtected", true);
        j.WriteEndObject();
        j.WriteEndObject();
        j.WriteEndArray();
        j.WriteEndObject();
    }

    private static void WriteEligible(Utf8JsonWriter j, DemoAzure azure)
    {
        j.WriteStartObject();
        j.WriteStartArray("value");
        foreach (var e in azure.Eligible)
        {
            j.WriteStartObject();
            j.WriteString("id", $"{e.Scope}/providers/Microsoft.Authorization/roleEligibilityScheduleInstances/{e.Guid}");
            j.WriteString("name", e.Guid);
            j.WriteString("type", "Microsoft.Authorization/roleEligibilityScheduleInstances");
            j.WriteStartObject("properties");
            j.WriteString("roleEligibilityScheduleId", $"{e.Scope}/providers/Microsoft.Authorization/roleEligibilitySchedules/{e.Guid}");
            j.WriteString("scope", e.Scope);
            j.WriteString("roleDefinitionId", RoleId(azure, e.Role));
            j.WriteString("principalId", e.Principal.ObjectId);
            j.WriteString("principalType", e.Principal.Type);
            j.WriteString("status", "Provisioned");
            j.WriteString("startDateTime", Time(e.Created.UtcDateTime));
            j.WriteString("endDateTime", Time(e.Created.UtcDateTime.AddYears(2)));
            j.WriteString("memberType", "Direct");
            j.WriteNull("condition");
            j.WriteNull("conditionVersion");
            j.WriteString("createdOn", Time(e.Created.UtcDateTime));
            j.WriteEndObject();
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteEndObject();
    }

    /// <summary>Every group a principal is in, nested groups followed (what `transitiveMemberOf` returns).</summary>
    public static IReadOnlyList<AzurePrincipal> TransitiveGroups(DemoAzure azure, AzurePrincipal member)
    {
        var result = new List<AzurePrincipal>();
        var queue = new Queue<AzurePrincipal>([member]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var g in azure.Groups.Where(g => g.Members.Contains(current) && !result.Contains(g)))
            {
                result.Add(g);
                queue.Enqueue(g);
            }
        }
        return result;
    }

    private static void WriteMemberships(Utf8JsonWriter j, DemoAzure azure)
    {
        j.WriteStartObject();
        // Users and service principals only: their lists already hold the groups nested groups are in.
        foreach (var member in azure.Principals.Where(p => p.Type != "Group" && azure.Groups.Any(g => g.Members.Contains(p))))
        {
            j.WriteStartObject(member.ObjectId);
            j.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
            j.WriteStartArray("value");
            foreach (var g in TransitiveGroups(azure, member))
            {
                j.WriteStartObject();
                j.WriteString("@odata.type", "#microsoft.graph.group");
                j.WriteString("id", g.ObjectId);
                j.WriteString("displayName", g.DisplayName);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        j.WriteEndObject();
    }

    private sealed record Pending(DateTime Time, AzurePrincipal Principal, AzureCall Call, bool Failed, ulong Seed);

    /// <summary>The Activity Log and sign-in files of the window (days in parallel; every record from its own seeded stream).</summary>
    public static Counts WriteLogs(string folder, DemoAzure azure, DemoOptions options)
    {
        var activity = Path.Combine(folder, "activity");
        var signins = Path.Combine(folder, "signins");
        if (Directory.Exists(folder)) { Directory.Delete(folder, recursive: true); }
        var perDay = new Dictionary<DateTime, List<Pending>>();
        foreach (var p in azure.Principals.Where(p => p.Calls.Count > 0))
        {
            var rng = StableRandom.For(options.Seed, 52, p.Index);
            foreach (var (time, call) in DemoSchedule.Calls(rng, options, p.Cadence, p.Calls.Count))
            {
                var failed = p.Person is not null && rng.Chance(0.02);
                var c = failed ? new AzureCall("Microsoft.Authorization/roleAssignments/write", p.Calls[call].ResourceId.Split("/providers/")[0] + "/providers/Microsoft.Authorization/roleAssignments/" + rng.Guid(), "PUT") : p.Calls[call];
                var day = time.Date;
                if (!perDay.TryGetValue(day, out var list)) { perDay[day] = list = []; }
                list.Add(new Pending(time, p, c, failed, rng.NextUInt64()));
            }
        }
        long records = 0, failedCount = 0, bytes = 0, signInCount = 0;
        var files = 0;
        var gate = new Lock();
        var end = options.AsOf.UtcDateTime.Date;
        Parallel.For(1, options.Days + 1, d =>
        {
            var day = end.AddDays(-d);
            long dayRecords = 0, dayBytes = 0, dayFailed = 0, daySignIns = 0;
            var dayFiles = 0;
            var pending = perDay.GetValueOrDefault(day) ?? [];
            foreach (var sub in azure.Subscriptions)
            {
                var calls = pending.Where(p => p.Call.ResourceId.StartsWith("/subscriptions/" + sub.Id + "/", StringComparison.Ordinal))
                    .OrderByDescending(p => p.Time).ThenBy(p => p.Principal.Index).ToList();
                if (calls.Count == 0) { continue; }
                var path = Path.Combine(activity, sub.Name, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json");
                dayBytes += DemoFiles.Json(path, j =>
                {
                    j.WriteStartArray();
                    foreach (var p in calls)
                    {
                        var rng = new StableRandom(p.Seed);
                        var started = p.Call.Operation == "Microsoft.Resources/deployments/write";
                        var correlation = rng.Guid();
                        WriteActivity(j, azure, sub, p, p.Failed ? "Failed" : "Succeeded", correlation, rng);
                        if (started) { WriteActivity(j, azure, sub, p with { Time = p.Time.AddSeconds(-20 - rng.Next(60)) }, "Started", correlation, rng); dayRecords++; }
                        dayRecords++;
                        if (p.Failed) { dayFailed++; }
                    }
                    j.WriteEndArray();
                });
                dayFiles++;
            }
            foreach (var category in SignInCategories)
            {
                var lines = SignIns(azure, options, day, category);
                if (lines.Count == 0) { continue; }
                var path = Path.Combine(signins, category, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json");
                dayBytes += DemoFiles.Lines(path, lines, (json, line) => WriteSignIn(json, azure, category, line.Time, line.Principal, line.Code, new StableRandom(line.Seed)));
                daySignIns += lines.Count;
                dayFiles++;
            }
            lock (gate)
            {
                records += dayRecords;
                bytes += dayBytes;
                files += dayFiles;
                failedCount += dayFailed;
                signInCount += daySignIns;
            }
        });
        return new Counts(files, bytes, records, signInCount, failedCount);
    }

    private static List<(DateTime Time, AzurePrincipal Principal, int Code, ulong Seed)> SignIns(DemoAzure azure, DemoOptions options, DateTime day, string category)
    {
        var lines = new List<(DateTime, AzurePrincipal, int, ulong)>();
        var dayIndex = (int)(options.AsOf.UtcDateTime.Date - day).TotalDays;
        foreach (var p in azure.Principals.Where(p => p.SignsIn))
        {
            var kind = p.Type == "User" ? "SignInLogs" : p.ManagedIdentity ? "ManagedIdentitySignInLogs" : "ServicePrincipalSignInLogs";
            if (kind != category) { continue; }
            var rng = StableRandom.For(options.Seed, 53, p.Index, dayIndex);
            var human = p.Type == "User";
            if (human && day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) { continue; }
            // Workloads cache their tokens (24 hours for managed identities): a sign-in every other day or so.
            var chance = human ? Math.Max(p.Cadence.DayChance, 0.1) + 0.3 : p.Cadence.DayChance * 0.5;
            if (!rng.Chance(Math.Min(1, chance))) { continue; }
            var seconds = human ? rng.Next(7 * 3600, 10 * 3600) : Math.Clamp(p.Cadence.Hour * 3600 - rng.Next(600), 0, 86_399);
            var code = human && rng.Chance(0.03) ? 50126 : 0;
            lines.Add((day.AddSeconds(seconds).AddMilliseconds(rng.Next(1000)), p, code, rng.NextUInt64()));
            if (code != 0) { lines.Add((day.AddSeconds(seconds + 40 + rng.Next(60)), p, 0, rng.NextUInt64())); }
        }
        lines.Sort((a, b) => a.Item1.CompareTo(b.Item1) is var c && c != 0 ? c : a.Item2.Index.CompareTo(b.Item2.Index));
        return lines;
    }

    private static void Pair(Utf8JsonWriter j, string name, string value, string? localized = null)
    {
        j.WriteStartObject(name);
        j.WriteString("localizedValue", localized ?? value);
        j.WriteString("value", value);
        j.WriteEndObject();
    }

    private static string Ip(AzurePrincipal p, StableRandom rng) => p.Person is not null ? $"203.0.113.{1 + (p.Index * 7 % 250)}" : p.ManagedIdentity ? $"10.20.{p.Index % 200}.{4 + rng.Next(200)}" : $"20.50.{p.Index % 250}.{rng.Next(1, 255)}";

    private static void WriteActivity(Utf8JsonWriter j, DemoAzure azure, AzureSubscription sub, Pending p, string status, string correlation, StableRandom rng)
    {
        var resource = p.Call.ResourceId;
        var eventId = rng.Guid();
        var provider = resource.Split("/providers/")[^1];
        var parts = provider.Split('/');
        var ns = parts[0];
        var type = parts.Length > 1 ? $"{ns}/{parts[1]}" : ns;
        if (resource.EndsWith("/resourceGroups/" + resource.Split('/')[^1], StringComparison.Ordinal)) { ns = "Microsoft.Resources"; type = "Microsoft.Resources/subscriptions/resourceGroups"; }
        var rgName = resource.Contains("/resourceGroups/", StringComparison.Ordinal) ? resource.Split("/resourceGroups/")[1].Split('/')[0] : "";
        var time = p.Time;
        j.WriteStartObject();
        j.WriteStartObject("authorization");
        j.WriteString("action", p.Call.Operation);
        j.WriteString("scope", resource);
        j.WriteEndObject();
        j.WriteString("caller", p.Principal.Upn ?? p.Principal.ObjectId);
        Pair(j, "category", "Administrative");
        j.WriteStartObject("claims");
        var epoch = new DateTimeOffset(time).ToUnixTimeSeconds() - 300 - rng.Next(1800);
        j.WriteString("aud", "https://management.core.windows.net/");
        j.WriteString("iss", $"https://sts.windows.net/{azure.TenantId}/");
        j.WriteString("iat", epoch.ToString(CultureInfo.InvariantCulture));
        j.WriteString("nbf", epoch.ToString(CultureInfo.InvariantCulture));
        j.WriteString("exp", (epoch + 4200).ToString(CultureInfo.InvariantCulture));
        if (p.Principal.Person is { } person)
        {
            j.WriteString("http://schemas.microsoft.com/claims/authnclassreference", "1");
            j.WriteString("http://schemas.microsoft.com/claims/authnmethodsreferences", "pwd,mfa");
            var cli = p.Principal.Index % 3 == 0;
            j.WriteString("appid", cli ? AzureCli : AzurePortal);
            j.WriteString("appidacr", cli ? "0" : "2");
            j.WriteString("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", person.FamilyName);
            j.WriteString("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", person.GivenName);
            j.WriteString("ipaddr", Ip(p.Principal, rng));
            j.WriteString("name", person.DisplayName);
            j.WriteString(ObjectIdClaim, p.Principal.ObjectId);
            j.WriteString("http://schemas.microsoft.com/identity/claims/scope", "user_impersonation");
            j.WriteString("http://schemas.microsoft.com/identity/claims/tenantid", azure.TenantId);
            j.WriteString("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", person.Upn);
            j.WriteString("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", person.Upn);
        }
        else
        {
            j.WriteString("appid", p.Principal.AppId);
            j.WriteString("appidacr", "2");
            j.WriteString("http://schemas.microsoft.com/identity/claims/identityprovider", $"https://sts.windows.net/{azure.TenantId}/");
            j.WriteString("idtyp", "app");
            j.WriteString(ObjectIdClaim, p.Principal.ObjectId);
            j.WriteString("http://schemas.microsoft.com/identity/claims/tenantid", azure.TenantId);
            if (p.Principal.ManagedIdentity)
            {
                j.WriteString("xms_mirid", $"/subscriptions/{sub.Id}/resourcegroups/{rgName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{p.Principal.DisplayName}");
            }
        }
        j.WriteString("uti", rng.Mixed(22));
        j.WriteString("ver", "1.0");
        j.WriteEndObject();
        j.WriteString("correlationId", correlation);
        j.WriteString("description", "");
        j.WriteString("eventDataId", eventId);
        Pair(j, "eventName", status == "Started" ? "BeginRequest" : "EndRequest", status == "Started" ? "Begin request" : "End request");
        j.WriteString("eventTimestamp", Time(time));
        j.WriteStartObject("httpRequest");
        j.WriteString("clientIpAddress", Ip(p.Principal, rng));
        j.WriteString("clientRequestId", rng.Guid());
        j.WriteString("method", p.Call.Method);
        j.WriteEndObject();
        j.WriteString("id", $"{resource}/events/{eventId}/ticks/{time.Ticks}");
        j.WriteString("level", p.Failed ? "Error" : "Informational");
        j.WriteString("operationId", correlation);
        Pair(j, "operationName", p.Call.Operation);
        j.WriteStartObject("properties");
        j.WriteString("entity", resource);
        j.WriteString("eventCategory", "Administrative");
        j.WriteString("hierarchy", $"{azure.TenantId}/acme/{sub.ManagementGroup}/{sub.Id}");
        j.WriteString("message", p.Call.Operation);
        if (status != "Started") { j.WriteString("statusCode", p.Failed ? "Forbidden" : p.Call.Method == "PUT" ? "Created" : "OK"); }
        j.WriteEndObject();
        j.WriteString("resourceGroupName", rgName);
        j.WriteString("resourceId", resource);
        Pair(j, "resourceProviderName", ns);
        Pair(j, "resourceType", type);
        Pair(j, "status", status);
        Pair(j, "subStatus", p.Failed && status != "Started" ? "Forbidden" : "", p.Failed && status != "Started" ? "Forbidden (HTTP Status Code: 403)" : "");
        j.WriteString("submissionTimestamp", Time(time.AddSeconds(12 + rng.Next(40))));
        j.WriteString("subscriptionId", sub.Id);
        j.WriteString("tenantId", azure.TenantId);
        j.WriteEndObject();
    }

    private static void WriteSignIn(Utf8JsonWriter j, DemoAzure azure, string category, DateTime time, AzurePrincipal p, int code, StableRandom rng)
    {
        var id = rng.Guid();
        var correlation = rng.Guid();
        var ip = Ip(p, rng);
        var human = category == "SignInLogs";
        var (resourceName, resourceApp) = p.ManagedIdentity && p.Calls.Count == 0 ? ("Azure Storage", AzureStorage)
            : p.ManagedIdentity && p.Index % 2 == 0 ? ("Azure Key Vault", KeyVault) : ("Windows Azure Service Management API", ManagementApi);
        j.WriteStartObject();
        j.WriteString("time", Time(time));
        j.WriteString("resourceId", $"/tenants/{azure.TenantId}/providers/Microsoft.aadiam");
        j.WriteString("operationName", "Sign-in activity");
        j.WriteString("operationVersion", "1.0");
        j.WriteString("category", category);
        j.WriteString("tenantId", azure.TenantId);
        j.WriteString("resultType", code.ToString(CultureInfo.InvariantCulture));
        j.WriteString("resultSignature", "None");
        j.WriteString("resultDescription", code == 0 ? "" : "Invalid username or password or Invalid on-premise username or password.");
        j.WriteNumber("durationMs", 0);
        j.WriteString("callerIpAddress", ip);
        j.WriteString("correlationId", correlation);
        j.WriteString("identity", human ? p.DisplayName : "");
        j.WriteNumber("Level", 4);
        j.WriteString("location", human ? "DE" : "NL");
        j.WriteStartObject("properties");
        j.WriteString("id", id);
        j.WriteString("createdDateTime", Time(time));
        if (human)
        {
            var portal = p.Index % 3 != 0;
            j.WriteString("userDisplayName", p.DisplayName);
            j.WriteString("userPrincipalName", p.Upn);
            j.WriteString("userId", p.ObjectId);
            j.WriteString("appId", portal ? AzurePortal : AzureCli);
            j.WriteString("appDisplayName", portal ? "Azure Portal" : "Microsoft Azure CLI");
            j.WriteString("clientAppUsed", portal ? "Browser" : "Mobile Apps and Desktop clients");
            j.WriteBoolean("isInteractive", true);
            j.WriteString("authenticationRequirement", "multiFactorAuthentication");
            j.WriteString("conditionalAccessStatus", code == 0 ? "success" : "notApplied");
            j.WriteString("userType", "Member");
        }
        else
        {
            j.WriteString("appId", p.AppId);
            j.WriteString("appDisplayName", p.DisplayName);
            j.WriteString("servicePrincipalId", p.ObjectId);
            j.WriteString("servicePrincipalName", p.DisplayName);
            j.WriteBoolean("isInteractive", false);
            j.WriteString("conditionalAccessStatus", "notApplied");
            if (!p.ManagedIdentity) { j.WriteString("servicePrincipalCredentialKeyId", rng.Guid()); }
        }
        j.WriteString("ipAddress", ip);
        j.WriteString("correlationId", correlation);
        j.WriteString("resourceDisplayName", resourceName);
        j.WriteString("resourceId", resourceApp);
        j.WriteString("riskLevelDuringSignIn", "none");
        j.WriteString("riskState", "none");
        j.WriteStartObject("status");
        j.WriteNumber("errorCode", code);
        if (code != 0) { j.WriteString("failureReason", "Invalid username or password or Invalid on-premise username or password."); }
        j.WriteEndObject();
        j.WriteString("tokenIssuerType", "AzureAD");
        j.WriteEndObject();
        j.WriteEndObject();
    }
}
