using System.Text.Json.Nodes;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Import.Aws;
using Ciem.Import.Azure;
using Ciem.Import.Gcp;

namespace Ciem.Import.Tests;

/// <summary>The tags and labels the environment is read from: Organizations account tags, Azure subscription and resource-group tags, GCP project labels.</summary>
public sealed class EnvironmentTagsTests
{
    [Fact]
    public void OrganizationsReader_ListTagsForResource_TagsOnAccountsAndOus()
    {
        // Given the sample bundle, whose `list-tags-for-resource` tags both accounts
        // When read
        var result = OrganizationsReader.ReadFile(TestData.Sample("aws", "organization.json"), TestData.TakenAt);

        // Then each account carries its tags in order, untagged units carry none, and nothing is reported
        Assert.Empty(result.Diagnostics);
        var org = result.Value!;
        Assert.Equal([new("env", "prod"), new("cost-center", "payments")], org.Accounts.Single(a => a.Id == "222222222222").Tags.ToArray());
        Assert.Equal("shared", org.Accounts.Single(a => a.Id == "111111111111").Tags.Single(t => t.Key == "env").Value);
        Assert.All(org.Units, u => Assert.Empty(u.Tags));
    }

    [Fact]
    public void OrganizationsReader_TagsOfUnknownIdAndTagWithoutKey_WarnedAndSkipped()
    {
        // Given tags for an account outside the tree and an OU tag with no `Key`
        var bundle = JsonNode.Parse(File.ReadAllText(TestData.Sample("aws", "organization.json")))!;
        bundle["list-tags-for-resource"]!["999999999999"] = JsonNode.Parse("""{"Tags":[{"Key":"env","Value":"prod"}]}""");
        bundle["list-tags-for-resource"]!["ou-a1b2-k3l4m5n6"] = JsonNode.Parse("""{"Tags":[{"Value":"prod"},{"Key":"Environment","Value":"Production"}]}""");

        // When read
        var result = OrganizationsReader.Read(TestData.Stream(bundle.ToJsonString()), "bundle.json", TestData.TakenAt);

        // Then both are located warnings, the good tag is kept, and the organization is still imported
        Assert.Equal(
            [(DiagnosticCodes.ImportMissingField, "$['list-tags-for-resource']['ou-a1b2-k3l4m5n6'].Tags[0]"), (DiagnosticCodes.ImportDanglingReference, "$['list-tags-for-resource']['999999999999']")],
            result.Diagnostics.Select(d => (d.Code, d.Location!.JsonPath!)).Order().ToArray());
        Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        Assert.Equal([new("Environment", "Production")], result.Value!.Units.Single(u => u.Id == "ou-a1b2-k3l4m5n6").Tags.ToArray());
    }

    [Fact]
    public void SubscriptionsReader_ArmListWithTags_TagsKept()
    {
        // Given ARM `GET /subscriptions` (as `az rest` prints it), one subscription tagged, one with `tags` null
        const string json = """
            {"value":[
              {"id":"/subscriptions/11111111-1111-4111-8111-111111111111","authorizationSource":"RoleBased","managedByTenants":[],
               "tags":{"env":"prod","costCenter":"4711"},"subscriptionId":"11111111-1111-4111-8111-111111111111","tenantId":"72f9a0be-0000-4000-8000-00000000c0de",
               "displayName":"contoso-platform","state":"Enabled","subscriptionPolicies":{"locationPlacementId":"Public_2014-09-01","quotaId":"EnterpriseAgreement_2014-09-01","spendingLimit":"Off"}},
              {"id":"/subscriptions/22222222-2222-4222-8222-222222222222","authorizationSource":"RoleBased","managedByTenants":[],"tags":null,
               "subscriptionId":"22222222-2222-4222-8222-222222222222","tenantId":"72f9a0be-0000-4000-8000-00000000c0de","displayName":"contoso-staging","state":"Enabled"}
            ],"count":{"type":"Total","value":2}}
            """;

        // When read
        var result = SubscriptionsReader.Read(TestData.Stream(json), "subscriptions.json");

        // Then the tags of the first are kept and the second has none
        Assert.Equal(2, result.Counts.Imported);
        Assert.Equal("prod", result.Value[0].Tags!["env"]);
        Assert.Equal("4711", result.Value[0].Tags!["costCenter"]);
        Assert.Null(result.Value[1].Tags);
    }

    [Fact]
    public void ResourceGroupsReader_SampleGroupList_TagsKept()
    {
        // Given `az group list` of samples/azure: rg-app tagged env=prod, rg-sandbox with `tags` null
        // When read
        var result = ResourceGroupsReader.Read(File.OpenRead(TestData.Sample("azure", "resource-groups.json")), "resource-groups.json");

        // Then the tags are on the groups
        Assert.Equal("prod", result.Value.Single(g => g.Name == "rg-app").Tags!["env"]);
        Assert.Null(result.Value.Single(g => g.Name == "rg-sandbox").Tags);
    }

    [Fact]
    public void GcpAssetReader_ProjectAndFolder_LabelsAndDisplayNameKept()
    {
        // Given a Cloud Asset Inventory export of a folder and a labelled project in it
        const string json = """
            {"name":"//cloudresourcemanager.googleapis.com/folders/345678901234","asset_type":"cloudresourcemanager.googleapis.com/Folder","resource":{"version":"v2","discovery_name":"Folder","parent":"//cloudresourcemanager.googleapis.com/organizations/123456789012","data":{"displayName":"prod","lifecycleState":"ACTIVE","name":"folders/345678901234","parent":"organizations/123456789012"}},"ancestors":["folders/345678901234","organizations/123456789012"]}
            {"name":"//cloudresourcemanager.googleapis.com/projects/222222222222","asset_type":"cloudresourcemanager.googleapis.com/Project","resource":{"version":"v1","discovery_name":"Project","parent":"//cloudresourcemanager.googleapis.com/folders/345678901234","data":{"projectId":"acme-payments","projectNumber":"222222222222","lifecycleState":"ACTIVE","name":"acme-payments","labels":{"env":"preprod","team":"payments"},"parent":{"type":"folder","id":"345678901234"}}},"ancestors":["projects/222222222222","folders/345678901234","organizations/123456789012"]}
            """;

        // When read and indexed
        var result = GcpAssetReader.Read(TestData.Stream(json), "assets.json");
        var policies = GcpPolicySet.Create(result.Value);

        // Then the project keeps its labels and id, the folder its display name, even though the ancestors list names them again
        Assert.True(policies.TryGetResource("//cloudresourcemanager.googleapis.com/projects/acme-payments", out var project));
        Assert.Equal(("acme-payments", "preprod"), (project!.DisplayName, project.Labels!["env"]));
        Assert.True(policies.TryGetResource("//cloudresourcemanager.googleapis.com/folders/345678901234", out var folder));
        Assert.Equal("prod", folder!.DisplayName);
    }

    [Fact]
    public void GcpAssetReader_GcloudProjectsList_ProjectsUnderTheirParentsWithLabels()
    {
        // Given `gcloud projects list --format=json`: one project in a folder with labels, one under the organization without
        const string json = """
            [
              {"createTime":"2024-03-01T09:12:44.120Z","labels":{"env":"prod","team":"payments"},"lifecycleState":"ACTIVE","name":"acme-payments",
               "parent":{"id":"345678901234","type":"folder"},"projectId":"acme-payments","projectNumber":"222222222222"},
              {"createTime":"2023-01-10T10:00:00.000Z","lifecycleState":"ACTIVE","name":"acme-sandbox",
               "parent":{"id":"123456789012","type":"organization"},"projectId":"acme-sandbox","projectNumber":"333333333333"}
            ]
            """;

        // When read and indexed
        var result = GcpAssetReader.Read(TestData.Stream(json), "projects.json");
        var policies = GcpPolicySet.Create(result.Value);

        // Then both are imported, named by number, found by id, placed under their parents, with their labels
        Assert.Equal(2, result.Counts.Imported);
        Assert.Empty(result.Diagnostics);
        Assert.True(policies.TryGetResource("//cloudresourcemanager.googleapis.com/projects/acme-payments", out var payments));
        Assert.Equal(("//cloudresourcemanager.googleapis.com/projects/222222222222", "//cloudresourcemanager.googleapis.com/folders/345678901234", "prod"),
            (payments!.Name, payments.Parent, payments.Labels!["env"]));
        Assert.True(policies.TryGetResource("//cloudresourcemanager.googleapis.com/projects/333333333333", out var sandbox));
        Assert.Equal(("//cloudresourcemanager.googleapis.com/organizations/123456789012", "acme-sandbox"), (sandbox!.Parent, sandbox.DisplayName));
        Assert.Null(sandbox.Labels);
    }
}
