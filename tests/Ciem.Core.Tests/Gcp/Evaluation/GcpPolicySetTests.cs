using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Core.Tests.Gcp.Evaluation;

public sealed class GcpPolicySetTests
{
    private const string Org = "//cloudresourcemanager.googleapis.com/organizations/1";
    private const string Project = "//cloudresourcemanager.googleapis.com/projects/acme-prod";
    private const string Bucket = "//storage.googleapis.com/acme-prod-data";

    private static GcpPolicySet Estate() => GcpPolicySet.Create(GcpInventory.Empty with
    {
        Resources =
        [
            new(Org, "cloudresourcemanager.googleapis.com/Organization", null, []),
            new(Project, "cloudresourcemanager.googleapis.com/Project", Org, []),
            new(Bucket, "storage.googleapis.com/Bucket", Project, []),
        ],
    });

    [Fact]
    public void Ancestry_ObjectAsAuditLogsNameIt_ReachesTheInventoryBucketAndItsProject()
    {
        // Given an object named as Cloud Audit Logs name it (`projects/_/buckets/B/objects/O`, relative)
        var policies = Estate();

        // When its ancestry is asked
        var chain = policies.Ancestry("projects/_/buckets/acme-prod-data/objects/reports/2026/11.csv");

        // Then object → the bucket in the audit-log form → the inventory's bucket → project → organisation
        Assert.Equal(
            ["//storage.googleapis.com/projects/_/buckets/acme-prod-data/objects/reports/2026/11.csv", "//storage.googleapis.com/projects/_/buckets/acme-prod-data", Bucket, Project, Org],
            chain.ToArray());
    }

    [Fact]
    public void Ancestry_BucketNotInTheInventory_StopsAtTheBucket()
    {
        // Given a bucket the inventory does not hold / When its object's ancestry is asked / Then no project is guessed
        var chain = Estate().Ancestry("projects/_/buckets/elsewhere/objects/x");

        Assert.Equal(["//storage.googleapis.com/projects/_/buckets/elsewhere/objects/x", "//storage.googleapis.com/projects/_/buckets/elsewhere"], chain.ToArray());
    }

    [Theory]
    [InlineData("projects/-/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com", true)]
    [InlineData("projects/-/serviceAccounts/114852260669331537347", false)]
    [InlineData("projects/-/serviceAccounts/someone@example.com", false)]
    public void Ancestry_ServiceAccountWithoutProject_ProjectFromTheAddressOnly(string name, bool placed)
    {
        // Given a service account named with the `-` project wildcard (IAM Credentials audit entries)
        // When its ancestry is asked
        var chain = Estate().Ancestry(name);

        // Then the project comes from a `NAME@PROJECT.iam.gserviceaccount.com` address, never from a unique id or another domain
        Assert.Equal(placed, chain.Contains(Project));
        if (placed) { Assert.Equal(Org, chain[^1]); }
    }
}
