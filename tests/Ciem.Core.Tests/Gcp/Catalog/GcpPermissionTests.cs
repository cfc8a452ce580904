using Ciem.Core.Gcp.Catalog;

namespace Ciem.Core.Tests.Gcp.Catalog;

public sealed class GcpPermissionTests
{
    [Theory]
    [InlineData("iam.googleapis.com/roles.delete", "iam.roles.delete")]
    [InlineData("cloudresourcemanager.googleapis.com/projects.delete", "resourcemanager.projects.delete")]
    [InlineData("compute.googleapis.com/instances.*", "compute.instances.*")]
    [InlineData("compute.googleapis.com/*.setMetadata", "compute.*.setMetadata")]
    [InlineData("storage.googleapis.com/*", "storage.*")]
    [InlineData("*", "*")]
    [InlineData("iam.roles.delete", "iam.roles.delete")]
    public void TryToV1Pattern_MapsDenyPermissions(string v2, string v1)
    {
        // Given a deny-policy permission / When mapped / Then it is the v1 pattern
        Assert.True(GcpPermission.TryToV1Pattern(v2, out var pattern));
        Assert.Equal(v1, pattern);
    }

    [Theory]
    [InlineData("")]
    [InlineData("iam roles delete")]
    [InlineData("iam.example.com/roles.delete")]
    [InlineData("iam.googleapis.com/")]
    [InlineData("nodots")]
    public void TryToV1Pattern_RejectsMalformedText(string text)
    {
        // Given malformed text / Then it is not a permission
        Assert.False(GcpPermission.TryToV1Pattern(text, out _));
    }

    [Theory]
    [InlineData("storage.buckets.setIamPolicy", "Permissions management")]
    [InlineData("storage.buckets.getIamPolicy", "Read")]
    [InlineData("storage.objects.get", "Read")]
    [InlineData("storage.objects.list", "List")]
    [InlineData("compute.instances.setLabels", "Tagging")]
    [InlineData("storage.buckets.createTagBinding", "Tagging")]
    [InlineData("compute.instances.delete", "Write")]
    public void AccessLevel_FollowsTheVerb(string permission, string level)
    {
        // Given a permission / Then its access level comes from its verb
        Assert.Equal(level, GcpPermission.AccessLevel(permission));
    }

    [Fact]
    public void Matches_IsCaseSensitive()
    {
        // Given a v1 pattern / Then matching respects IAM's case
        Assert.True(GcpPermission.Matches("compute.*.setMetadata", "compute.instances.setMetadata"));
        Assert.False(GcpPermission.Matches("compute.instances.SETMETADATA", "compute.instances.setMetadata"));
    }
}
