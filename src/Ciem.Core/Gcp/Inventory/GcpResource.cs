using System.Collections.Immutable;

namespace Ciem.Core.Gcp.Inventory;

public enum GcpResourceKind
{
    Organization,
    Folder,
    Project,
    Resource,
}

/// <summary>
/// A node of the resource hierarchy, named by its full resource name
/// (`//cloudresourcemanager.googleapis.com/projects/123`, `//storage.googleapis.com/my-bucket`).
/// <see cref="Parent"/> is the parent's full name when known; <see cref="Aliases"/> are other full names of the same
/// node (a project by id as well as by number), so that policies attached by either name find it.
/// <see cref="DisplayName"/> (a folder's display name, a project's id) and <see cref="Labels"/> (a project's labels)
/// are kept when the export has them; the sweep reads the environment from them.
/// </summary>
public sealed record GcpResource(string Name, string AssetType, string? Parent, ImmutableArray<string> Aliases, string? DisplayName = null, IReadOnlyDictionary<string, string>? Labels = null)
{
    public const string ResourceManager = "//cloudresourcemanager.googleapis.com/";

    public GcpResourceKind Kind => KindOf(Name);

    /// <summary>The kind a full resource name denotes: organisations, folders and projects live in Resource Manager.</summary>
    public static GcpResourceKind KindOf(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        if (!fullName.StartsWith(ResourceManager, StringComparison.Ordinal)) { return GcpResourceKind.Resource; }
        var rest = fullName.AsSpan(ResourceManager.Length);
        if (rest.IndexOf('/') is var slash && slash > 0 && rest[(slash + 1)..].IndexOf('/') < 0)
        {
            var collection = rest[..slash];
            if (collection.SequenceEqual("organizations")) { return GcpResourceKind.Organization; }
            if (collection.SequenceEqual("folders")) { return GcpResourceKind.Folder; }
            if (collection.SequenceEqual("projects")) { return GcpResourceKind.Project; }
        }
        return GcpResourceKind.Resource;
    }

    /// <summary>
    /// Turns a relative name (`projects/123`, `folders/4`, `organizations/5`) or a URL-encoded attachment point
    /// (`cloudresourcemanager.googleapis.com%2Fprojects%2Fmy-project`) into a full resource name; full names pass through.
    /// </summary>
    public static string FullName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(name) : name;
        if (text.StartsWith("//", StringComparison.Ordinal)) { return text; }
        // Cloud Storage's relative names (audit logs): `projects/_/buckets/B[/objects/O]` belong to storage, not to a project.
        if (text.StartsWith("projects/_/", StringComparison.Ordinal)) { return "//storage.googleapis.com/" + text; }
        if (text.StartsWith("organizations/", StringComparison.Ordinal) || text.StartsWith("folders/", StringComparison.Ordinal)
            || text.StartsWith("projects/", StringComparison.Ordinal))
        {
            return ResourceManager + text;
        }
        return text.Contains(".googleapis.com/", StringComparison.Ordinal) ? "//" + text : text;
    }
}
