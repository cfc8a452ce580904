using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Core.Gcp.Evaluation;

namespace Ciem.Demo;

/// <summary>
/// What a review change script does to one Azure principal (ReviewScripts' `apply.sh`): the custom role
/// <paramref name="RoleDefinitionJson"/> (as `az role definition create --role-definition` reads it) created or
/// updated, assigned to the principal at <paramref name="Scope"/>, and the principal's other assignments deleted, at
/// every scope; its group memberships stay.
/// </summary>
public sealed record DemoAzureChange(string PrincipalId, string Scope, string RoleDefinitionJson, DateTimeOffset AppliedAt);

/// <summary>
/// What a review change script does to one GCP member on a project (ReviewScripts' `apply.sh`): the custom role
/// <paramref name="CustomRoleJson"/> (as `gcloud iam roles create --file` reads it; null for a predefined role) created
/// or updated as <paramref name="Role"/>, the member bound to it on <paramref name="Resource"/>, and the member removed
/// from the project's other bindings; other resources' bindings and group memberships stay.
/// </summary>
public sealed record DemoGcpChange(string Member, string Role, string Resource, string? CustomRoleJson);

public static partial class DemoCloud
{
    private const string AssignmentsFile = "role-assignments.json";
    private const string DefinitionsFile = "role-definitions.json";
    private const string PoliciesFile = "iam-policies.json";
    private const string CustomRolesFile = "custom-roles.json";
    private const string ProjectPrefix = "//cloudresourcemanager.googleapis.com/";

    // `az` prints two-space indented JSON; the rewritten files keep that layout.
    private static readonly JsonSerializerOptions TwoSpaces = new()
    {
        WriteIndented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes into <paramref name="target"/> a copy of the Azure export folder <paramref name="source"/> with
    /// <paramref name="changes"/> made in order to its role definitions and role assignments.
    /// </summary>
    public static void WriteAzureWeek(string source, string target, IReadOnlyList<DemoAzureChange> changes)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(changes);
        Copy(source, target, [AssignmentsFile, DefinitionsFile]);
        var definitions = JsonNode.Parse(File.ReadAllText(Path.Combine(source, DefinitionsFile)))!.AsArray();
        var assignments = JsonNode.Parse(File.ReadAllText(Path.Combine(source, AssignmentsFile)))!.AsArray();
        foreach (var change in changes) { ApplyAzure(definitions, assignments, change); }
        File.WriteAllText(Path.Combine(target, DefinitionsFile), definitions.ToJsonString(TwoSpaces) + "\n");
        File.WriteAllText(Path.Combine(target, AssignmentsFile), assignments.ToJsonString(TwoSpaces) + "\n");
    }

    /// <summary>
    /// Writes into <paramref name="target"/> a copy of the GCP export folder <paramref name="source"/> with
    /// <paramref name="changes"/> made in order to its IAM policies (JSON Lines) and custom roles.
    /// </summary>
    public static void WriteGcpWeek(string source, string target, IReadOnlyList<DemoGcpChange> changes)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(changes);
        Copy(source, target, [PoliciesFile, CustomRolesFile]);
        var policies = File.ReadLines(Path.Combine(source, PoliciesFile)).Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var roles = JsonNode.Parse(File.ReadAllText(Path.Combine(source, CustomRolesFile)))!.AsArray();
        foreach (var change in changes) { ApplyGcp(policies, roles, change); }
        File.WriteAllLines(Path.Combine(target, PoliciesFile), policies.Select(p => p.ToJsonString(Compact)));
        File.WriteAllText(Path.Combine(target, CustomRolesFile), roles.ToJsonString(TwoSpaces) + "\n");
    }

    private static void Copy(string source, string target, string[] rewritten)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*.json"))
        {
            if (rewritten.Contains(Path.GetFileName(file), StringComparer.Ordinal)) { continue; }
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static void ApplyAzure(JsonArray definitions, JsonArray assignments, DemoAzureChange change)
    {
        var role = JsonNode.Parse(change.RoleDefinitionJson)!.AsObject();
        var roleName = (string?)role["Name"] ?? throw new InvalidOperationException("the proposed Azure role has no `Name`");
        var subscription = Subscription(change.Scope);
        var guid = StableGuid("role|" + roleName);
        var roleId = $"{subscription}/providers/Microsoft.Authorization/roleDefinitions/{guid}";
        var at = change.AppliedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
        // `az role definition update || create`: the role of that name, replaced whole.
        foreach (var same in definitions.OfType<JsonObject>().Where(d => (string?)d["roleName"] == roleName).ToList())
        {
            definitions.Remove(same);
        }
        definitions.Add(new JsonObject
        {
            ["assignableScopes"] = Clone(role["AssignableScopes"]),
            ["createdBy"] = null,
            ["createdOn"] = at,
            ["description"] = (string?)role["Description"],
            ["id"] = roleId,
            ["name"] = guid,
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = Clone(role["Actions"]),
                ["condition"] = null,
                ["conditionVersion"] = null,
                ["dataActions"] = Clone(role["DataActions"]),
                ["notActions"] = Clone(role["NotActions"]),
                ["notDataActions"] = Clone(role["NotDataActions"]),
            }),
            ["roleName"] = roleName,
            ["roleType"] = "CustomRole",
            ["type"] = "Microsoft.Authorization/roleDefinitions",
            ["updatedBy"] = null,
            ["updatedOn"] = at,
        });
        bool Mine(JsonObject a) => string.Equals((string?)a["principalId"], change.PrincipalId, StringComparison.OrdinalIgnoreCase);
        var own = assignments.OfType<JsonObject>().Where(Mine).ToList();
        var assignmentGuid = StableGuid("assignment|" + change.PrincipalId + "|" + change.Scope + "|" + roleName);
        if (!own.Any(a => (string?)a["name"] == assignmentGuid))
        {
            var template = own.FirstOrDefault();
            assignments.Add(new JsonObject
            {
                ["condition"] = null,
                ["conditionVersion"] = null,
                ["createdBy"] = null,
                ["createdOn"] = at,
                ["delegatedManagedIdentityResourceId"] = null,
                ["description"] = "",
                ["id"] = $"{change.Scope}/providers/Microsoft.Authorization/roleAssignments/{assignmentGuid}",
                ["name"] = assignmentGuid,
                ["principalId"] = change.PrincipalId,
                ["principalName"] = (string?)template?["principalName"] ?? "",
                ["principalType"] = (string?)template?["principalType"] ?? "ServicePrincipal",
                ["roleDefinitionId"] = roleId,
                ["roleDefinitionName"] = roleName,
                ["scope"] = change.Scope,
                ["type"] = "Microsoft.Authorization/roleAssignments",
                ["updatedBy"] = null,
                ["updatedOn"] = at,
            });
        }
        // The script deletes the principal's other assignments, wherever they are.
        foreach (var gone in own.Where(a => (string?)a["roleDefinitionName"] != roleName)) { assignments.Remove(gone); }
    }

    private static void ApplyGcp(List<JsonObject> policies, JsonArray roles, DemoGcpChange change)
    {
        if (change.CustomRoleJson is { } json)
        {
            var role = JsonNode.Parse(json)!.AsObject();
            foreach (var same in roles.OfType<JsonObject>().Where(r => (string?)r["name"] == change.Role).ToList()) { roles.Remove(same); }
            roles.Add(new JsonObject
            {
                ["description"] = (string?)role["description"],
                ["etag"] = "BwY" + StableGuid(change.Role)[..6] + "=",
                ["includedPermissions"] = Clone(role["includedPermissions"]),
                ["name"] = change.Role,
                ["stage"] = (string?)role["stage"] ?? "GA",
                ["title"] = (string?)role["title"],
            });
        }
        var resource = change.Resource.StartsWith("projects/", StringComparison.Ordinal)
            ? ProjectPrefix + change.Resource
            : change.Resource;
        var policy = policies.FirstOrDefault(p => (string?)p["name"] == resource)
            ?? throw new InvalidOperationException($"the demo's GCP export has no IAM policy for `{resource}`");
        var member = GcpMembers.Canonical(change.Member);
        bool Same(JsonNode? m) => m is not null && string.Equals(GcpMembers.Canonical((string?)m ?? ""), member, StringComparison.Ordinal);
        var iam = policy["iam_policy"]!.AsObject();
        var bindings = iam["bindings"] as JsonArray ?? [];
        // `remove-iam-policy-binding --all` for every other role of the member on the project, conditions included.
        foreach (var binding in bindings.OfType<JsonObject>().Where(b => (string?)b["role"] != change.Role).ToList())
        {
            var members = binding["members"] as JsonArray ?? [];
            foreach (var m in members.Where(Same).ToList()) { members.Remove(m); }
            if (members.Count == 0) { bindings.Remove(binding); }
        }
        // `add-iam-policy-binding --condition=None`: the member in the role's unconditional binding.
        var target = bindings.OfType<JsonObject>().FirstOrDefault(b => (string?)b["role"] == change.Role && b["condition"] is null);
        if (target is null)
        {
            target = new JsonObject { ["role"] = change.Role, ["members"] = new JsonArray() };
            bindings.Add(target);
        }
        var list = target["members"]!.AsArray();
        if (!list.Any(Same)) { list.Add(member); }
        iam["bindings"] = bindings;
    }

    /// <summary>`/subscriptions/ID` of an Azure scope (the scope itself when it names no subscription).</summary>
    private static string Subscription(string scope)
    {
        var parts = scope.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            ? $"/subscriptions/{parts[1]}"
            : scope;
    }

    private static JsonNode Clone(JsonNode? node) => node?.DeepClone() ?? new JsonArray();

    private static string StableGuid(string seed) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(seed))[..16]).ToString();
}
