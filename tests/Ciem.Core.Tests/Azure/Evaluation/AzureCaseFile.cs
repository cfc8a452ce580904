using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Tests;

namespace Ciem.Core.Tests.Azure.Evaluation;

/// <summary>
/// One golden-case file (format in Cases/README.md): an estate (built-in roles by name, read in place from the shared
/// data; inline custom roles; hierarchy; groups; assignments; deny assignments) and the cases run against it.
/// </summary>
internal sealed class AzureCaseFile
{
    public static readonly string CaseRoot = TestPaths.Repo("tests", "Ciem.Core.Tests", "Azure", "Evaluation", "Cases");

    private AzureCaseFile(AzureEstate estate, ImmutableArray<JsonElement> cases)
    {
        Estate = estate;
        Cases = cases;
    }

    public AzureEstate Estate { get; }

    public ImmutableArray<JsonElement> Cases { get; }

    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(CaseRoot, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    public static AzureCaseFile Load(string file)
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(CaseRoot, file))).RootElement;
        var roles = new List<RoleDefinition>();
        foreach (var name in Array(root, "builtin"))
        {
            var path = TestPaths.Shared("azure-builtin-roles-and-operations", "azure-roles", name.GetString() + ".json");
            roles.Add(Role(JsonDocument.Parse(File.ReadAllText(path)).RootElement));
        }
        roles.AddRange(Array(root, "roles").Select(Role));
        var byName = roles.ToDictionary(r => r.RoleName, r => r.Name, StringComparer.Ordinal);
        var assignments = Array(root, "assignments").Select(a => new RoleAssignment(
            Text(a, "id")!, Text(a, "scope")!,
            "/providers/Microsoft.Authorization/roleDefinitions/" + byName.GetValueOrDefault(Text(a, "role")!, Text(a, "role")!),
            Text(a, "principal")!, Text(a, "principalType") ?? "User", null, Text(a, "role"), Text(a, "condition"), Text(a, "conditionVersion")));
        var denies = Array(root, "denyAssignments").Select(d => new DenyAssignment(
            Text(d, "id")!, Text(d, "id")!, Text(d, "scope")!, [Permission(d)],
            [.. Array(d, "principals").Select(Principal)], [.. Array(d, "exclude").Select(Principal)],
            d.TryGetProperty("doNotApplyToChildScopes", out var c) && c.GetBoolean(),
            Condition: Text(d, "condition"), ConditionVersion: Text(d, "conditionVersion")));
        var hierarchy = AzureHierarchy.Empty;
        if (root.TryGetProperty("hierarchy", out var h))
        {
            hierarchy = new AzureHierarchy(
                Array(h, "managementGroups").Select(m => new ManagementGroup(Text(m, "id")!, AzureScope.LastSegment(Text(m, "id")!), null, Text(m, "parent"))),
                Array(h, "subscriptions").Select(s => new Subscription(Text(s, "id")!, Text(s, "id")!, null, null, Text(s, "managementGroup"))));
        }
        var groups = GroupMemberships.Empty;
        if (root.TryGetProperty("groups", out var g))
        {
            groups = new GroupMemberships(g.EnumerateObject().Select(p =>
                KeyValuePair.Create(p.Name, p.Value.EnumerateArray().Select(x => x.GetString()!).ToImmutableArray())));
        }
        var estate = new AzureEstate(roles, assignments, denies, [], hierarchy, groups);
        return new AzureCaseFile(estate, [.. root.GetProperty("cases").EnumerateArray()]);
    }

    public static AzureRequest Request(JsonElement c)
    {
        Dictionary<string, ImmutableArray<string>>? attributes = null;
        if (c.TryGetProperty("attributes", out var attrs))
        {
            attributes = attrs.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToImmutableArray());
        }
        return new AzureRequest(
            Text(c, "principal")!, Text(c, "operation")!, Text(c, "scope")!,
            c.TryGetProperty("data", out var d) && d.GetBoolean() ? AzurePlane.Data : AzurePlane.Control,
            [.. Array(c, "groups").Select(x => x.GetString()!)],
            attributes, Text(c, "subOperation"));
    }

    private static RoleDefinition Role(JsonElement r) => new(
        Text(r, "id") ?? "/providers/Microsoft.Authorization/roleDefinitions/" + Text(r, "name"), Text(r, "name")!, Text(r, "roleName")!,
        Text(r, "roleType") ?? "CustomRole", null, [.. Array(r, "permissions").Select(Permission)], ["/"]);

    private static RolePermission Permission(JsonElement p) => new(
        Strings(p, "actions"), Strings(p, "notActions"), Strings(p, "dataActions"), Strings(p, "notDataActions"),
        Text(p, "condition"), Text(p, "conditionVersion"));

    private static DenyPrincipal Principal(JsonElement p) => new(Text(p, "id")!, Text(p, "type"));

    private static ImmutableArray<string> Strings(JsonElement e, string name) => [.. Array(e, name).Select(x => x.GetString()!)];

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
