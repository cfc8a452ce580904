using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ciem.Demo;

/// <summary>
/// Writes the inventory exports: one `aws iam get-account-authorization-details` output per account (as the AWS CLI
/// v2 prints it: four-space indent, documents as objects, `+00:00` dates), the Organizations bundle and the
/// resource policies (formats in docs/import-formats.md).
/// </summary>
internal static class InventoryWriter
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", System.Globalization.CultureInfo.InvariantCulture);

    public static long WriteJson(string path, Action<Utf8JsonWriter> write) => DemoFiles.Json(path, write, Indented);

    public static void WriteDocument(Utf8JsonWriter json, string property, JsonNode document)
    {
        json.WritePropertyName(property);
        document.WriteTo(json);
    }

    public static void WriteDocument(Utf8JsonWriter json, string property, string document)
    {
        using var parsed = JsonDocument.Parse(document);
        json.WritePropertyName(property);
        parsed.RootElement.WriteTo(json);
    }

    public static long WriteAuthorizationDetails(string path, DemoPopulation population, DemoAccount account, IReadOnlyDictionary<string, int> awsManagedAttachments)
    {
        var principals = population.Principals.Where(p => p.Account == account).ToList();
        var groups = population.Groups.Where(g => g.Account == account).ToList();
        var customer = population.CustomerPolicies.Where(p => p.Account == account).ToList();
        var attachments = new Dictionary<string, int>(StringComparer.Ordinal);
        var boundaries = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reference in principals.SelectMany(p => p.Attached).Concat(groups.SelectMany(g => g.Attached)))
        {
            attachments[reference.Arn] = attachments.GetValueOrDefault(reference.Arn) + 1;
        }
        foreach (var boundary in principals.Select(p => p.BoundaryArn).OfType<string>())
        {
            boundaries[boundary] = boundaries.GetValueOrDefault(boundary) + 1;
        }
        var awsManaged = AllAwsManaged().Where(p => attachments.ContainsKey(p.Arn) || boundaries.ContainsKey(p.Arn)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

        return WriteJson(path, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("UserDetailList");
            foreach (var user in principals.Where(p => p.IsUser)) { WriteUser(json, user); }
            json.WriteEndArray();
            json.WriteStartArray("GroupDetailList");
            foreach (var group in groups) { WriteGroup(json, group); }
            json.WriteEndArray();
            json.WriteStartArray("RoleDetailList");
            foreach (var role in principals.Where(p => !p.IsUser)) { WriteRole(json, role); }
            json.WriteEndArray();
            json.WriteStartArray("Policies");
            foreach (var policy in customer)
            {
                var versions = policy.PreviousVersion is null ? new[] { ("v1", (JsonNode)policy.Document, true, policy.Created) } : [("v2", policy.Document, true, policy.Created.AddDays(40)), ("v1", policy.PreviousVersion, false, policy.Created)];
                WritePolicy(json, policy.Name, policy.PolicyId, policy.Arn, policy.Path, versions, attachments.GetValueOrDefault(policy.Arn), boundaries.GetValueOrDefault(policy.Arn), policy.Created);
            }
            foreach (var policy in awsManaged)
            {
                var document = JsonNode.Parse(policy.Document)!;
                WritePolicy(json, policy.Name, policy.PolicyId, policy.Arn, policy.Path, [(policy.VersionId, document, true, policy.Updated)], awsManagedAttachments.GetValueOrDefault(policy.Arn), 0, policy.Created);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>
    /// Attachments of each AWS-managed policy over the whole organisation. AWS reports them per account; the demo
    /// writes one figure in every account so that the repeats of a policy are identical records, which the reader
    /// merges silently (it compares records byte for byte).
    /// </summary>
    public static Dictionary<string, int> AwsManagedAttachments(DemoPopulation population)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reference in population.Principals.SelectMany(p => p.Attached).Concat(population.Groups.SelectMany(g => g.Attached)))
        {
            if (reference.Arn.StartsWith("arn:aws:iam::aws:", StringComparison.Ordinal)) { counts[reference.Arn] = counts.GetValueOrDefault(reference.Arn) + 1; }
        }
        return counts;
    }

    private static IEnumerable<ManagedPolicy> AllAwsManaged() =>
        typeof(AwsManagedPolicies).GetFields().Where(f => f.FieldType == typeof(ManagedPolicy)).Select(f => (ManagedPolicy)f.GetValue(null)!);

    private static void WriteUser(Utf8JsonWriter json, Principal user)
    {
        json.WriteStartObject();
        json.WriteString("Path", user.Path);
        json.WriteString("UserName", user.Name);
        json.WriteString("UserId", user.Id);
        json.WriteString("Arn", user.Arn);
        json.WriteString("CreateDate", Date(user.Created));
        if (user.Inline.Count > 0) { WriteInline(json, "UserPolicyList", user.Inline); }
        json.WriteStartArray("GroupList");
        foreach (var group in user.Groups) { json.WriteStringValue(group); }
        json.WriteEndArray();
        WriteAttached(json, user.Attached);
        WriteBoundary(json, user.BoundaryArn);
        WriteTags(json, user.Tags);
        json.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter json, DemoGroup group)
    {
        json.WriteStartObject();
        json.WriteString("Path", "/");
        json.WriteString("GroupName", group.Name);
        json.WriteString("GroupId", group.Id);
        json.WriteString("Arn", group.Arn);
        json.WriteString("CreateDate", Date(group.Created));
        WriteInline(json, "GroupPolicyList", group.Inline);
        WriteAttached(json, group.Attached);
        json.WriteEndObject();
    }

    private static void WriteRole(Utf8JsonWriter json, Principal role)
    {
        json.WriteStartObject();
        WriteRoleHeader(json, role);
        json.WriteStartArray("InstanceProfileList");
        if (role.InstanceProfile)
        {
            json.WriteStartObject();
            json.WriteString("Path", "/");
            json.WriteString("InstanceProfileName", role.Name);
            json.WriteString("InstanceProfileId", "AIPA" + role.Id[4..]);
            json.WriteString("Arn", $"arn:aws:iam::{role.Account.Id}:instance-profile/{role.Name}");
            json.WriteString("CreateDate", Date(role.Created));
            json.WriteStartArray("Roles");
            json.WriteStartObject();
            WriteRoleHeader(json, role);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteInline(json, "RolePolicyList", role.Inline);
        WriteAttached(json, role.Attached);
        WriteBoundary(json, role.BoundaryArn);
        WriteTags(json, role.Tags);
        json.WriteStartObject("RoleLastUsed");
        if (role.LastUsedTicks > 0)
        {
            json.WriteString("LastUsedDate", Date(new DateTimeOffset(role.LastUsedTicks, TimeSpan.Zero)));
            json.WriteString("Region", role.LastUsedRegion);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteRoleHeader(Utf8JsonWriter json, Principal role)
    {
        json.WriteString("Path", role.Path);
        json.WriteString("RoleName", role.Name);
        json.WriteString("RoleId", role.Id);
        json.WriteString("Arn", role.Arn);
        json.WriteString("CreateDate", Date(role.Created));
        WriteDocument(json, "AssumeRolePolicyDocument", role.Trust ?? "{}");
    }

    private static void WriteInline(Utf8JsonWriter json, string property, IEnumerable<(string Name, JsonObject Document)> policies)
    {
        json.WriteStartArray(property);
        foreach (var (name, document) in policies)
        {
            json.WriteStartObject();
            json.WriteString("PolicyName", name);
            WriteDocument(json, "PolicyDocument", document);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteAttached(Utf8JsonWriter json, IEnumerable<ManagedRef> attached)
    {
        json.WriteStartArray("AttachedManagedPolicies");
        foreach (var reference in attached)
        {
            json.WriteStartObject();
            json.WriteString("PolicyName", reference.Name);
            json.WriteString("PolicyArn", reference.Arn);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteBoundary(Utf8JsonWriter json, string? boundary)
    {
        if (boundary is null) { return; }
        json.WriteStartObject("PermissionsBoundary");
        json.WriteString("PermissionsBoundaryType", "Policy");
        json.WriteString("PermissionsBoundaryArn", boundary);
        json.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter json, IEnumerable<(string Key, string Value)> tags)
    {
        json.WriteStartArray("Tags");
        foreach (var (key, value) in tags)
        {
            json.WriteStartObject();
            json.WriteString("Key", key);
            json.WriteString("Value", value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WritePolicy(Utf8JsonWriter json, string name, string id, string arn, string path, IEnumerable<(string Version, JsonNode Document, bool Default, DateTimeOffset Created)> versions, int attachments, int boundaryUses, DateTimeOffset created)
    {
        var list = versions.ToList();
        json.WriteStartObject();
        json.WriteString("PolicyName", name);
        json.WriteString("PolicyId", id);
        json.WriteString("Arn", arn);
        json.WriteString("Path", path);
        json.WriteString("DefaultVersionId", list.First(v => v.Default).Version);
        json.WriteNumber("AttachmentCount", attachments);
        json.WriteNumber("PermissionsBoundaryUsageCount", boundaryUses);
        json.WriteBoolean("IsAttachable", true);
        json.WriteString("CreateDate", Date(created));
        json.WriteString("UpdateDate", Date(list.Max(v => v.Created)));
        json.WriteStartArray("PolicyVersionList");
        foreach (var (version, document, isDefault, versionCreated) in list)
        {
            json.WriteStartObject();
            WriteDocument(json, "Document", document);
            json.WriteString("VersionId", version);
            json.WriteBoolean("IsDefaultVersion", isDefault);
            json.WriteString("CreateDate", Date(versionCreated));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
