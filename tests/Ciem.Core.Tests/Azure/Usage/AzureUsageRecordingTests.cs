using Ciem.Core.Azure.Usage;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Azure.Usage;

public sealed class AzureUsageRecordingTests
{
    [Theory]
    [InlineData("Microsoft.Compute/virtualMachines/write", false, PermissionUse.Unused)]
    [InlineData("Microsoft.Compute/virtualMachines/delete", false, PermissionUse.Unused)]
    [InlineData("Microsoft.Storage/storageAccounts/listKeys/action", false, PermissionUse.Unused)]
    [InlineData("Microsoft.Compute/virtualMachines/read", false, PermissionUse.Unknown)]
    [InlineData("Microsoft.KeyVault/vaults/secrets/getSecret/action", true, PermissionUse.Unknown)]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true, PermissionUse.Unused)]
    public void Recording_ActivityLogAndStorageDataPlaneLogs_UnusedOnlyWhereALogWouldShowUse(string operation, bool dataAction, PermissionUse expected)
    {
        // Given the Activity Log and data-plane logs of Microsoft.Storage
        var recording = new AzureUsageRecording(["Microsoft.Storage"]);

        // When a granted operation not seen is classified / Then reads and data actions without data-plane logs are unknown
        Assert.Equal(expected, recording.Recording(operation, dataAction).Classify(used: false));
    }

    [Fact]
    public void ActivityLogOnly_DataAction_UnknownWithTheReason()
    {
        var r = AzureUsageRecording.ActivityLogOnly.Recording("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", isDataAction: true);

        Assert.False(r.Recorded);
        Assert.Equal("data actions are not in the Activity Log and no data-plane logs of `Microsoft.Storage` are in the window", r.Why);
    }
}
