using Ciem.Core.Aws.Inventory;
using Ciem.Core.Azure;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Sweep;

namespace Ciem.Core.Tests.Sweep;

public sealed class EnvironmentResolverTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static AwsOrganization Organization(params OrgAccount[] accounts) => new("o-abc1234567", "111111111111", AsOf, "r-1",
        [new OrgUnit("r-1", "Root", null, true), new OrgUnit("ou-prod", "Production", "r-1", false), new OrgUnit("ou-work", "Workloads", "r-1", false, [new("Environment", "Staging")])],
        [.. accounts], []);

    [Theory]
    [InlineData("prod", "prod")]
    [InlineData("Production", "prod")]
    [InlineData("acme-prd-eu", "prod")]
    [InlineData("pre-prod", "preprod")]
    [InlineData("PreProd", "preprod")]
    [InlineData("uat", "preprod")]
    [InlineData("staging", "preprod")]
    [InlineData("sandbox", "dev")]
    [InlineData("team_dev", "dev")]
    [InlineData("shared-services", null)]
    [InlineData("", null)]
    public void Classify_ValueOrName_Environment(string text, string? expected)
    {
        // Given a tag value or a name / When classified / Then its tokens give the environment
        Assert.Equal(expected, EnvironmentResolver.Classify(text));
    }

    [Fact]
    public void ForAwsAccount_AccountTagged_TagWinsOverTheProductionOu()
    {
        // Given an account named like production, in the Production OU, but tagged env=preprod (list-tags-for-resource)
        var org = Organization(new OrgAccount("222222222222", "payments-prod", null, "ACTIVE", "ou-prod", [new("owner", "payments"), new("env", "preprod")]));

        // When its environment is resolved
        var env = EnvironmentResolver.ForAwsAccount(org, "222222222222");

        // Then the tag decides and is recorded as the source
        Assert.Equal(("preprod", EnvironmentSource.Tag, "env=preprod on account 222222222222"), (env.Name, env.Source, env.Evidence));
    }

    [Fact]
    public void ForAwsAccount_OuTagged_TagOfTheOuBeforeAnyName()
    {
        // Given an untagged account named `billing-prod` in an OU tagged Environment=Staging
        var org = Organization(new OrgAccount("333333333333", "billing-prod", null, "ACTIVE", "ou-work"));

        // When resolved / Then the OU's tag wins over the account's name (tags first, at every level)
        var env = EnvironmentResolver.ForAwsAccount(org, "333333333333");
        Assert.Equal(("preprod", EnvironmentSource.Tag, "Environment=Staging on OU ou-work"), (env.Name, env.Source, env.Evidence));
    }

    [Fact]
    public void ForAwsAccount_NoTags_NameOfTheOuAboveAsFallback()
    {
        // Given an untagged account with a neutral name in the Production OU
        var org = Organization(new OrgAccount("444444444444", "payments", null, "ACTIVE", "ou-prod"));

        // When resolved / Then the OU name gives prod, recorded as a name
        var env = EnvironmentResolver.ForAwsAccount(org, "444444444444");
        Assert.Equal(("prod", EnvironmentSource.Name, "name `Production` of OU ou-prod"), (env.Name, env.Source, env.Evidence));
        Assert.Equal(ResolvedEnvironment.Other, EnvironmentResolver.ForAwsAccount(null, "444444444444"));
    }

    [Fact]
    public void ForAzureScope_ResourceGroupTagged_WinsOverTheSubscriptionTag()
    {
        // Given a subscription tagged env=prod (ARM `tags`) holding a resource group tagged environment=uat (`az group list`)
        const string sub = "11111111-1111-4111-8111-111111111111";
        var inventory = AzureInventory.Empty with
        {
            Subscriptions = [new Subscription(sub, "contoso-platform", "Enabled", null, null, new Dictionary<string, string> { ["env"] = "prod" })],
            ResourceGroups = [new ResourceGroup($"/subscriptions/{sub}/resourceGroups/rg-batch", "rg-batch", sub, "westeurope", new Dictionary<string, string> { ["environment"] = "uat" })],
        };

        // When a scope inside the group, the group and another group of the subscription are resolved
        var vm = EnvironmentResolver.ForAzureScope(inventory, $"/subscriptions/{sub}/resourceGroups/rg-batch/providers/Microsoft.Compute/virtualMachines/vm1");
        var other = EnvironmentResolver.ForAzureScope(inventory, $"/subscriptions/{sub}/resourceGroups/rg-web");

        // Then the group's tag decides inside it, the subscription's tag elsewhere
        Assert.Equal(("preprod", EnvironmentSource.Tag, "environment=uat on resource group rg-batch"), (vm.Name, vm.Source, vm.Evidence));
        Assert.Equal(("prod", EnvironmentSource.Tag, "env=prod on subscription contoso-platform"), (other.Name, other.Source, other.Evidence));
    }

    [Fact]
    public void ForAzureScope_NoTags_SubscriptionThenManagementGroupNames()
    {
        // Given an untagged subscription `contoso-shared` under the management group `Sandbox`, and one named `contoso-staging`
        const string shared = "22222222-2222-4222-8222-222222222222";
        const string staging = "33333333-3333-4333-8333-333333333333";
        var inventory = AzureInventory.Empty with
        {
            ManagementGroups = [new ManagementGroup("/providers/Microsoft.Management/managementGroups/mg-sandbox", "mg-sandbox", "Sandbox", null)],
            Subscriptions =
            [
                new Subscription(shared, "contoso-shared", "Enabled", null, "/providers/Microsoft.Management/managementGroups/mg-sandbox"),
                new Subscription(staging, "contoso-staging", "Enabled", null, null),
            ],
        };

        // When resolved / Then names decide: the management group for the first, the subscription for the second
        Assert.Equal(("dev", EnvironmentSource.Name), (EnvironmentResolver.ForAzureScope(inventory, $"/subscriptions/{shared}").Name, EnvironmentResolver.ForAzureScope(inventory, $"/subscriptions/{shared}").Source));
        Assert.Equal("preprod", EnvironmentResolver.ForAzureScope(inventory, $"/subscriptions/{staging}/resourceGroups/rg").Name);
        Assert.Equal(ResolvedEnvironment.Other, EnvironmentResolver.ForAzureScope(inventory, "/"));
    }

    [Fact]
    public void ForGcpResource_ProjectLabelled_LabelWinsOverTheFolderName()
    {
        // Given a folder `production` with a project labelled env=preprod and an unlabelled project
        const string org = "//cloudresourcemanager.googleapis.com/organizations/1";
        const string folder = "//cloudresourcemanager.googleapis.com/folders/10";
        const string web = "//cloudresourcemanager.googleapis.com/projects/acme-web";
        const string core = "//cloudresourcemanager.googleapis.com/projects/acme-core";
        var policies = GcpPolicySet.Create(GcpInventory.Empty with
        {
            Resources =
            [
                new(org, "cloudresourcemanager.googleapis.com/Organization", null, []),
                new(folder, "cloudresourcemanager.googleapis.com/Folder", org, [], "production"),
                new(web, "cloudresourcemanager.googleapis.com/Project", folder, [], "acme-web", new Dictionary<string, string> { ["env"] = "preprod", ["team"] = "web" }),
                new(core, "cloudresourcemanager.googleapis.com/Project", folder, [], "acme-core"),
                // The same project seen again through a policy's ancestors, without labels, does not erase them.
                new(web, "cloudresourcemanager.googleapis.com/Project", folder, []),
            ],
        });

        // When a bucket of the labelled project and the other project are resolved
        var bucket = EnvironmentResolver.ForGcpResource(policies, "//storage.googleapis.com/projects/acme-web/buckets/assets");
        var other = EnvironmentResolver.ForGcpResource(policies, core);

        // Then the label decides for the first, the folder's name for the second
        Assert.Equal(("preprod", EnvironmentSource.Tag, "env=preprod on project acme-web"), (bucket.Name, bucket.Source, bucket.Evidence));
        Assert.Equal(("prod", EnvironmentSource.Name, "name `production` of folder production"), (other.Name, other.Source, other.Evidence));
    }

    [Fact]
    public void MostSensitive_SeveralEnvironments_ProdFirstThenPreprod()
    {
        // Given grants in dev, preprod and prod / When combined / Then prod; without prod, preprod; none gives other
        var dev = new ResolvedEnvironment("dev", EnvironmentSource.Name, "a");
        var pre = new ResolvedEnvironment("preprod", EnvironmentSource.Tag, "b");
        var prod = new ResolvedEnvironment("prod", EnvironmentSource.Tag, "c");
        Assert.Equal(prod, EnvironmentResolver.MostSensitive([dev, prod, pre]));
        Assert.Equal(pre, EnvironmentResolver.MostSensitive([dev, pre]));
        Assert.Equal(ResolvedEnvironment.Other, EnvironmentResolver.MostSensitive([]));
    }
}
