using System.Text.Json;
using System.Xml.Linq;

namespace Ciem.Collect.Aws;

/// <summary>
/// Turns a Query-protocol answer (XML) into the JSON the AWS CLI prints for the same call, so that the file readers
/// read a collected answer exactly as they read an export: lists of `member` elements become arrays, the shape's
/// booleans and integers become JSON values, and URL-encoded policy documents are decoded and parsed into objects
/// (as botocore does for IAM); a document that is not JSON stays a string for the reader to report.
/// </summary>
internal static class QueryXml
{
    private static readonly HashSet<string> Lists = new(StringComparer.Ordinal)
    {
        "UserDetailList", "GroupDetailList", "RoleDetailList", "Policies", "UserPolicyList", "GroupPolicyList", "RolePolicyList",
        "GroupList", "AttachedManagedPolicies", "Tags", "InstanceProfileList", "PolicyVersionList", "Roles",
    };

    private static readonly HashSet<string> Structs = new(StringComparer.Ordinal) { "RoleLastUsed", "PermissionsBoundary" };

    private static readonly HashSet<string> Booleans = new(StringComparer.Ordinal) { "IsTruncated", "IsDefaultVersion", "IsAttachable" };

    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal)
        { "AttachmentCount", "PermissionsBoundaryUsageCount", "MaxSessionDuration" };

    private static readonly HashSet<string> Documents = new(StringComparer.Ordinal)
        { "PolicyDocument", "AssumeRolePolicyDocument", "Document" };

    /// <summary>The result element's children as one JSON object (the CLI's output of the call).</summary>
    public static byte[] ToJson(XElement result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteObject(writer, result);
        }
        return buffer.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter writer, XElement element)
    {
        writer.WriteStartObject();
        foreach (var child in element.Elements())
        {
            writer.WritePropertyName(child.Name.LocalName);
            WriteValue(writer, child);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, XElement element)
    {
        var name = element.Name.LocalName;
        var children = element.Elements().ToList();
        if (Lists.Contains(name) || (children.Count > 0 && children.All(c => c.Name.LocalName == "member")))
        {
            writer.WriteStartArray();
            foreach (var member in children)
            {
                if (member.HasElements) { WriteObject(writer, member); }
                else { writer.WriteStringValue(member.Value); }
            }
            writer.WriteEndArray();
            return;
        }
        if (children.Count > 0 || Structs.Contains(name))
        {
            WriteObject(writer, element);
            return;
        }
        var text = element.Value;
        if (Booleans.Contains(name) && bool.TryParse(text, out var flag)) { writer.WriteBooleanValue(flag); return; }
        if (Integers.Contains(name) && long.TryParse(text, System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
            return;
        }
        if (Documents.Contains(name) && Document(text) is { } document)
        {
            document.WriteTo(writer);
            return;
        }
        writer.WriteStringValue(text);
    }

    private static JsonElement? Document(string text)
    {
        var candidate = text.TrimStart();
        if (!candidate.StartsWith('{'))
        {
            try { candidate = Uri.UnescapeDataString(candidate); }
            catch (UriFormatException) { return null; }
        }
        try
        {
            using var parsed = JsonDocument.Parse(candidate);
            return parsed.RootElement.ValueKind == JsonValueKind.Object ? parsed.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
