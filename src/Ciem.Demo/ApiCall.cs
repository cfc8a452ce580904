namespace Ciem.Demo;

/// <summary>What a call's request names, which decides its <c>requestParameters</c> and <c>resources</c>.</summary>
internal enum Target
{
    None,
    Bucket,
    Object,
    Table,
    Queue,
    Key,
    Secret,
    Parameter,
    Role,
    AssumeRole,
    Stack,
    Function,
    Instances,
    Cluster,
    Repository,
    LogGroup,
    DbInstance,
    GlueJob,
    Query,
}

/// <summary>
/// One API as CloudTrail records it: the service endpoint (`eventSource`), the API name (`eventName`), whether
/// CloudTrail marks it read-only, and whether it is a data event. <see cref="Grant"/> is the IAM action the
/// generator grants so that the identity may make the call; the readers derive actions from the event themselves.
/// </summary>
internal sealed record ApiCall(string Source, string Name, bool ReadOnly, string Grant, Target Target = Target.None, bool Data = false)
{
    /// <summary>IAM, Organizations, Cost Explorer and STS's global endpoint log in us-east-1.</summary>
    public bool Global => Source is "iam.amazonaws.com" or "organizations.amazonaws.com" or "ce.amazonaws.com";

    private readonly string _primaryHost = Source.Replace(".amazonaws.com", $".{DemoPopulation.PrimaryRegion}.amazonaws.com", StringComparison.Ordinal);

    /// <summary>The regional endpoint host, e.g. `s3.eu-west-1.amazonaws.com` (what TLS details record).</summary>
    public string RegionalHost(string region) => region == DemoPopulation.PrimaryRegion ? _primaryHost : Source.Replace(".amazonaws.com", $".{region}.amazonaws.com", StringComparison.Ordinal);
}

/// <summary>The APIs the demo's identities call, grouped by the job they do.</summary>
internal static class Apis
{
    private static ApiCall R(string source, string name, string grant, Target target = Target.None, bool data = false) => new(source + ".amazonaws.com", name, true, grant, target, data);

    private static ApiCall W(string source, string name, string grant, Target target = Target.None, bool data = false) => new(source + ".amazonaws.com", name, false, grant, target, data);

    public static readonly ApiCall GetObject = R("s3", "GetObject", "s3:GetObject", Target.Object, data: true);
    public static readonly ApiCall HeadObject = R("s3", "HeadObject", "s3:GetObject", Target.Object, data: true);
    public static readonly ApiCall PutObject = W("s3", "PutObject", "s3:PutObject", Target.Object, data: true);
    public static readonly ApiCall DeleteObject = W("s3", "DeleteObject", "s3:DeleteObject", Target.Object, data: true);
    public static readonly ApiCall ListObjects = R("s3", "ListObjects", "s3:ListBucket", Target.Bucket, data: true);
    public static readonly ApiCall ListBuckets = R("s3", "ListBuckets", "s3:ListAllMyBuckets");
    public static readonly ApiCall GetBucketLocation = R("s3", "GetBucketLocation", "s3:GetBucketLocation", Target.Bucket);
    public static readonly ApiCall GetBucketPolicy = R("s3", "GetBucketPolicy", "s3:GetBucketPolicy", Target.Bucket);
    public static readonly ApiCall GetBucketAcl = R("s3", "GetBucketAcl", "s3:GetBucketAcl", Target.Bucket);
    public static readonly ApiCall PutBucketPolicy = W("s3", "PutBucketPolicy", "s3:PutBucketPolicy", Target.Bucket);

    public static readonly ApiCall GetItem = R("dynamodb", "GetItem", "dynamodb:GetItem", Target.Table, data: true);
    public static readonly ApiCall PutItem = W("dynamodb", "PutItem", "dynamodb:PutItem", Target.Table, data: true);
    public static readonly ApiCall UpdateItem = W("dynamodb", "UpdateItem", "dynamodb:UpdateItem", Target.Table, data: true);
    public static readonly ApiCall Query = R("dynamodb", "Query", "dynamodb:Query", Target.Table, data: true);
    public static readonly ApiCall DescribeTable = R("dynamodb", "DescribeTable", "dynamodb:DescribeTable", Target.Table);
    public static readonly ApiCall ListTables = R("dynamodb", "ListTables", "dynamodb:ListTables");

    public static readonly ApiCall SendMessage = W("sqs", "SendMessage", "sqs:SendMessage", Target.Queue, data: true);
    public static readonly ApiCall ReceiveMessage = R("sqs", "ReceiveMessage", "sqs:ReceiveMessage", Target.Queue, data: true);
    public static readonly ApiCall DeleteMessage = W("sqs", "DeleteMessage", "sqs:DeleteMessage", Target.Queue, data: true);
    public static readonly ApiCall GetQueueAttributes = R("sqs", "GetQueueAttributes", "sqs:GetQueueAttributes", Target.Queue);
    public static readonly ApiCall ListQueues = R("sqs", "ListQueues", "sqs:ListQueues");

    public static readonly ApiCall Decrypt = R("kms", "Decrypt", "kms:Decrypt", Target.Key);
    public static readonly ApiCall GenerateDataKey = R("kms", "GenerateDataKey", "kms:GenerateDataKey", Target.Key);
    public static readonly ApiCall DescribeKey = R("kms", "DescribeKey", "kms:DescribeKey", Target.Key);
    public static readonly ApiCall ListKeys = R("kms", "ListKeys", "kms:ListKeys");

    public static readonly ApiCall GetSecretValue = R("secretsmanager", "GetSecretValue", "secretsmanager:GetSecretValue", Target.Secret);
    public static readonly ApiCall DescribeSecret = R("secretsmanager", "DescribeSecret", "secretsmanager:DescribeSecret", Target.Secret);
    public static readonly ApiCall ListSecrets = R("secretsmanager", "ListSecrets", "secretsmanager:ListSecrets");
    public static readonly ApiCall PutSecretValue = W("secretsmanager", "PutSecretValue", "secretsmanager:PutSecretValue", Target.Secret);

    public static readonly ApiCall GetParameter = R("ssm", "GetParameter", "ssm:GetParameter", Target.Parameter);
    public static readonly ApiCall GetParameters = R("ssm", "GetParameters", "ssm:GetParameters", Target.Parameter);
    public static readonly ApiCall GetParametersByPath = R("ssm", "GetParametersByPath", "ssm:GetParametersByPath", Target.Parameter);
    public static readonly ApiCall UpdateInstanceInformation = W("ssm", "UpdateInstanceInformation", "ssm:UpdateInstanceInformation", Target.Instances);
    public static readonly ApiCall ListInstanceAssociations = R("ssm", "ListInstanceAssociations", "ssm:ListInstanceAssociations", Target.Instances);
    public static readonly ApiCall DescribeInstanceInformation = R("ssm", "DescribeInstanceInformation", "ssm:DescribeInstanceInformation");

    public static readonly ApiCall CreateLogStream = W("logs", "CreateLogStream", "logs:CreateLogStream", Target.LogGroup);
    public static readonly ApiCall DescribeLogGroups = R("logs", "DescribeLogGroups", "logs:DescribeLogGroups");
    public static readonly ApiCall DescribeLogStreams = R("logs", "DescribeLogStreams", "logs:DescribeLogStreams", Target.LogGroup);
    public static readonly ApiCall FilterLogEvents = R("logs", "FilterLogEvents", "logs:FilterLogEvents", Target.LogGroup);
    public static readonly ApiCall StartQuery = R("logs", "StartQuery", "logs:StartQuery", Target.LogGroup);

    public static readonly ApiCall DescribeInstances = R("ec2", "DescribeInstances", "ec2:DescribeInstances");
    public static readonly ApiCall DescribeSecurityGroups = R("ec2", "DescribeSecurityGroups", "ec2:DescribeSecurityGroups");
    public static readonly ApiCall DescribeVpcs = R("ec2", "DescribeVpcs", "ec2:DescribeVpcs");
    public static readonly ApiCall DescribeSubnets = R("ec2", "DescribeSubnets", "ec2:DescribeSubnets");
    public static readonly ApiCall DescribeTags = R("ec2", "DescribeTags", "ec2:DescribeTags");
    public static readonly ApiCall DescribeVolumes = R("ec2", "DescribeVolumes", "ec2:DescribeVolumes");
    public static readonly ApiCall RunInstances = W("ec2", "RunInstances", "ec2:RunInstances", Target.Instances);
    public static readonly ApiCall TerminateInstances = W("ec2", "TerminateInstances", "ec2:TerminateInstances", Target.Instances);
    public static readonly ApiCall CreateTags = W("ec2", "CreateTags", "ec2:CreateTags", Target.Instances);
    public static readonly ApiCall AuthorizeSecurityGroupIngress = W("ec2", "AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress");
    public static readonly ApiCall CreateRoute = W("ec2", "CreateRoute", "ec2:CreateRoute");
    public static readonly ApiCall DescribeRouteTables = R("ec2", "DescribeRouteTables", "ec2:DescribeRouteTables");
    public static readonly ApiCall DescribeTransitGateways = R("ec2", "DescribeTransitGateways", "ec2:DescribeTransitGateways");
    public static readonly ApiCall CreateSnapshot = W("ec2", "CreateSnapshot", "ec2:CreateSnapshot");

    public static readonly ApiCall GetCallerIdentity = R("sts", "GetCallerIdentity", "sts:GetCallerIdentity");
    public static readonly ApiCall AssumeRole = R("sts", "AssumeRole", "sts:AssumeRole", Target.AssumeRole);

    public static readonly ApiCall ListRoles = R("iam", "ListRoles", "iam:ListRoles");
    public static readonly ApiCall GetRole = R("iam", "GetRole", "iam:GetRole", Target.Role);
    public static readonly ApiCall ListUsers = R("iam", "ListUsers", "iam:ListUsers");
    public static readonly ApiCall ListPolicies = R("iam", "ListPolicies", "iam:ListPolicies");
    public static readonly ApiCall ListAttachedRolePolicies = R("iam", "ListAttachedRolePolicies", "iam:ListAttachedRolePolicies", Target.Role);
    public static readonly ApiCall GetAccountAuthorizationDetails = R("iam", "GetAccountAuthorizationDetails", "iam:GetAccountAuthorizationDetails");
    public static readonly ApiCall GenerateCredentialReport = R("iam", "GenerateCredentialReport", "iam:GenerateCredentialReport");
    public static readonly ApiCall CreateRole = W("iam", "CreateRole", "iam:CreateRole", Target.Role);
    public static readonly ApiCall PutRolePolicy = W("iam", "PutRolePolicy", "iam:PutRolePolicy", Target.Role);
    public static readonly ApiCall AttachRolePolicy = W("iam", "AttachRolePolicy", "iam:AttachRolePolicy", Target.Role);
    public static readonly ApiCall CreateUser = W("iam", "CreateUser", "iam:CreateUser");
    public static readonly ApiCall CreateAccessKey = W("iam", "CreateAccessKey", "iam:CreateAccessKey");

    public static readonly ApiCall DescribeStacks = R("cloudformation", "DescribeStacks", "cloudformation:DescribeStacks", Target.Stack);
    public static readonly ApiCall DescribeStackEvents = R("cloudformation", "DescribeStackEvents", "cloudformation:DescribeStackEvents", Target.Stack);
    public static readonly ApiCall CreateChangeSet = W("cloudformation", "CreateChangeSet", "cloudformation:CreateChangeSet", Target.Stack);
    public static readonly ApiCall ExecuteChangeSet = W("cloudformation", "ExecuteChangeSet", "cloudformation:ExecuteChangeSet", Target.Stack);
    public static readonly ApiCall UpdateStack = W("cloudformation", "UpdateStack", "cloudformation:UpdateStack", Target.Stack);

    public static readonly ApiCall GetAuthorizationToken = R("ecr", "GetAuthorizationToken", "ecr:GetAuthorizationToken");
    public static readonly ApiCall InitiateLayerUpload = W("ecr", "InitiateLayerUpload", "ecr:InitiateLayerUpload", Target.Repository);
    public static readonly ApiCall PutImage = W("ecr", "PutImage", "ecr:PutImage", Target.Repository);
    public static readonly ApiCall DescribeRepositories = R("ecr", "DescribeRepositories", "ecr:DescribeRepositories");
    public static readonly ApiCall BatchGetImage = R("ecr", "BatchGetImage", "ecr:BatchGetImage", Target.Repository);

    public static readonly ApiCall DescribeServices = R("ecs", "DescribeServices", "ecs:DescribeServices", Target.Cluster);
    public static readonly ApiCall UpdateService = W("ecs", "UpdateService", "ecs:UpdateService", Target.Cluster);
    public static readonly ApiCall RegisterTaskDefinition = W("ecs", "RegisterTaskDefinition", "ecs:RegisterTaskDefinition");
    public static readonly ApiCall ListClusters = R("ecs", "ListClusters", "ecs:ListClusters");

    public static readonly ApiCall Invoke = W("lambda", "Invoke", "lambda:InvokeFunction", Target.Function, data: true);

    public static readonly ApiCall GetMetricData = R("monitoring", "GetMetricData", "cloudwatch:GetMetricData");
    public static readonly ApiCall ListMetrics = R("monitoring", "ListMetrics", "cloudwatch:ListMetrics");
    public static readonly ApiCall DescribeAlarms = R("monitoring", "DescribeAlarms", "cloudwatch:DescribeAlarms");
    public static readonly ApiCall GetResources = R("tagging", "GetResources", "tag:GetResources");

    public static readonly ApiCall StartQueryExecution = W("athena", "StartQueryExecution", "athena:StartQueryExecution", Target.Query);
    public static readonly ApiCall GetQueryExecution = R("athena", "GetQueryExecution", "athena:GetQueryExecution", Target.Query);
    public static readonly ApiCall GetQueryResults = R("athena", "GetQueryResults", "athena:GetQueryResults", Target.Query);
    public static readonly ApiCall GetTables = R("glue", "GetTables", "glue:GetTables");
    public static readonly ApiCall GetDatabases = R("glue", "GetDatabases", "glue:GetDatabases");
    public static readonly ApiCall StartJobRun = W("glue", "StartJobRun", "glue:StartJobRun", Target.GlueJob);
    public static readonly ApiCall GetJobRuns = R("glue", "GetJobRuns", "glue:GetJobRuns", Target.GlueJob);

    public static readonly ApiCall DescribeDBInstances = R("rds", "DescribeDBInstances", "rds:DescribeDBInstances");
    public static readonly ApiCall CreateDBSnapshot = W("rds", "CreateDBSnapshot", "rds:CreateDBSnapshot", Target.DbInstance);
    public static readonly ApiCall DescribeDBSnapshots = R("rds", "DescribeDBSnapshots", "rds:DescribeDBSnapshots", Target.DbInstance);

    public static readonly ApiCall GetCostAndUsage = R("ce", "GetCostAndUsage", "ce:GetCostAndUsage");
    public static readonly ApiCall GetCostForecast = R("ce", "GetCostForecast", "ce:GetCostForecast");
    public static readonly ApiCall ListAccounts = R("organizations", "ListAccounts", "organizations:ListAccounts");
    public static readonly ApiCall DescribeOrganization = R("organizations", "DescribeOrganization", "organizations:DescribeOrganization");

    public static readonly ApiCall GetFindings = R("securityhub", "GetFindings", "securityhub:GetFindings");
    public static readonly ApiCall ListDetectors = R("guardduty", "ListDetectors", "guardduty:ListDetectors");
    public static readonly ApiCall DescribeConfigRules = R("config", "DescribeConfigRules", "config:DescribeConfigRules");
    public static readonly ApiCall DescribeTrails = R("cloudtrail", "DescribeTrails", "cloudtrail:DescribeTrails");
    public static readonly ApiCall LookupEvents = R("cloudtrail", "LookupEvents", "cloudtrail:LookupEvents");

    /// <summary>What a person does most with a read-only view, most frequent first.</summary>
    public static readonly ApiCall[] ConsoleReads =
    [
        DescribeInstances, ListBuckets, GetMetricData, DescribeLogGroups, FilterLogEvents, DescribeStacks, ListRoles, DescribeSecurityGroups,
        DescribeAlarms, GetBucketLocation, DescribeTable, ListTables, DescribeVpcs, GetRole, ListQueues, DescribeDBInstances, ListKeys, ListClusters, LookupEvents,
    ];

    /// <summary>Writes that need administrator rights (or at least IAM writes).</summary>
    public static readonly ApiCall[] AdminWrites = [CreateRole, PutRolePolicy, AttachRolePolicy, AuthorizeSecurityGroupIngress, PutBucketPolicy, CreateUser, CreateAccessKey];

    public static readonly ApiCall[] PowerUserWrites = [RunInstances, TerminateInstances, CreateTags, PutObject, UpdateStack, Invoke, PutItem, UpdateService];
    public static readonly ApiCall[] DeveloperCalls = [FilterLogEvents, DescribeLogStreams, GetParameter, Query, GetItem, Invoke, DescribeStacks, GetObject, GetMetricData, StartQuery];
    public static readonly ApiCall[] DataCalls = [StartQueryExecution, GetQueryExecution, GetQueryResults, GetTables, GetDatabases, GetObject, ListObjects, PutObject];
    public static readonly ApiCall[] SecurityCalls = [GetFindings, ListDetectors, DescribeConfigRules, DescribeTrails, GetAccountAuthorizationDetails, GenerateCredentialReport, ListRoles, GetBucketPolicy, DescribeSecurityGroups];
    public static readonly ApiCall[] BillingCalls = [GetCostAndUsage, GetCostForecast];
    public static readonly ApiCall[] NetworkCalls = [DescribeVpcs, DescribeSubnets, DescribeRouteTables, DescribeTransitGateways, DescribeSecurityGroups, CreateRoute, AuthorizeSecurityGroupIngress];
}
