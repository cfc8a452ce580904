using System.Text.Json;

namespace Ciem.GcpRoleGen;

/// <summary>One predefined role as `gcloud iam roles describe` prints it (the iam-dataset `gcp/roles/*.json` files).</summary>
internal sealed record RoleFile(string Name, string Stage, string Title, IReadOnlyList<string> Permissions);

/// <summary>Reads a folder of role files; a file without `name` fails the whole run; a missing `includedPermissions` is an empty role.</summary>
internal static class RoleSource
{
    public static IReadOnlyList<RoleFile> Read(string folder)
    {
        var roles = new List<RoleFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var name = Text(root, "name") ?? throw new InvalidDataException($"{path}: no `name`");
            // A few predefined roles are published with no permissions at all: `gcloud` then omits the field.
            var permissions = root.TryGetProperty("includedPermissions", out var included) && included.ValueKind == JsonValueKind.Array
                ? included.EnumerateArray().Select(p => p.GetString() ?? throw new InvalidDataException($"{path}: a permission is not a string")).ToList()
                : [];
            roles.Add(new RoleFile(name, Text(root, "stage") ?? "GA", Text(root, "title") ?? "", permissions));
        }
        return roles;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
