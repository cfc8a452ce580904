using Ciem.Core.Diagnostics;
using Ciem.Import.Azure;
using Ciem.Import.Gcp;

namespace Ciem.Import.Tests;

/// <summary>Azure and GCP names at import: each documented limit with its twin one past it, on the CLIs' own shapes.</summary>
public sealed class CloudNamesTests
{
    private static readonly string Role512 = new('r', 512);

    public static TheoryData<string, bool> AzureRoleNames => new()
    {
        { "Virtual Machine Operator (prod) – 24/7 & on-call", true },
        { Role512, true },
        { Role512 + "r", false },
        { "   ", false },
        { "ops\nresource \"null_resource\" \"x\" {", false },
        { "ops\r", false },
        { "ops\u0085", false },
        { "ops\u202Eevil", false },
        { "ops ${file(\"/etc/passwd\")}", false },
        { "ops $ {x}", true },
    };

    [Theory]
    [MemberData(nameof(AzureRoleNames))]
    public void RoleDefinitions_RoleName_QuarantinedOutsideAzureLimits(string roleName, bool valid)
    {
        // Given `az role definition list` output (the ARM REST shape) with one custom role of this roleName
        var json = $$$"""
        {"value":[{"id":"/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/c0000000-0000-0000-0000-000000000001",
          "name":"c0000000-0000-0000-0000-000000000001","type":"Microsoft.Authorization/roleDefinitions",
          "properties":{"roleName":{{{System.Text.Json.JsonSerializer.Serialize(roleName)}}},"type":"CustomRole","description":"start and stop",
            "assignableScopes":["/subscriptions/00000000-0000-0000-0000-000000000001"],
            "permissions":[{"actions":["Microsoft.Compute/virtualMachines/start/action"],"notActions":[],"dataActions":[],"notDataActions":[]}]}}]}
        """;

        // When read
        var result = RoleDefinitionsReader.Read(TestData.Stream(json), "roles.json");

        // Then a valid name is imported; an invalid one is quarantined, located at its roleName, never imported
        Assert.Equal(valid ? new ImportCounts(1, 0, 0) : new ImportCounts(0, 0, 1), result.Counts);
        if (valid) { Assert.Equal(roleName, Assert.Single(result.Value).RoleName); return; }
        Assert.Empty(result.Value);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.AzureBadName, "roles.json", "$.value[0].properties.roleName"),
            (error.Code, error.Location!.File, error.Location.JsonPath));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("c0000000-0000-0000-0000-000000000001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoleDefinitions_NameWithInterpolation_Quarantined()
    {
        // Given a CLI-shaped record whose `name` (Azure's GUID) carries `${`
        const string json = """[{"name":"g1${path.module}","roleName":"R","permissions":[]},{"name":"g2","roleName":"R2","permissions":[]}]""";

        // When read
        var result = RoleDefinitionsReader.Read(TestData.Stream(json), "roles.json");

        // Then only the clean one is imported
        Assert.Equal(new ImportCounts(1, 0, 1), result.Counts);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.AzureBadName, "$[0].name"), (error.Code, error.Location!.JsonPath));
    }

    public static TheoryData<string, bool> GcpRoleNames => new()
    {
        { "projects/my-project/roles/bucketReader", true },
        { "projects/my-project/roles/" + new string('a', 64), true },
        { "projects/my-project/roles/" + new string('a', 65), false },
        { "projects/my-project/roles/abc", true },
        { "projects/my-project/roles/ab", false },
        { "projects/my-project/roles/bucket_reader.v2", true },
        { "projects/my-project/roles/bucket-reader", false },
        { "projects/my-project/roles/x${file(\"/etc/passwd\")}", false },
        { "projects/My-Project/roles/bucketReader", false },
        { "projects/example.com:my-project/roles/bucketReader", true },
        { "organizations/123/roles/auditor", true },
        { "organizations/12a/roles/auditor", false },
        { "roles/storage.objectViewer", true },
        { "folders/1/roles/auditor", false },
    };

    [Theory]
    [MemberData(nameof(GcpRoleNames))]
    public void Roles_RoleName_QuarantinedOutsideGoogleForm(string name, bool valid)
    {
        // Given `gcloud iam roles describe --format=json` output for one role of this name
        var json = $$"""
        {"name":{{System.Text.Json.JsonSerializer.Serialize(name)}},"title":"Bucket reader","stage":"GA","etag":"BwW=","includedPermissions":["storage.buckets.get"]}
        """;

        // When read
        var result = GcpRoleReader.Read(TestData.Stream(json), "role.json");

        // Then it is imported, or quarantined with a located error naming the value
        Assert.Equal(valid ? new ImportCounts(1, 0, 0) : new ImportCounts(0, 0, 1), result.Counts);
        Assert.Equal(valid ? 1 : 0, result.Value.CustomRoles.Length);
        if (valid) { Assert.Empty(result.Diagnostics); return; }
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.GcpBadName, "role.json", "$.name"), (error.Code, error.Location!.File, error.Location.JsonPath));
    }

    public static TheoryData<string, bool> ServiceAccountEmails => new()
    {
        { "etl-runner@data-prod.iam.gserviceaccount.com", true },
        { "abcdef@data-prod.iam.gserviceaccount.com", true },
        { "abcde@data-prod.iam.gserviceaccount.com", false },
        { new string('a', 30) + "@data-prod.iam.gserviceaccount.com", true },
        { new string('a', 31) + "@data-prod.iam.gserviceaccount.com", false },
        { "etl-runner-@data-prod.iam.gserviceaccount.com", false },
        { "1etl-runner@data-prod.iam.gserviceaccount.com", false },
        { "Etl-runner@data-prod.iam.gserviceaccount.com", false },
        { "etl-runner@prod.iam.gserviceaccount.com", false },
        { "111111-compute@developer.gserviceaccount.com", true },
        { "test-project-123456@appspot.gserviceaccount.com", true },
        { "etl\n-runner@data-prod.iam.gserviceaccount.com", false },
        { "etl${x}@data-prod.iam.gserviceaccount.com", false },
    };

    [Theory]
    [MemberData(nameof(ServiceAccountEmails))]
    public void ServiceAccounts_Email_QuarantinedOutsideGoogleForm(string email, bool valid)
    {
        // Given `gcloud iam service-accounts list --format=json` output with one account of this e-mail
        var quoted = System.Text.Json.JsonSerializer.Serialize(email);
        var json = $$"""
        [{"displayName":"ETL runner","email":{{quoted}},"etag":"MDEwMjE5MjA=",
          "name":"projects/data-prod/serviceAccounts/x","projectId":"data-prod","uniqueId":"104523456789012345671"}]
        """;

        // When read
        var result = GcpServiceAccountReader.ReadAccounts(TestData.Stream(json), "sa.json");

        // Then it is imported, or quarantined at `email`
        Assert.Equal(valid ? new ImportCounts(1, 0, 0) : new ImportCounts(0, 0, 1), result.Counts);
        if (valid) { Assert.Empty(result.Diagnostics); return; }
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.GcpBadName, "sa.json", "$[0].email"), (error.Code, error.Location!.File, error.Location.JsonPath));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ServiceAccountKeys_EmailInNameOutsideForm_Quarantined()
    {
        // Given `gcloud iam service-accounts keys list --format=json` output, the second key of an account id one too long
        var longId = new string('a', 31);
        var json = $$"""
        [{"keyAlgorithm":"KEY_ALG_RSA_2048","keyOrigin":"GOOGLE_PROVIDED","keyType":"USER_MANAGED",
          "name":"projects/data-prod/serviceAccounts/etl-runner@data-prod.iam.gserviceaccount.com/keys/1a2b3c",
          "validAfterTime":"2024-01-01T00:00:00Z","validBeforeTime":"9999-12-31T23:59:59Z"},
         {"keyAlgorithm":"KEY_ALG_RSA_2048","keyOrigin":"GOOGLE_PROVIDED","keyType":"USER_MANAGED",
          "name":"projects/data-prod/serviceAccounts/{{longId}}@data-prod.iam.gserviceaccount.com/keys/4d5e6f",
          "validAfterTime":"2024-01-01T00:00:00Z","validBeforeTime":"9999-12-31T23:59:59Z"}]
        """;

        // When read
        var result = GcpServiceAccountReader.ReadKeys(TestData.Stream(json), "keys.json");

        // Then the first is imported and the second quarantined at its name
        Assert.Equal(new ImportCounts(1, 0, 1), result.Counts);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.GcpBadName, "$[1].name"), (error.Code, error.Location!.JsonPath));
    }

    [Theory]
    [InlineData("tokyo-rain-123", true)]
    [InlineData("abcdef", true)]
    [InlineData("abcde", false)]
    [InlineData("a23456789012345678901234567890", true)]
    [InlineData("a234567890123456789012345678901", false)]
    [InlineData("tokyo-rain-", false)]
    [InlineData("1okyo-rain", false)]
    [InlineData("Tokyo-rain", false)]
    [InlineData("tokyo_rain", false)]
    public void Projects_ProjectId_QuarantinedOutsideGoogleForm(string projectId, bool valid)
    {
        // Given `gcloud projects list --format=json` output with one project of this id
        var json = $$"""
        [{"createTime":"2023-04-01T10:00:00.000Z","lifecycleState":"ACTIVE","name":"Rain","parent":{"id":"7","type":"folder"},
          "projectId":"{{projectId}}","projectNumber":"42"}]
        """;

        // When read
        var result = GcpAssetReader.Read(TestData.Stream(json), "projects.json");

        // Then it is imported, or quarantined at `projectId`
        Assert.Equal(valid ? new ImportCounts(1, 0, 0) : new ImportCounts(0, 0, 1), result.Counts);
        if (valid) { Assert.Empty(result.Diagnostics); return; }
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.GcpBadName, "$[0].projectId"), (error.Code, error.Location!.JsonPath));
        Assert.Contains($"`{projectId}`", error.Message, StringComparison.Ordinal);
    }
}
