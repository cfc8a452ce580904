using Ciem.Core.Aws.Gate;
using Ciem.Core.Azure.Gate;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;
using Ciem.Core.Gcp.Gate;
using Ciem.Import.Iac;
using Ciem.Tests;

namespace Ciem.Import.Tests.Iac;

/// <summary>Azure, GCP and AWS resource-policy resources read from plans (terraform show -json), HCL source and CloudFormation.</summary>
public sealed class CloudResourceCollectorTests
{
    private static string Clouds(params string[] parts) => TestPaths.Repo(["tests", "Ciem.Import.Tests", "Iac", "Clouds", .. parts]);

    private static IacReadResult Plan(string name) => TerraformPlanReader.Read(File.ReadAllText(Clouds(name)), name);

    private static TerraformModule Hcl(params string[] files) =>
        new([.. files.Select(f => (f, File.ReadAllText(Clouds("hcl", f))))], _ => null);

    [Fact]
    public void Read_AzurePlan_DefinitionsAndAssignmentsWithReferencesResolved()
    {
        // When the Azure plan is read
        var result = Plan("azure-plan.json");
        var azure = result.Clouds.Azure;
        // Then the deleted Owner assignment is on the before side only, and the after side has three assignments and the custom role
        Assert.Equal(5, result.Clouds.Resources);
        var deleted = Assert.Single(azure.Before.Assignments);
        Assert.Equal(("Owner", "c0a8f2d1-7e4b-4a39-9b15-2f6e8d0c1a3b"), (deleted.Assignment.RoleDefinitionGuid == "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" ? "Owner" : "?", deleted.Assignment.PrincipalId));
        Assert.Equal(["azurerm_role_assignment.blob_reader", "azurerm_role_assignment.deployer_contributor", "azurerm_role_assignment.ops_vm_operator"], azure.After.Assignments.Select(a => a.Assignment.Id).Order(StringComparer.Ordinal));
        // A principal known only after apply stays symbolic; a role known by name keeps its name when its id is computed
        var deployer = azure.After.Assignments.Single(a => a.Assignment.Id.EndsWith("deployer_contributor", StringComparison.Ordinal));
        Assert.Equal("{azurerm_user_assigned_identity.deployer.principal_id}", deployer.Assignment.PrincipalId);
        Assert.Equal("Contributor", deployer.Assignment.RoleDefinitionName);
        Assert.Equal("$.resource_changes[0].change.after", deployer.Location.JsonPath);
        // The custom role's id is computed: the assignment that references it gets its placeholder id
        var role = Assert.Single(azure.After.Definitions);
        Assert.Equal("VM Operator (app)", role.Definition.RoleName);
        Assert.Equal(3, role.Definition.Permissions[0].Actions.Length);
        var ops = azure.After.Assignments.Single(a => a.Assignment.Id.EndsWith("ops_vm_operator", StringComparison.Ordinal));
        Assert.Equal(role.Definition.Name, ops.Assignment.RoleDefinitionId);
        // The ABAC condition is kept as written
        Assert.StartsWith("((!(ActionMatches{", azure.After.Assignments.Single(a => a.Assignment.Id.EndsWith("blob_reader", StringComparison.Ordinal)).Assignment.Condition, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GcpPlan_BindingsOnFullResourceNamesAndCustomRoleByReference()
    {
        // When the GCP plan is read
        var gcp = Plan("gcp-plan.json").Clouds.Gcp;
        // Then each binding is on the full resource name the inventory uses
        var resources = gcp.After.Bindings.Select(b => b.Resource).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal([
            "//cloudresourcemanager.googleapis.com/organizations/123456789012",
            "//cloudresourcemanager.googleapis.com/projects/acme-prod",
            "//iam.googleapis.com/projects/acme-prod/serviceAccounts/runner@acme-prod.iam.gserviceaccount.com",
            "//storage.googleapis.com/acme-public-assets"], resources);
        // The role known only after apply is the change's custom role; the member stays symbolic
        var deployer = gcp.After.Bindings.Single(b => b.Address == "google_project_iam_member.deployer");
        Assert.Equal("projects/acme-prod/roles/appDeployer", deployer.Role);
        Assert.Equal(["{google_service_account.deployer.member}"], deployer.Members.AsEnumerable());
        // `_iam_binding` replaces members on both sides; the conditional member keeps its condition
        var binding = gcp.After.Bindings.Single(b => b.Mode == GcpBindingMode.Binding);
        Assert.Equal(["group:platform-oncall@acme.example", "user:dana@acme.example"], binding.Members.AsEnumerable());
        Assert.Equal(["group:platform-oncall@acme.example"], Assert.Single(gcp.Before.Bindings).Members.AsEnumerable());
        Assert.Equal("until-2027", gcp.After.Bindings.Single(b => b.Role == "roles/logging.viewer").Condition!.Title);
        Assert.Equal(["iam.serviceAccounts.actAs"], Assert.Single(gcp.After.Roles).Role.IncludedPermissions.Where(p => p.StartsWith("iam.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Read_AwsResourcePolicyPlan_EveryTypeAndTheLambdaStatement()
    {
        // When the plan of resource policies is read
        var policies = Plan("aws-resource-policies-plan.json").Clouds.ResourcePolicies;
        // Then every resource policy type is there, named by its resource
        Assert.Equal(["aws_ecr_repository_policy/builds", "aws_kms_key/aws_kms_key.exports", "aws_lambda_permission/thumbnailer", "aws_lambda_permission/status-page",
            "aws_s3_bucket_policy/acme-shared", "aws_s3_bucket_policy/acme-site", "aws_secretsmanager_secret_policy/arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf",
            "aws_sns_topic_policy/arn:aws:sns:eu-west-1:111122223333:alerts", "aws_sqs_queue_policy/https://sqs.eu-west-1.amazonaws.com/111122223333/orders"],
            policies.Select(p => $"{p.ResourceType}/{p.Name}"));
        // A policy known only after apply is unknown content; a Lambda permission is the statement Lambda adds
        Assert.True(policies[0].After!.IsUnknown);
        var url = policies.Single(p => p.Name == "status-page").After!.Document!.Statements[0];
        Assert.True(url.Principal!.IsWildcard);
        Assert.Equal(("StringEquals", "lambda:FunctionUrlAuthType", "NONE"), (url.Conditions[0].Operator, url.Conditions[0].Key, url.Conditions[0].Values[0]));
        var s3 = policies.Single(p => p.Name == "thumbnailer").After!.Document!.Statements[0];
        Assert.Equal("s3.amazonaws.com", s3.Principal!.Values[0].Value);
        Assert.Equal(2, s3.Conditions.Length);
        // An update has both sides
        Assert.NotNull(policies.Single(p => p.ResourceType == "aws_sns_topic_policy").Before);
    }

    private static readonly HashSet<string> OwnAccount = ["111122223333"];

    private static List<string> Findings(IEnumerable<ResourcePolicyChange> changes) =>
        [.. changes.SelectMany(c => ResourcePolicyRules.Evaluate(c, OwnAccount)).Select(f => $"{f.RuleId} {f.Principal}")];

    [Fact]
    public void Read_AwsInlinePolicyPlan_ReadLikeTheDedicatedResources()
    {
        // When a plan with `policy` set on a bucket, a queue and a secret (and left out on a bucket, a topic and a repository) is read
        var result = Plan("aws-inline-policies-plan.json");
        var policies = result.Clouds.ResourcePolicies;

        // Then the three configured policies are resource policies named by their resource; the computed defaults are not
        Assert.Equal(["aws_s3_bucket/acme-site", "aws_secretsmanager_secret/db", "aws_sqs_queue/orders"], policies.Select(p => $"{p.ResourceType}/{p.Name}"));
        Assert.Equal(3, result.Clouds.Resources);
        Assert.NotNull(policies.Single(p => p.ResourceType == "aws_sqs_queue").Before);
        // And the public bucket and the partner account added to the queue are findings; the secret of the own account is not
        Assert.Equal(["new-public-trust resource/aws_s3_bucket/acme-site", "new-cross-account-trust resource/aws_sqs_queue/orders"], Findings(policies));
    }

    [Fact]
    public void Read_HclInlinePolicies_ReadLikeTheDedicatedResources()
    {
        // When HCL sets `policy` with jsonencode on a bucket, a heredoc on a queue and a policy document on a secret
        var result = TerraformHclReader.Read(null, Hcl("aws-inline.tf"));
        var policies = result.Clouds.ResourcePolicies;

        // Then each is read, and the bucket, topic and repository without one are not
        Assert.Equal(["aws_s3_bucket/acme-site", "aws_secretsmanager_secret/db", "aws_sqs_queue/orders"], policies.Select(p => $"{p.ResourceType}/{p.Name}"));
        var queue = policies.Single(p => p.ResourceType == "aws_sqs_queue").After!;
        Assert.Equal(31, queue.LocationOf(queue.Document!.Statements[0]).Line);
        Assert.Equal(["new-public-trust resource/aws_s3_bucket/acme-site", "new-cross-account-trust resource/aws_sqs_queue/orders"], Findings(policies));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);

        // And an unchanged module has no change to report
        Assert.Empty(TerraformHclReader.Read(Hcl("aws-inline.tf"), Hcl("aws-inline.tf")).Clouds.ResourcePolicies);
    }

    [Fact]
    public void Read_HclModule_AzureReferencesResolvedWithinTheFolder()
    {
        // When the Azure source is read without a base
        var azure = TerraformHclReader.Read(null, Hcl("azure.tf")).Clouds.Azure;
        // Then scopes by reference keep their kind, the custom role is resolved, the data source's role name is used
        var deployer = azure.After.Assignments.Single(a => a.Assignment.Id == "azurerm_role_assignment.deployer");
        Assert.Equal("/subscriptions/{data.azurerm_subscription.primary}", deployer.Assignment.Scope);
        Assert.False(deployer.ScopeUnknown);
        Assert.Equal(new SourceLocation("azure.tf", 31), deployer.Location);
        var ops = azure.After.Assignments.Single(a => a.Assignment.Id == "azurerm_role_assignment.ops");
        Assert.Equal("{var.ops_group_object_id}", ops.Assignment.PrincipalId);
        Assert.Equal(Assert.Single(azure.After.Definitions).Definition.Name, ops.Assignment.RoleDefinitionId);
        Assert.Equal("VM Operator ({var.env})", azure.After.Definitions[0].Definition.RoleName);
        var reports = azure.After.Assignments.Single(a => a.Assignment.Id == "azurerm_role_assignment.reports");
        Assert.Equal("Storage Blob Data Reader", reports.Assignment.RoleDefinitionName);
        Assert.True(reports.ScopeUnknown);
        // The heredoc condition keeps its text, without the heredoc's indentation
        Assert.StartsWith("(\n (\n  !(ActionMatches{", reports.Assignment.Condition, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HclModule_GcpPolicyDataFromTheDataSource()
    {
        // When the GCP source is read
        var gcp = TerraformHclReader.Read(null, Hcl("gcp.tf")).Clouds.Gcp;
        // Then the folder policy's bindings come from the google_iam_policy data source, authoritative for the folder
        Assert.Equal(["//cloudresourcemanager.googleapis.com/folders/345678901234"], gcp.After.PolicyResources.AsEnumerable());
        var folder = gcp.After.Bindings.Where(b => b.Mode == GcpBindingMode.Policy).ToList();
        Assert.Equal(["roles/resourcemanager.folderAdmin", "roles/viewer"], folder.Select(b => b.Role));
        Assert.Equal(new SourceLocation("gcp.tf", 29), folder[0].Location);
        // Interpolated members and variables stay symbolic; the custom role is resolved by reference
        Assert.Equal(["serviceAccount:{google_service_account.ci.email}"], gcp.After.Bindings.Single(b => b.Address == "google_project_iam_member.ci_editor").Members.AsEnumerable());
        Assert.Equal("//cloudresourcemanager.googleapis.com/projects/{var.project_id}", gcp.After.Bindings.Single(b => b.Address == "google_project_iam_member.ci_editor").Resource);
        Assert.Equal("projects/acme-prod/roles/appDeployer", gcp.After.Bindings.Single(b => b.Address == "google_project_iam_member.deployer").Role);
        Assert.Equal("request.time < timestamp(\"2027-01-01T00:00:00Z\")", gcp.After.Bindings.Single(b => b.Mode == GcpBindingMode.Binding).Condition!.Expression);
    }

    [Fact]
    public void Read_HclModule_ResourcePoliciesInEveryStyle()
    {
        // When the AWS resource policies are read (a policy document, jsonencode, a heredoc, a Lambda permission)
        var result = TerraformHclReader.Read(null, Hcl("aws.tf"));
        var policies = result.Clouds.ResourcePolicies;
        // Then each is parsed with symbols kept, at its source line
        Assert.Equal(["aws_kms_key", "aws_lambda_permission", "aws_s3_bucket_policy", "aws_sqs_queue_policy"], policies.Select(p => p.ResourceType));
        var site = policies.Single(p => p.ResourceType == "aws_s3_bucket_policy").After!;
        Assert.True(site.Document!.Statements[0].Principal!.IsWildcard);
        Assert.Equal("{aws_s3_bucket.site.arn}/*", site.Document.Statements[0].Resources[0]);
        var kms = policies.Single(p => p.ResourceType == "aws_kms_key").After!;
        Assert.Equal("arn:aws:iam::{data.aws_caller_identity.current.account_id}:root", kms.Document!.Statements[0].Principal!.Values[0].Value);
        Assert.Equal(59, kms.LocationOf(kms.Document.Statements[1]).Line);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
    }

    [Fact]
    public void Read_HclUnchangedModule_NoCloudFindings()
    {
        // Given the same source on both sides
        var result = TerraformHclReader.Read(Hcl("azure.tf", "gcp.tf", "aws.tf"), Hcl("azure.tf", "gcp.tf", "aws.tf"));
        // Then resource policies are not changes, and no Azure or GCP principal is touched
        Assert.Empty(result.Clouds.ResourcePolicies);
        Assert.Empty(AzureGate.Evaluate(result.Clouds.Azure, null, Ciem.Core.Azure.Catalog.AzureOperationCatalog.Default).Deltas);
        Assert.Empty(GcpGate.Evaluate(result.Clouds.Gcp, null, Ciem.Core.Gcp.Catalog.GcpRoleCatalog.Default).Deltas);
    }

    [Fact]
    public void Read_CloudFormationResourcePolicies_ChangedOnly()
    {
        // Given a template whose bucket policy becomes public and whose queue policy does not change
        const string Before = """
            Resources:
              SitePolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref Site
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }
                        Action: s3:GetObject
                        Resource: !Sub "${Site.Arn}/*"
              QueuePolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  Queues: [!Ref Queue]
                  PolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: { Service: sns.amazonaws.com }
                        Action: sqs:SendMessage
                        Resource: !GetAtt Queue.Arn
            """;
        var after = Before.Replace("""Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }""", "Principal: \"*\"", StringComparison.Ordinal)
            + """

              Key:
                Type: AWS::KMS::Key
                Properties:
                  KeyPolicy:
                    Version: "2012-10-17"
                    Statement:
                      - Sid: Partner
                        Effect: Allow
                        Principal: { AWS: "arn:aws:iam::444455556666:root" }
                        Action: kms:Decrypt
                        Resource: "*"
              Topic:
                Type: AWS::SNS::TopicPolicy
                Properties:
                  Topics: [!Ref Alerts]
                  PolicyDocument: !If [Prod, { Statement: [] }, { Statement: [] }]
            """;
        // When read
        var result = CloudFormationReader.Read(Before, "old.yaml", after, "new.yaml");
        // Then the bucket policy, the key and the topic are changes, each at its line; the queue is not
        var policies = result.Clouds.ResourcePolicies;
        Assert.Equal(["Key", "SitePolicy", "Topic"], policies.Select(p => p.Name));
        var site = policies.Single(p => p.Name == "SitePolicy");
        Assert.Equal("AWS::S3::BucketPolicy", site.ResourceType);
        Assert.True(site.After!.Document!.Statements[0].Principal!.IsWildcard);
        Assert.Equal(9, site.After.LocationOf(site.After.Document.Statements[0]).Line);
        Assert.True(policies.Single(p => p.Name == "Topic").After!.IsUnknown);
        Assert.Equal(GateRules.NewPublicTrust, Assert.Single(ResourcePolicyRules.Evaluate(site, new HashSet<string>())).RuleId);
    }
}
