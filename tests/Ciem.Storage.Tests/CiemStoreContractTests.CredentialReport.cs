using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>IAM credential reports: the current report of each account, replaced whole by the next import.</summary>
public abstract partial class CiemStoreContractTests
{
    private static CredentialReportEntry Entry(string account, string user, bool keyActive) => new(
        user, $"arn:aws:iam::{account}:user/{user}", Inventories.Monday, false, null, Inventories.Monday, null, true,
        new AccessKeyStatus(keyActive, Inventories.Monday, Inventories.Tuesday, "eu-west-1", "s3"), AccessKeyStatus.None,
        new SigningCertificateStatus(true, Inventories.Monday), SigningCertificateStatus.None);

    private static AwsImportRequest Reports(params AwsCredentialReport[] reports) =>
        new(AwsInventory.Empty with { CredentialReports = [.. reports] }, Inventories.Tuesday, ["report.csv"], new ImportCounts(1, 0, 0));

    [StoreFact]
    public void ImportAws_CredentialReport_ReplacedPerAccount()
    {
        // Given reports for two accounts, then a new report for the first account only
        var a1 = new AwsCredentialReport("111111111111", Inventories.Monday, [Entry("111111111111", "old", true), Entry("111111111111", "kept", false)]);
        var a2 = new AwsCredentialReport("222222222222", Inventories.Monday, [Entry("222222222222", "other", true)]);
        var a1New = new AwsCredentialReport("111111111111", Inventories.Tuesday, [Entry("111111111111", "kept", true)]);
        using (var store = OpenStore())
        {
            store.ImportAws(Reports(a1, a2));
            store.ImportAws(Reports(a1New));
        }

        // When the inventory is loaded through a fresh connection
        using var reopened = OpenStore();
        var loaded = reopened.LoadAwsInventory().CredentialReports;

        // Then the first account holds only the new report, the second is untouched, every field round-trips
        Assert.Equal(["111111111111", "222222222222"], loaded.Select(r => r.AccountId));
        Assert.Equal(a1New.Entries.Single(), loaded[0].Entries.Single());
        Assert.Equal(Inventories.Tuesday.ToUniversalTime(), loaded[0].GeneratedAt!.Value.ToUniversalTime());
        Assert.Equal("other", loaded[1].Entries.Single().User);
    }
}
