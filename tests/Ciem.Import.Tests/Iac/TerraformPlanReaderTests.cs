using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Import.Iac;
using Ciem.Tests;

namespace Ciem.Import.Tests.Iac;

[Trait("Category", "SharedData")]
public sealed class TerraformPlanReaderTests
{
    private static IacReadResult ReadRegula(string name) =>
        TerraformPlanReader.Read(File.ReadAllText(TestPaths.Shared("regula-terraform-iam", "rego", "tests", "rules", "tf", "aws", "iam", "inputs", name)), name);

    [Fact]
    public void Read_RegulaAdminPlan_FindsEveryIamResourceAndPrincipal()
    {
        // When the regula admin-policy plan is read
        var result = ReadRegula("admin_policy_infra.json");
        // Then its 11 IAM resources give a group, a role, a user and two unattached managed policies
        Assert.Equal(11, result.IamResources);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["user/my_test_user", "role/my_test_role", "group/my_group", "policy/test_invalid_policy", "policy/test_valid_deny_policy"], result.Changes.Select(c => c.Id));
        var group = result.Changes.Single(c => c.Kind == GatePrincipalKind.Group);
        Assert.Equal(2, group.After.Length);
        Assert.Empty(group.Before);
        Assert.Equal("$.resource_changes[1].change.after.policy", group.After[0].Location.JsonPath);
        Assert.NotNull(result.Changes.Single(c => c.Kind == GatePrincipalKind.Role).TrustAfter?.Document);
    }

    [Fact]
    public void Read_RegulaAdminPlan_GroupRoleAndUserBecomeAdministrators()
    {
        // Given the plan's principals
        var result = ReadRegula("admin_policy_infra.json");
        var calculator = new PermissionDeltaCalculator(AwsActionCatalog.Default);
        // When the rules run
        var admins = result.Changes.SelectMany(c => AwsGateRules.Evaluate(calculator.Compute(c))).Where(f => f.RuleId == GateRules.NewAdmin).Select(f => f.Principal).Order(StringComparer.Ordinal);
        // Then the three principals with `*` inline policies and the `*` managed policy are administrative; the deny-all policy is not
        Assert.Equal(["group/my_group", "policy/test_invalid_policy", "role/my_test_role", "user/my_test_user"], admins);
    }

    [Fact]
    public void Read_RegulaAttachmentPlan_ResolvesUnknownPolicyArnsThroughConfiguration()
    {
        // When the plan with attachments (policy_arn known only after apply) is read
        var result = ReadRegula("user_attached_policy_infra.json");
        // Then all 26 resources are IAM and every attachment resolves to the plan's policy text
        Assert.Equal(26, result.IamResources);
        var user = result.Changes.Single(c => c.Id == "user/invalid_normal_policy_user");
        var attached = Assert.Single(user.After);
        Assert.NotNull(attached.Document);
        Assert.Equal("$.resource_changes[6].change.after.policy", attached.Location.JsonPath);
        Assert.DoesNotContain(result.Changes, c => c.Kind == GatePrincipalKind.Policy && c.Name == "invalid_normal_policy");
        Assert.Equal(10, result.Changes.Length);
    }

    [Fact]
    public void Read_RegulaAttachmentPlan_GroupMembersGetTheGroupsPolicies()
    {
        // Given users added to groups whose policy is attached in the same plan
        var result = ReadRegula("user_attached_policy_infra.json");
        // Then each member has the group's policy on the after side
        var user = result.Changes.Single(c => c.Id == "user/valid_group_blank_user");
        var policy = Assert.Single(user.After);
        Assert.Equal("aws_iam_policy.valid_group_blank_users_policy", policy.Name);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Read_UnknownPolicy_KeptAsIndeterminateWithPath()
    {
        // Given a role policy whose text is known only after apply, from no data source
        const string plan = """
        {"format_version":"1.2","resource_changes":[
          {"address":"aws_iam_role_policy.p","mode":"managed","type":"aws_iam_role_policy","name":"p",
           "change":{"actions":["create"],"before":null,"after":{"name":"p","role":"app"},"after_unknown":{"policy":true,"id":true}}}]}
        """;
        var result = TerraformPlanReader.Read(plan, "plan.json");
        // Then the policy is present, unknown, and located
        var policy = Assert.Single(Assert.Single(result.Changes).After);
        Assert.True(policy.IsUnknown);
        Assert.Equal("$.resource_changes[0].change.after.policy", policy.Location.JsonPath);
    }

    [Fact]
    public void Read_PolicyDocumentDataSource_UsedForUnknownPolicy()
    {
        // Given a policy that references an aws_iam_policy_document whose json is known
        const string plan = """
        {"format_version":"1.2","resource_changes":[
          {"address":"data.aws_iam_policy_document.d","mode":"data","type":"aws_iam_policy_document","name":"d",
           "change":{"actions":["read"],"before":null,"after":{"json":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"}}},
          {"address":"aws_iam_role_policy.p","mode":"managed","type":"aws_iam_role_policy","name":"p",
           "change":{"actions":["create"],"before":null,"after":{"name":"p","role":"app"},"after_unknown":{"policy":true}}}],
         "configuration":{"root_module":{"resources":[{"address":"aws_iam_role_policy.p","expressions":{"policy":{"references":["data.aws_iam_policy_document.d.json","data.aws_iam_policy_document.d"]}}}]}}}
        """;
        var policy = Assert.Single(Assert.Single(TerraformPlanReader.Read(plan, "plan.json").Changes).After);
        Assert.NotNull(policy.Document);
        Assert.Equal("$.resource_changes[0].change.after.json", policy.Location.JsonPath);
    }

    [Fact]
    public void Read_BadPolicyString_LocatedDiagnostic()
    {
        const string plan = """
        {"format_version":"1.2","resource_changes":[
          {"address":"aws_iam_user_policy.p","mode":"managed","type":"aws_iam_user_policy","name":"p",
           "change":{"actions":["create"],"before":null,"after":{"name":"p","user":"bob","policy":"{not json"}}}]}
        """;
        var result = TerraformPlanReader.Read(plan, "plan.json");
        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("$.resource_changes[0].change.after.policy", d.Location?.JsonPath);
        Assert.True(Assert.Single(Assert.Single(result.Changes).After).IsUnknown);
    }

    [Theory]
    [InlineData("{oops")]
    [InlineData("{\"a\":1}")]
    public void Read_NotAPlan_Error(string text) =>
        Assert.Contains(TerraformPlanReader.Read(text, "x.json").Diagnostics, d => d.Code == DiagnosticCodes.GateNotAPlan && d.Severity == Severity.Error);
}
