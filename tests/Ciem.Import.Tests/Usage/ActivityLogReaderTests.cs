using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;
using Ciem.Tests;

namespace Ciem.Import.Tests.Usage;

/// <summary>Counts on the Panther samples were computed independently (a Python walk of the same files applying the documented rules).</summary>
[Trait("Category", "SharedData")]
public sealed class ActivityLogReaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciem-activity-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_PantherActivitySamples_CountsEveryRecordOnce()
    {
        // Given the 214 Panther Azure Monitor activity test events (diagnostic-settings shape, each wrapped in `log`)
        var path = TestPaths.Shared("panther-analysis-test-events", "azure_activity.jsonl");

        // When they are read
        var result = ActivityLogReader.Read([path], AzureOperationCatalog.Default);

        // Then 10 name a caller (upn or appid claim) and an ARM operation; 186 name no caller; 18 no operation
        Assert.Equal(214, result.Records);
        Assert.Equal(10, result.Events.Length);
        Assert.All(result.Events, e => Assert.Null(e.ErrorCode));
        Assert.Equal(186, result.NoIdentity);
        Assert.Equal(18, result.NoAction);
        Assert.Equal(0, result.Malformed);
        Assert.Empty(result.Diagnostics);
        // an upper-case operation takes the catalog's canonical case; an operation the catalog lacks is kept and counted
        Assert.Contains(result.Events, e => e.Action == "Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/delete" && e.Identity == "compromised-admin@company.com");
        Assert.Equal(1, Assert.Single(result.Unmapped).Value);
        Assert.Equal("Microsoft.KeyVault/vaults/keys/read/action", Assert.Single(result.Unmapped).Key);
    }

    [Fact]
    public void Read_PantherSignInSamples_SignInsAreActivityFailuresAreAttempts()
    {
        // Given the 47 Panther Entra ID test events (26 sign-ins, the rest directory audit records)
        var path = TestPaths.Shared("panther-analysis-test-events", "azure_signin.jsonl");

        // When they are read
        var result = ActivityLogReader.Read([path], AzureOperationCatalog.Default);

        // Then 15 successful and 11 failed sign-ins (non-zero errorCode) by 17 principals; 21 records are not usage
        Assert.Equal(47, result.Records);
        Assert.All(result.Events, e => Assert.Equal(ActivityLogReader.SignInAction, e.Action));
        Assert.Equal(15, result.Events.Count(e => e.ErrorCode is null));
        Assert.Equal(11, result.Events.Count(e => e.ErrorCode is not null));
        Assert.Equal(17, result.Events.Select(e => e.Identity).Distinct().Count());
        Assert.Equal(21, result.NoAction);
        Assert.Contains(result.Events, e => e.Identity == "user-010" && e.Person == "peregrin@lotr.com" && e.ErrorCode == "50126");
    }

    [Fact]
    public void Read_AzCliArray_ObjectIdClaimCanonicalCaseAndFailedAsAttempt()
    {
        // Given `az monitor activity-log list` output: a Started/Succeeded pair, a lower-case operation, a Failed call
        var path = Write("activity.json", """
            [
              {"caller":"alice@contoso.example","claims":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"a11ce000-0000-4000-8000-000000000001"},
               "eventTimestamp":"2026-11-20T09:00:00Z","operationName":{"value":"microsoft.compute/virtualmachines/write"},"resourceId":"/subscriptions/1/vm","status":{"value":"Started"}},
              {"caller":"alice@contoso.example","claims":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"a11ce000-0000-4000-8000-000000000001"},
               "eventTimestamp":"2026-11-20T09:01:00Z","operationName":{"value":"microsoft.compute/virtualmachines/write"},"resourceId":"/subscriptions/1/vm","status":{"value":"Succeeded"}},
              {"caller":"bob@contoso.example","eventTimestamp":"2026-11-20T10:00:00Z","operationName":{"value":"Microsoft.Resources/subscriptions/resourceGroups/delete"},
               "resourceId":"/subscriptions/1/resourceGroups/rg","status":{"value":"Failed"},"subStatus":{"value":"Forbidden"}}
            ]
            """);

        // When it is read
        var result = ActivityLogReader.Read([path], AzureOperationCatalog.Default);

        // Then the object id is the identity, the operation is in canonical case, the Started record waits for its result
        Assert.Equal(3, result.Records);
        Assert.Equal(1, result.InProgress);
        Assert.Equal(2, result.Events.Length);
        var write = result.Events[0];
        Assert.Equal(("a11ce000-0000-4000-8000-000000000001", "Microsoft.Compute/virtualMachines/write", "/subscriptions/1/vm", (string?)null), (write.Identity, write.Action, write.Resource, write.ErrorCode));
        var denied = result.Events[1];
        Assert.Equal(("bob@contoso.example", "Forbidden"), (denied.Identity, denied.ErrorCode));
    }

    [Fact]
    public void Read_BadLinesAndRecords_LocatedAndCountedNeverThrown()
    {
        // Given JSON Lines with a broken line, a record without a time and a good record
        var path = Write("bad.jsonl", """
            {"caller":"x","eventTimestamp":"2026-11-20T09:00:00Z","operationName":"Microsoft.Storage/storageAccounts/read","status":"Succeeded"}
            {"caller": "y", "operationName":
            {"caller":"z","operationName":"Microsoft.Storage/storageAccounts/read"}
            """);

        // When it is read, along with a file that does not exist
        var missing = Path.Combine(_dir.FullName, "missing.json");
        var result = ActivityLogReader.Read([path, missing], AzureOperationCatalog.Default);

        // Then the good record counts, each bad one is a located CIEM7008, and the missing file a CIEM7010
        Assert.Single(result.Events);
        Assert.Equal(2, result.Malformed);
        Assert.All(result.Diagnostics.Where(d => d.Location?.File == path), d => Assert.Equal(DiagnosticCodes.AzureActivityBadRecord, d.Code));
        Assert.Equal([2L, 3L], result.Diagnostics.Where(d => d.Location?.File == path).Select(d => d.Location!.Line!.Value));
        Assert.Equal(DiagnosticCodes.AzureActivityUnreadable, Assert.Single(result.Diagnostics, d => d.Location?.File == missing).Code);
    }
}
