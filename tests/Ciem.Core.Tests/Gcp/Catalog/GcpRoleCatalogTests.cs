using System.Text.Json;
using Ciem.Core.Gcp.Catalog;
using Ciem.GcpRoleGen;
using Ciem.Tests;

namespace Ciem.Core.Tests.Gcp.Catalog;

[Trait("Category", "SharedData")]
public sealed class GcpRoleCatalogTests
{
    private static readonly string RolesFolder = TestPaths.Shared("iam-dataset", "gcp", "roles");

    [Fact]
    public void Default_HasEveryPredefinedRoleAndPermission()
    {
        // Given the shipped catalog
        var catalog = GcpRoleCatalog.Default;

        // Then it has the dataset's 2,461 roles, 13,790 permissions and 165,179 role-permission pairs
        Assert.Equal(2461, catalog.Roles.Length);
        Assert.Equal(13790, catalog.PermissionCount);
        Assert.Equal(165179, catalog.Roles.Sum(r => r.Permissions.Count));
        Assert.Equal(27, catalog.Roles.Count(r => r.Permissions.IsEmpty));
        Assert.StartsWith("iann0036/iam-dataset@", catalog.SourceVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_AgreesWithEveryRoleFileOfTheDataset()
    {
        // Given every `gcloud iam roles describe` file of the dataset
        var files = RoleSource.Read(RolesFolder);
        Assert.Equal(2461, files.Count);

        // Then every role has exactly the file's permissions
        foreach (var file in files)
        {
            Assert.True(GcpRoleCatalog.Default.TryGetRole(file.Name, out var role), file.Name);
            Assert.Equal(file.Permissions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), role.Permissions.ToList());
            Assert.Equal(file.Stage, role.Stage);
            Assert.Equal(file.Title, role.Title);
        }
    }

    [Theory]
    [InlineData("roles/owner", 13568)]
    [InlineData("roles/editor", 11979)]
    [InlineData("roles/viewer", 6064)]
    [InlineData("roles/browser", 6)]
    [InlineData("roles/iam.securityAdmin", 2845)]
    [InlineData("roles/compute.admin", 1095)]
    [InlineData("roles/bigquery.admin", 245)]
    [InlineData("roles/storage.admin", 104)]
    [InlineData("roles/resourcemanager.organizationAdmin", 36)]
    [InlineData("roles/storage.objectViewer", 8)]
    [InlineData("roles/iam.serviceAccountUser", 5)]
    public void Expansion_OfWellKnownRoles_HasDocumentedSize(string role, int permissions)
    {
        // Given a predefined role / When expanded / Then it has the size docs/gcp.md states
        Assert.True(GcpRoleCatalog.Default.TryGetRole(role, out var r));
        Assert.Equal(permissions, r.Permissions.Count);
    }

    [Fact]
    public void Expansion_Figures_AsDocumented()
    {
        // Given the catalog
        var catalog = GcpRoleCatalog.Default;
        catalog.TryGetRole("roles/owner", out var owner);
        catalog.TryGetRole("roles/editor", out var editor);

        // Then the figures in docs/gcp.md hold
        Assert.Equal(1589, owner!.Permissions.Except(editor!.Permissions).Count);
        Assert.Equal(222, catalog.All.Except(owner.Permissions).Count);
        Assert.Equal(322, catalog.Permissions.Select(GcpPermission.Service).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(309, catalog.Permissions.Count(p => p.EndsWith(".setIamPolicy", StringComparison.Ordinal)));
        Assert.Equal(23, catalog.Roles.Count(r => r.Permissions.Count > 1000));
        Assert.Equal(11, catalog.Roles.Select(r => r.Permissions.Count).Order().ElementAt(catalog.Roles.Length / 2));
    }

    [Fact]
    public void Expand_ServiceWildcard_MatchesEveryPermissionOfTheService()
    {
        // Given the catalog / When `iam.roles.*` and `*.setIamPolicy` are expanded
        var catalog = GcpRoleCatalog.Default;
        var roles = catalog.Expand("iam.roles.*");
        var setIam = catalog.Expand("*.setIamPolicy");

        // Then they hold exactly the matching permissions
        Assert.Contains("iam.roles.delete", roles);
        Assert.All(roles, p => Assert.StartsWith("iam.roles.", p, StringComparison.Ordinal));
        Assert.Equal(309, setIam.Count);
        Assert.Equal(catalog.PermissionCount, catalog.Expand("*").Count);
        Assert.True(catalog.Expand("no.such.permission").IsEmpty);
    }

    [Fact]
    public void CreateRole_KeepsPermissionsTheCatalogDoesNotKnow()
    {
        // Given a custom role with a known and an unknown permission
        var role = GcpRoleCatalog.Default.CreateRole("projects/p/roles/r", "R", "GA", ["storage.objects.get", "future.things.use"], isCustom: true);

        // Then both are included
        Assert.True(role.Includes("storage.objects.get"));
        Assert.True(role.Includes("future.things.use"));
        Assert.False(role.Includes("storage.objects.delete"));
        Assert.Equal(2, role.PermissionCount);
    }

    [Fact]
    public void WriteThenLoad_RoundTrips()
    {
        // Given two roles written in the catalog format
        using var stream = new MemoryStream();
        GcpRoleCatalog.Write("test@1", [("roles/b", "GA", "B", ["x.y.z", "a.b.c"]), ("roles/a", "BETA", "A", ["a.b.c"])], stream);
        stream.Position = 0;

        // When it is loaded
        var catalog = GcpRoleCatalog.Load(stream);

        // Then names, order and sets survive
        Assert.Equal(["a.b.c", "x.y.z"], catalog.Permissions.ToArray());
        Assert.Equal(["roles/a", "roles/b"], catalog.Roles.Select(r => r.Name));
        Assert.Equal(2, catalog.Roles[1].Permissions.Count);
        Assert.Equal("BETA", catalog.Roles[0].Stage);
    }

    [Fact]
    public void Load_CorruptCatalog_ThrowsNamingTheLine()
    {
        // Given a catalog whose role points past the permissions
        using var raw = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(raw, System.IO.Compression.CompressionMode.Compress, leaveOpen: true))
        using (var writer = new StreamWriter(gzip))
        {
            writer.Write("ciem-gcp-roles\t1\tx\t1\t1\na.b.c\nroles/a\tGA\tA\t0,5\n");
        }
        raw.Position = 0;

        // When loaded / Then the error names line 3
        var ex = Assert.Throws<InvalidDataException>(() => GcpRoleCatalog.Load(raw));
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoleFiles_AreDescribeOutput()
    {
        // Given one dataset file / Then it has the `gcloud iam roles describe` shape the readers expect
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RolesFolder, "owner.json")));
        Assert.Equal("roles/owner", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("includedPermissions").ValueKind);
    }
}
