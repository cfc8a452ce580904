using Ciem.Core.Diagnostics;
using Ciem.Import.Gcp;
using Ciem.Tests;

namespace Ciem.Import.Tests.Usage;

/// <summary>Counts on the Panther sample were computed independently (a Python walk of the same file applying the documented rules).</summary>
[Trait("Category", "SharedData")]
public sealed class AuditLogReaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciem-audit-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Read_PantherAuditSamples_OneEventPerAuthorizationCheck()
    {
        // Given the 143 Panther GCP audit test events, each wrapped in `log`
        var path = TestPaths.Shared("panther-analysis-test-events", "gcp_audit.jsonl");

        // When they are read
        var result = AuditLogReader.Read([path]);

        // Then 89 granted and 9 denied checks by 26 members; 13 entries name no principal, 45 no permission
        Assert.Equal(143, result.Records);
        Assert.Equal(89, result.Events.Count(e => e.ErrorCode is null));
        Assert.Equal(9, result.Events.Count(e => e.ErrorCode == AuditLogReader.DeniedCode));
        Assert.Equal(26, result.Events.Select(e => e.Identity).Distinct().Count());
        Assert.All(result.Events, e => Assert.True(e.Identity.StartsWith("user:", StringComparison.Ordinal) || e.Identity.StartsWith("serviceAccount:", StringComparison.Ordinal)));
        Assert.Equal(13, result.NoIdentity);
        Assert.Equal(45, result.NoAction);
        // and 7 entries without a readable time (one says `...`) are located by line
        Assert.Equal(7, result.Malformed);
        Assert.Equal([29L, 41L, 46L, 51L, 69L, 70L, 122L], result.Diagnostics.Select(d => d.Location!.Line!.Value));
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.GcpAuditBadRecord, d.Code));
    }

    [Fact]
    public void Read_GcloudArrayWithDelegation_FirstDelegateIsThePerson()
    {
        // Given `gcloud logging read --format=json` output: an impersonated service account, a denied check, a non-object
        var path = Path.Combine(_dir.FullName, "audit.json");
        File.WriteAllText(path, """
            [
              {"timestamp":"2026-11-25T07:00:00Z","protoPayload":{"authenticationInfo":{"principalEmail":"ci@p.iam.gserviceaccount.com",
                 "serviceAccountDelegationInfo":[{"firstPartyPrincipal":{"principalEmail":"bob@acme.example"}},{"firstPartyPrincipal":{"principalEmail":"mid@p.iam.gserviceaccount.com"}}]},
                 "resourceName":"projects/_/buckets/b/objects/o",
                 "authorizationInfo":[{"permission":"storage.objects.get","granted":true},{"permission":"storage.objects.delete","resource":"projects/_/buckets/b"}]}},
              42
            ]
            """);

        // When it is read
        var result = AuditLogReader.Read([path]);

        // Then the granted check is a use and the other a denied attempt, both by the service account on behalf of bob
        Assert.Equal(2, result.Records);
        Assert.Equal(2, result.Events.Length);
        Assert.All(result.Events, e => Assert.Equal(("serviceAccount:ci@p.iam.gserviceaccount.com", "user:bob@acme.example"), (e.Identity, e.Person)));
        Assert.Equal(("storage.objects.get", "projects/_/buckets/b/objects/o", (string?)null), (result.Events[0].Action, result.Events[0].Resource, result.Events[0].ErrorCode));
        Assert.Equal(("storage.objects.delete", "projects/_/buckets/b", AuditLogReader.DeniedCode), (result.Events[1].Action, result.Events[1].Resource, result.Events[1].ErrorCode));
        var bad = Assert.Single(result.Diagnostics);
        Assert.Equal("$[1]", bad.Location!.JsonPath);
        Assert.Equal(1, result.Malformed);
    }
}
