using Ciem.Core.Gcp.Usage;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Gcp.Usage;

public sealed class GcpUsageRecordingTests
{
    [Theory]
    [InlineData("storage.buckets.update", GcpAuditLog.AdminActivity)]
    [InlineData("storage.buckets.setIamPolicy", GcpAuditLog.AdminActivity)]
    [InlineData("compute.instances.start", GcpAuditLog.AdminActivity)]
    [InlineData("iam.serviceAccountKeys.create", GcpAuditLog.AdminActivity)]
    [InlineData("iam.serviceAccounts.actAs", GcpAuditLog.AdminActivity)]
    [InlineData("storage.buckets.get", GcpAuditLog.DataAccess)]
    [InlineData("storage.buckets.getIamPolicy", GcpAuditLog.DataAccess)]
    [InlineData("compute.instances.list", GcpAuditLog.DataAccess)]
    [InlineData("secretmanager.versions.access", GcpAuditLog.DataAccess)]
    [InlineData("bigquery.tables.getData", GcpAuditLog.DataAccess)]
    [InlineData("resourcemanager.projects.testIamPermissions", GcpAuditLog.DataAccess)]
    [InlineData("storage.objects.create", GcpAuditLog.DataAccess)]
    [InlineData("storage.objects.delete", GcpAuditLog.DataAccess)]
    [InlineData("pubsub.topics.publish", GcpAuditLog.DataAccess)]
    [InlineData("logging.logEntries.create", GcpAuditLog.DataAccess)]
    [InlineData("compute.instances.getSerialPortOutput", GcpAuditLog.DataAccess)]
    [InlineData("compute.instances.listReferrers", GcpAuditLog.DataAccess)]
    [InlineData("compute.instances.getaway", GcpAuditLog.AdminActivity)]
    public void LogOf_Permission_TheAuditLogItsMethodsWrite(string permission, GcpAuditLog expected)
    {
        // Given a permission / When its audit log is told from its name / Then reads and user-data writes are Data Access
        Assert.Equal(expected, GcpUsageRecording.LogOf(permission));
    }

    [Theory]
    [InlineData("storage.objects.get", "storage.googleapis.com")]
    [InlineData("resourcemanager.projects.get", "cloudresourcemanager.googleapis.com")]
    [InlineData("cloudsql.instances.connect", "sqladmin.googleapis.com")]
    [InlineData("compute.instances.start", "compute.googleapis.com")]
    public void ServiceOf_Permission_TheApiServiceNameOfItsLogEntries(string permission, string service) =>
        Assert.Equal(service, GcpUsageRecording.ServiceOf(permission));

    [Fact]
    public void Recording_DataAccessPermission_UnknownUnlessTheServiceHasDataAccessEntries()
    {
        // Given Data Access entries of Cloud Storage only, in the window
        var recording = new GcpUsageRecording(["storage.googleapis.com"]);

        // When reads of three services are classified as not used
        // Then Storage's is unused, Compute's unknown, BigQuery's unused (its Data Access logs are on by default)
        Assert.Equal(PermissionUse.Unused, recording.Recording("storage.objects.get").Classify(used: false));
        Assert.Equal(PermissionUse.Unknown, recording.Recording("compute.instances.get").Classify(used: false));
        Assert.Equal(PermissionUse.Unused, recording.Recording("bigquery.tables.getData").Classify(used: false));
        Assert.Equal(PermissionUse.Unused, GcpUsageRecording.AdminActivityOnly.Recording("compute.instances.delete").Classify(used: false));
        Assert.Equal(PermissionUse.Used, GcpUsageRecording.AdminActivityOnly.Recording("compute.instances.get").Classify(used: true));
        Assert.Equal("recorded only in Data Access audit logs, and the window holds none of `compute.googleapis.com`", recording.Recording("compute.instances.get").Why);
    }
}
