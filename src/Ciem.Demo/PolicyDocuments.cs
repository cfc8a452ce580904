using System.Text.Json.Nodes;

namespace Ciem.Demo;

/// <summary>Builds the customer-managed, inline, trust and boundary documents of the demo estate.</summary>
internal static class PolicyDocuments
{
    /// <summary>Extra actions a team grants "while at it": never called, so they show up as unused.</summary>
    private static readonly Dictionary<string, string[]> Extras = new(StringComparer.Ordinal)
    {
        ["s3"] = ["s3:DeleteObject", "s3:ListBucket", "s3:GetObjectVersion", "s3:PutObjectAcl"],
        ["dynamodb"] = ["dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem"],
        ["sqs"] = ["sqs:GetQueueUrl", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"],
        ["kms"] = ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
        ["secretsmanager"] = ["secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue"],
        ["ssm"] = ["ssm:GetParametersByPath", "ssm:PutParameter"],
        ["logs"] = ["logs:PutLogEvents", "logs:CreateLogGroup"],
        ["ec2"] = ["ec2:DescribeImages", "ec2:StopInstances", "ec2:StartInstances"],
        ["cloudformation"] = ["cloudformation:DeleteStack", "cloudformation:DescribeChangeSet", "cloudformation:GetTemplate"],
        ["ecs"] = ["ecs:DescribeTaskDefinition", "ecs:ListTasks"],
        ["glue"] = ["glue:GetJob", "glue:BatchStopJobRun"],
        ["rds"] = ["rds:DeleteDBSnapshot", "rds:CopyDBSnapshot"],
        ["athena"] = ["athena:StopQueryExecution", "athena:ListQueryExecutions"],
        ["iam"] = ["iam:DeleteRolePolicy", "iam:TagRole"],
    };

    public static JsonObject Document(params JsonObject[] statements) => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray([.. statements]),
    };

    public static JsonObject Statement(string? sid, string effect, IEnumerable<string> actions, IEnumerable<string> resources, JsonObject? condition = null)
    {
        var statement = new JsonObject();
        if (sid is not null) { statement["Sid"] = sid; }
        statement["Effect"] = effect;
        statement["Action"] = Values(actions);
        statement["Resource"] = Values(resources);
        if (condition is not null) { statement["Condition"] = condition; }
        return statement;
    }

    public static JsonObject Condition(string op, string key, params string[] values) => new() { [op] = new JsonObject { [key] = Values(values) } };

    public static JsonNode Values(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 1 ? JsonValue.Create(list[0]) : new JsonArray([.. list.Select(v => (JsonNode?)JsonValue.Create(v))]);
    }

    /// <summary>
    /// An inline policy allowing <paramref name="calls"/> on the app's resources: one statement per service, scoped
    /// to the app's ARNs, sometimes widened to `service:*` or with extra actions, sometimes limited to the regions used.
    /// </summary>
    public static JsonObject ForCalls(IEnumerable<ApiCall> calls, AppResources resources, StableRandom rng, double wildcardChance)
    {
        var statements = new List<JsonObject>();
        foreach (var group in calls.GroupBy(c => c.Grant.Split(':')[0]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var service = group.Key;
            var actions = group.Select(c => c.Grant).Distinct().OrderBy(a => a, StringComparer.Ordinal).ToList();
            if (Extras.TryGetValue(service, out var extras) && rng.Chance(0.5))
            {
                actions.AddRange(extras.Take(rng.Next(1, extras.Length + 1)).Except(actions));
            }
            var wildcard = rng.Chance(wildcardChance);
            if (wildcard) { actions = [service + ":*"]; }
            var targets = group.Select(c => c.Target).Where(t => t != Target.None).Distinct().ToList();
            var unscoped = group.Any(c => c.Target is Target.None or Target.Instances or Target.AssumeRole);
            var arns = unscoped || targets.Count == 0 || (wildcard && rng.Chance(0.5))
                ? ["*"]
                : targets.SelectMany(resources.PolicyResources).Distinct().ToArray();
            JsonObject? condition = null;
            if (service is not ("iam" or "sts" or "s3" or "ce" or "organizations") && rng.Chance(0.15))
            {
                condition = Condition("StringEquals", "aws:RequestedRegion", "eu-west-1", "us-east-1");
            }
            statements.Add(Statement(Sid(service), "Allow", actions, arns, condition));
        }
        return Document([.. statements]);
    }

    private static string Sid(string service) => string.Concat(service.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "Access";

    public static JsonObject TrustService(string service) => Document(new JsonObject
    {
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["Service"] = service },
        ["Action"] = "sts:AssumeRole",
    });

    public static JsonObject TrustAccount(string accountId, JsonObject? condition = null)
    {
        var statement = new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{accountId}:root" },
            ["Action"] = "sts:AssumeRole",
        };
        if (condition is not null) { statement["Condition"] = condition; }
        return Document(statement);
    }

    public static JsonObject TrustRole(string roleArn) => Document(new JsonObject
    {
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["AWS"] = roleArn },
        ["Action"] = "sts:AssumeRole",
    });

    public static JsonObject TrustGitHub(string accountId, string repository) => Document(new JsonObject
    {
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["Federated"] = $"arn:aws:iam::{accountId}:oidc-provider/token.actions.githubusercontent.com" },
        ["Action"] = "sts:AssumeRoleWithWebIdentity",
        ["Condition"] = new JsonObject
        {
            ["StringEquals"] = new JsonObject { ["token.actions.githubusercontent.com:aud"] = "sts.amazonaws.com" },
            ["StringLike"] = new JsonObject { ["token.actions.githubusercontent.com:sub"] = $"repo:acme/{repository}:*" },
        },
    });

    public static JsonObject TrustSso(string accountId) => Document(new JsonObject
    {
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["Federated"] = $"arn:aws:iam::{accountId}:saml-provider/AWSSSO_5f0c2a8e1d4b7c93_DO_NOT_DELETE" },
        ["Action"] = new JsonArray("sts:AssumeRoleWithSAML", "sts:TagSession"),
        ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["SAML:aud"] = "https://signin.aws.amazon.com/saml" } },
    });

    /// <summary>The boundary CI deploy roles run under: no IAM user or access-key management, no leaving the regions.</summary>
    public static JsonObject CiBoundary() => Document(
        Statement("AllowDeploymentServices", "Allow", ["cloudformation:*", "s3:*", "ecr:*", "ecs:*", "lambda:*", "logs:*", "ssm:GetParameter*", "sts:AssumeRole", "sts:GetCallerIdentity", "iam:PassRole", "iam:GetRole"], ["*"]),
        Statement("DenyIdentityManagement", "Deny", ["iam:CreateUser", "iam:CreateAccessKey", "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:CreateLoginProfile"], ["*"]),
        Statement("DenyOtherRegions", "Deny", ["cloudformation:*", "ecs:*", "lambda:*"], ["*"], Condition("StringNotEquals", "aws:RequestedRegion", "eu-west-1", "us-east-1")));

    /// <summary>The boundary for application roles created by teams.</summary>
    public static JsonObject WorkloadBoundary(string accountId) => Document(
        Statement("AllowApplicationServices", "Allow", ["s3:*", "dynamodb:*", "sqs:*", "sns:*", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "secretsmanager:GetSecretValue", "ssm:GetParameter*", "logs:*", "cloudwatch:PutMetricData", "xray:PutTraceSegments"], ["*"]),
        Statement("DenyBoundaryRemoval", "Deny", ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"], [$"arn:aws:iam::{accountId}:role/*"]));

    public static JsonObject DeveloperAccess() => Document(
        Statement("ReadAndDebug", "Allow", ["logs:Describe*", "logs:FilterLogEvents", "logs:Get*", "logs:StartQuery", "logs:GetQueryResults", "cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "cloudwatch:DescribeAlarms", "cloudformation:Describe*", "cloudformation:List*", "ec2:Describe*", "ecs:Describe*", "ecs:List*", "lambda:Get*", "lambda:List*", "lambda:InvokeFunction"], ["*"]),
        Statement("ApplicationData", "Allow", ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeTable", "dynamodb:ListTables", "s3:GetObject", "s3:ListBucket", "s3:ListAllMyBuckets", "sqs:ListQueues", "sqs:GetQueueAttributes", "ssm:GetParameter", "ssm:GetParameters"], ["*"]),
        Statement("DenyProductionSecrets", "Deny", ["secretsmanager:GetSecretValue"], ["*"], Condition("StringEquals", "aws:ResourceTag/env", "prod")));

    public static JsonObject DataEngineer() => Document(
        Statement("Athena", "Allow", ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:ListWorkGroups"], ["*"]),
        Statement("Glue", "Allow", ["glue:Get*", "glue:StartJobRun", "glue:BatchGet*"], ["*"]),
        Statement("DataLake", "Allow", ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:ListAllMyBuckets"], ["arn:aws:s3:::acme-*", "arn:aws:s3:::acme-*/*"]));

    public static JsonObject NetworkAdmin() => Document(
        Statement("Network", "Allow", ["ec2:*Vpc*", "ec2:*Subnet*", "ec2:*Route*", "ec2:*TransitGateway*", "ec2:*SecurityGroup*", "ec2:*NetworkAcl*", "ec2:Describe*", "directconnect:*", "route53:*", "network-firewall:*"], ["*"]));

    public static JsonObject RequireMfa() => Document(
        Statement("DenyWithoutMfa", "Deny", ["*"], ["*"], new JsonObject { ["BoolIfExists"] = new JsonObject { ["aws:MultiFactorAuthPresent"] = "false" } })
            .Also(s => { s.Remove("Action"); s["NotAction"] = new JsonArray("iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "sts:GetSessionToken"); }));

    public static JsonObject CiDeploy() => Document(
        Statement("Deploy", "Allow", ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:Describe*", "cloudformation:GetTemplate", "s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:ListAllMyBuckets", "ecs:UpdateService", "ecs:RegisterTaskDefinition", "ecs:Describe*", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:GetFunction", "sts:GetCallerIdentity"], ["*"]),
        Statement("PassApplicationRoles", "Allow", ["iam:PassRole"], ["arn:aws:iam::*:role/app/*"], Condition("StringEquals", "iam:PassedToService", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com")),
        Statement("AssumeDeployRoles", "Allow", ["sts:AssumeRole"], ["arn:aws:iam::*:role/terraform-deploy"]));

    private static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
