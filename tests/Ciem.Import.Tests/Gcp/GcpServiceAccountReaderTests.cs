using Ciem.Core.Diagnostics;
using Ciem.Import.Gcp;

namespace Ciem.Import.Tests.Gcp;

public sealed class GcpServiceAccountReaderTests
{
    [Fact]
    public void ReadAccounts_GcloudListWithBadRecord_ImportsAndQuarantinesLocated()
    {
        // Given `gcloud iam service-accounts list --format=json` output with one record lacking its email
        const string json = """
        [
          {
            "description": "Nightly loads. Owner: data-eng@example.org",
            "displayName": "ETL runner",
            "email": "etl-runner@data-prod.iam.gserviceaccount.com",
            "etag": "MDEwMjE5MjA=",
            "name": "projects/data-prod/serviceAccounts/etl-runner@data-prod.iam.gserviceaccount.com",
            "oauth2ClientId": "104523456789012345671",
            "projectId": "data-prod",
            "uniqueId": "104523456789012345671"
          },
          { "displayName": "broken", "projectId": "data-prod" },
          {
            "disabled": true,
            "email": "old-job@data-prod.iam.gserviceaccount.com",
            "name": "projects/data-prod/serviceAccounts/old-job@data-prod.iam.gserviceaccount.com",
            "projectId": "data-prod",
            "uniqueId": "104523456789012345679"
          }
        ]
        """;

        // When read
        var result = GcpServiceAccountReader.ReadAccounts(TestData.Stream(json), "sa.json");

        // Then two accounts, one quarantined with its JSON path
        Assert.Equal(new ImportCounts(2, 0, 1), result.Counts);
        var etl = result.Value.ServiceAccounts[0];
        Assert.Equal(("serviceAccount:etl-runner@data-prod.iam.gserviceaccount.com", "ETL runner", "data-prod", false), (etl.Member, etl.DisplayName, etl.ProjectId, etl.Disabled));
        Assert.True(result.Value.ServiceAccounts[1].Disabled);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.GcpBadServiceAccount, "$[1]"), (error.Code, error.Location!.JsonPath));
    }

    [Fact]
    public void ReadKeys_UserAndSystemManagedNeverExpiringAndBadTime_ReadAsListed()
    {
        // Given `gcloud iam service-accounts keys list --iam-account=… --format=json` output
        const string json = """
        [
          {
            "keyAlgorithm": "KEY_ALG_RSA_2048",
            "keyOrigin": "GOOGLE_PROVIDED",
            "keyType": "USER_MANAGED",
            "name": "projects/data-prod/serviceAccounts/etl-runner@data-prod.iam.gserviceaccount.com/keys/3f1c8a2b7d9e0f4a",
            "validAfterTime": "2025-01-10T09:00:00Z",
            "validBeforeTime": "9999-12-31T23:59:59Z"
          },
          {
            "keyAlgorithm": "KEY_ALG_RSA_2048",
            "keyOrigin": "GOOGLE_PROVIDED",
            "keyType": "SYSTEM_MANAGED",
            "name": "projects/data-prod/serviceAccounts/etl-runner@data-prod.iam.gserviceaccount.com/keys/9a8b7c6d5e4f3a2b",
            "validAfterTime": "2026-11-14T02:00:00Z",
            "validBeforeTime": "2026-12-01T02:00:00Z"
          },
          { "keyType": "USER_MANAGED", "name": "projects/data-prod/serviceAccounts/etl-runner@data-prod.iam.gserviceaccount.com/keys/bad", "validAfterTime": "yesterday" }
        ]
        """;

        // When read
        var result = GcpServiceAccountReader.ReadKeys(TestData.Stream(json), "keys.json");

        // Then the user-managed key never expires, the system-managed one does; the bad time is quarantined
        Assert.Equal(new ImportCounts(2, 0, 1), result.Counts);
        var (user, system) = (result.Value.ServiceAccountKeys[0], result.Value.ServiceAccountKeys[1]);
        Assert.Equal(("etl-runner@data-prod.iam.gserviceaccount.com", "3f1c8a2b7d9e0f4a", true, (DateTimeOffset?)null), (user.ServiceAccountEmail, user.KeyId, user.IsUserManaged, user.ValidBefore));
        Assert.Equal(new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero), user.ValidAfter);
        Assert.False(system.IsUserManaged);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.GcpBadServiceAccountKey && d.Message.Contains("validAfterTime", StringComparison.Ordinal));
    }
}
