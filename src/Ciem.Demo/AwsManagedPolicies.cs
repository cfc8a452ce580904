namespace Ciem.Demo;

/// <summary>An AWS-managed policy as the generator uses it: name, path, id, version and document.</summary>
internal sealed record ManagedPolicy(string Name, string Path, string PolicyId, string VersionId, string Document, DateTimeOffset Created, DateTimeOffset Updated)
{
    public string Arn => $"arn:aws:iam::aws:policy{Path}{Name}";
}

/// <summary>
/// The AWS-managed policies the demo estate attaches, written by hand from their public definitions
/// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/). Small ones are complete. Large ones are marked
/// "subset": they keep the real statement shape and a representative part of the actions — enough for every API the
/// demo's CloudTrail calls with them — so that the demo stays small; the real documents list hundreds of actions.
/// </summary>
internal static class AwsManagedPolicies
{
    private static readonly DateTimeOffset Y2015 = new(2015, 2, 6, 18, 39, 46, TimeSpan.Zero);

    public static readonly ManagedPolicy AdministratorAccess = new("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "v1", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}
        """, Y2015, Y2015);

    public static readonly ManagedPolicy PowerUserAccess = new("PowerUserAccess", "/", "ANPAJYRXTHIB4FOVS3ZXS", "v5", """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},
          {"Effect":"Allow","Action":["account:GetAccountInformation","account:GetPrimaryEmail","account:ListRegions","iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization"],"Resource":"*"}]}
        """, Y2015, new(2023, 7, 6, 22, 4, 19, TimeSpan.Zero));

    // subset: the real ReadOnlyAccess lists Describe/Get/List for every service (some 1,500 entries).
    public static readonly ManagedPolicy ReadOnlyAccess = new("ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", "v118", """
        {"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyActions","Effect":"Allow","Action":[
          "athena:Get*","athena:List*","ce:Describe*","ce:Get*","ce:List*","cloudformation:Describe*","cloudformation:Get*","cloudformation:List*",
          "cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*","cloudtrail:LookupEvents","cloudwatch:Describe*","cloudwatch:Get*","cloudwatch:List*",
          "config:Describe*","config:Get*","config:List*","dynamodb:BatchGetItem","dynamodb:Describe*","dynamodb:GetItem","dynamodb:List*","dynamodb:Query","dynamodb:Scan",
          "ec2:Describe*","ec2:Get*","ecr:BatchGetImage","ecr:Describe*","ecr:GetAuthorizationToken","ecr:GetDownloadUrlForLayer","ecr:List*","ecs:Describe*","ecs:List*",
          "glue:GetDatabase","glue:GetDatabases","glue:GetTable","glue:GetTables","glue:GetJobRuns","guardduty:Get*","guardduty:List*",
          "iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","kms:Describe*","kms:Get*","kms:List*","lambda:Get*","lambda:List*",
          "logs:Describe*","logs:FilterLogEvents","logs:Get*","logs:List*","logs:StartQuery","logs:StopQuery","logs:TestMetricFilter",
          "organizations:Describe*","organizations:List*","rds:Describe*","rds:List*","s3:Get*","s3:List*","secretsmanager:Describe*","secretsmanager:GetResourcePolicy","secretsmanager:List*",
          "securityhub:Describe*","securityhub:Get*","securityhub:List*","sns:Get*","sns:List*","sqs:Get*","sqs:List*","sqs:Receive*",
          "ssm:Describe*","ssm:Get*","ssm:List*","sts:GetAccessKeyInfo","sts:GetCallerIdentity","sts:GetSessionToken","tag:Get*"],"Resource":"*"}]}
        """, Y2015, new(2024, 11, 14, 17, 12, 0, TimeSpan.Zero));

    // subset: the real SecurityAudit lists about 600 read actions.
    public static readonly ManagedPolicy SecurityAudit = new("SecurityAudit", "/", "ANPAIX2T3QCXHR2OGGCTO", "v47", """
        {"Version":"2012-10-17","Statement":[{"Sid":"BaseSecurityAuditStatement","Effect":"Allow","Action":[
          "cloudtrail:DescribeTrails","cloudtrail:GetEventSelectors","cloudtrail:GetTrailStatus","cloudtrail:ListTags","config:Describe*","config:Get*",
          "ec2:Describe*","ec2:GetEbsEncryptionByDefault","ecr:DescribeRepositories","ecr:GetRepositoryPolicy","guardduty:Get*","guardduty:List*",
          "iam:GenerateCredentialReport","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy",
          "kms:Describe*","kms:Get*","kms:List*","lambda:GetFunctionConfiguration","lambda:GetPolicy","lambda:ListFunctions",
          "logs:Describe*","organizations:Describe*","organizations:List*","rds:Describe*","s3:GetAccelerateConfiguration","s3:GetBucket*","s3:GetEncryptionConfiguration",
          "s3:GetLifecycleConfiguration","s3:ListAllMyBuckets","s3:ListBucket","secretsmanager:DescribeSecret","secretsmanager:GetResourcePolicy","secretsmanager:ListSecrets",
          "securityhub:Describe*","securityhub:Get*","securityhub:List*","sns:GetTopicAttributes","sns:ListTopics","sqs:GetQueueAttributes","sqs:ListQueues","tag:GetResources"],"Resource":"*"}]}
        """, Y2015, new(2024, 8, 27, 10, 3, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AmazonS3FullAccess = new("AmazonS3FullAccess", "/", "ANPAIFIR6V6BVTRAHWINE", "v2", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}
        """, Y2015, new(2021, 9, 27, 20, 16, 37, TimeSpan.Zero));

    public static readonly ManagedPolicy AmazonS3ReadOnlyAccess = new("AmazonS3ReadOnlyAccess", "/", "ANPAIZTJ4DXE7G6AGAE6M", "v3", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}
        """, Y2015, new(2023, 8, 10, 21, 31, 39, TimeSpan.Zero));

    // subset: the real AmazonDynamoDBFullAccess also grants CloudWatch, SNS, Lambda, Kinesis and Data Pipeline read actions.
    public static readonly ManagedPolicy AmazonDynamoDBFullAccess = new("AmazonDynamoDBFullAccess", "/", "ANPAINUGF2JSOSUY76KYA", "v19", """
        {"Version":"2012-10-17","Statement":[
          {"Action":["dynamodb:*","dax:*","application-autoscaling:DeleteScalingPolicy","application-autoscaling:DescribeScalableTargets","application-autoscaling:PutScalingPolicy",
            "application-autoscaling:RegisterScalableTarget","cloudwatch:DeleteAlarms","cloudwatch:DescribeAlarms","cloudwatch:GetMetricData","cloudwatch:PutMetricAlarm",
            "kms:DescribeKey","kms:ListAliases","tag:GetResources"],"Effect":"Allow","Resource":"*"},
          {"Action":"iam:PassRole","Effect":"Allow","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":["application-autoscaling.amazonaws.com","application-autoscaling.amazonaws.com.cn","dax.amazonaws.com"]}}},
          {"Effect":"Allow","Action":["iam:CreateServiceLinkedRole"],"Resource":"*","Condition":{"StringEquals":{"iam:AWSServiceName":["replication.dynamodb.amazonaws.com","dax.amazonaws.com","dynamodb.application-autoscaling.amazonaws.com","contributorinsights.dynamodb.amazonaws.com","kinesisreplication.dynamodb.amazonaws.com"]}}}]}
        """, Y2015, new(2023, 8, 10, 20, 20, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AWSLambdaBasicExecutionRole = new("AWSLambdaBasicExecutionRole", "/service-role/", "ANPAJNCQGXC42545SKXIK", "v1", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}
        """, new(2015, 4, 9, 15, 3, 43, TimeSpan.Zero), new(2015, 4, 9, 15, 3, 43, TimeSpan.Zero));

    public static readonly ManagedPolicy AWSLambdaSQSQueueExecutionRole = new("AWSLambdaSQSQueueExecutionRole", "/service-role/", "ANPAJFWJZI6JNND4TSELK", "v2", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}
        """, new(2016, 6, 14, 21, 50, 46, TimeSpan.Zero), new(2023, 1, 5, 18, 15, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AmazonECSTaskExecutionRolePolicy = new("AmazonECSTaskExecutionRolePolicy", "/service-role/", "ANPAJG4T4G4PV56DE72PY", "v1", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}
        """, new(2017, 11, 16, 18, 48, 22, TimeSpan.Zero), new(2017, 11, 16, 18, 48, 22, TimeSpan.Zero));

    public static readonly ManagedPolicy AmazonSSMManagedInstanceCore = new("AmazonSSMManagedInstanceCore", "/", "ANPAIXSHM2BNB2D3AXXRU", "v3", """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":["ssm:DescribeAssociation","ssm:GetDeployablePatchSnapshotForInstance","ssm:GetDocument","ssm:DescribeDocument","ssm:GetManifest","ssm:GetParameter","ssm:GetParameters",
            "ssm:ListAssociations","ssm:ListInstanceAssociations","ssm:PutInventory","ssm:PutComplianceItems","ssm:PutConfigurePackageResult","ssm:UpdateAssociationStatus",
            "ssm:UpdateInstanceAssociationStatus","ssm:UpdateInstanceInformation"],"Resource":"*"},
          {"Effect":"Allow","Action":["ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel"],"Resource":"*"},
          {"Effect":"Allow","Action":["ec2messages:AcknowledgeMessage","ec2messages:DeleteMessage","ec2messages:FailMessage","ec2messages:GetEndpoint","ec2messages:GetMessages","ec2messages:SendReply"],"Resource":"*"}]}
        """, new(2019, 3, 15, 17, 22, 12, TimeSpan.Zero), new(2023, 3, 15, 17, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy CloudWatchAgentServerPolicy = new("CloudWatchAgentServerPolicy", "/", "ANPAIGOPKL5LGK5LJSQWE", "v2", """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":["cloudwatch:PutMetricData","ec2:DescribeVolumes","ec2:DescribeTags","logs:PutLogEvents","logs:DescribeLogStreams","logs:DescribeLogGroups","logs:CreateLogStream","logs:CreateLogGroup","logs:PutRetentionPolicy"],"Resource":"*"},
          {"Effect":"Allow","Action":["ssm:GetParameter"],"Resource":"arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"}]}
        """, new(2017, 8, 31, 0, 8, 28, TimeSpan.Zero), new(2023, 12, 1, 10, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AmazonEC2ContainerRegistryPowerUser = new("AmazonEC2ContainerRegistryPowerUser", "/", "ANPAJDNE5PIHROIBGGDDW", "v3", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:GetRepositoryPolicy",
          "ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage","ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource",
          "ecr:DescribeImageScanFindings","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload","ecr:PutImage"],"Resource":"*"}]}
        """, new(2015, 12, 21, 17, 5, 33, TimeSpan.Zero), new(2022, 11, 1, 9, 0, 0, TimeSpan.Zero));

    // subset: the real job-function/Billing also covers budgets, cost-optimization-hub, tax and payments actions.
    public static readonly ManagedPolicy Billing = new("Billing", "/job-function/", "ANPAIFTHXT6FFMIRT7ZEA", "v12", """
        {"Version":"2012-10-17","Statement":[{"Sid":"VisualEditor0","Effect":"Allow","Action":["aws-portal:*Billing","aws-portal:*PaymentMethods","aws-portal:*Usage",
          "budgets:ModifyBudget","budgets:ViewBudget","ce:CreateCostCategoryDefinition","ce:DescribeCostCategoryDefinition","ce:GetCostAndUsage","ce:GetCostForecast",
          "ce:GetDimensionValues","ce:GetReservationUtilization","ce:ListCostCategoryDefinitions","cur:DescribeReportDefinitions","cur:PutReportDefinition"],"Resource":"*"}]}
        """, new(2016, 11, 10, 17, 33, 18, TimeSpan.Zero), new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero));

    // Service-linked role policies (subsets where the real ones are long).
    public static readonly ManagedPolicy AWSSupportServiceRolePolicy = new("AWSSupportServiceRolePolicy", "/aws-service-role/", "ANPAJ7W6266ELXF5MISDS", "v32", """
        {"Version":"2012-10-17","Statement":[{"Sid":"AWSSupportPolicySid","Effect":"Allow","Action":["cloudformation:DescribeStacks","ec2:DescribeInstances","ec2:DescribeSecurityGroups",
          "iam:GetAccountSummary","iam:ListRoles","lambda:ListFunctions","rds:DescribeDBInstances","s3:GetBucketLocation","s3:ListAllMyBuckets"],"Resource":"*"}]}
        """, new(2018, 4, 19, 18, 4, 44, TimeSpan.Zero), new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AWSTrustedAdvisorServiceRolePolicy = new("AWSTrustedAdvisorServiceRolePolicy", "/aws-service-role/", "ANPAJH4QJ2WMHBOB47BUE", "v11", """
        {"Version":"2012-10-17","Statement":[{"Sid":"TrustedAdvisorServiceRolePermissions","Effect":"Allow","Action":["autoscaling:Describe*","cloudformation:DescribeStacks",
          "cloudtrail:DescribeTrails","cloudtrail:GetTrailStatus","ec2:Describe*","iam:GenerateCredentialReport","iam:GetAccountPasswordPolicy","iam:GetAccountSummary",
          "iam:GetCredentialReport","iam:ListServerCertificates","rds:DescribeDBInstances","s3:GetBucketAcl","s3:GetBucketPolicy","s3:ListAllMyBuckets"],"Resource":"*"}]}
        """, new(2018, 2, 22, 21, 24, 12, TimeSpan.Zero), new(2024, 2, 1, 0, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AmazonECSServiceRolePolicy = new("AmazonECSServiceRolePolicy", "/aws-service-role/", "ANPAIVUWKCAI7URU4WUEI", "v10", """
        {"Version":"2012-10-17","Statement":[{"Sid":"ECSTaskManagement","Effect":"Allow","Action":["ec2:AttachNetworkInterface","ec2:CreateNetworkInterface","ec2:CreateNetworkInterfacePermission",
          "ec2:DeleteNetworkInterface","ec2:DeleteNetworkInterfacePermission","ec2:Describe*","ec2:DetachNetworkInterface","elasticloadbalancing:DeregisterTargets",
          "elasticloadbalancing:Describe*","elasticloadbalancing:RegisterTargets","servicediscovery:RegisterInstance","servicediscovery:DeregisterInstance"],"Resource":"*"}]}
        """, new(2017, 10, 14, 1, 18, 58, TimeSpan.Zero), new(2023, 12, 5, 0, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AWSElasticLoadBalancingServiceRolePolicy = new("AWSElasticLoadBalancingServiceRolePolicy", "/aws-service-role/", "ANPAIMHWGGSRHLOQUICJQ", "v9", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeAddresses","ec2:DescribeInstances","ec2:DescribeSubnets","ec2:DescribeSecurityGroups","ec2:DescribeVpcs",
          "ec2:DescribeInternetGateways","ec2:DescribeAccountAttributes","ec2:DescribeClassicLinkInstances","ec2:DescribeVpcClassicLink","ec2:CreateSecurityGroup",
          "ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface","ec2:ModifyNetworkInterfaceAttribute","ec2:AuthorizeSecurityGroupIngress","ec2:AssociateAddress",
          "ec2:DisassociateAddress","ec2:AttachNetworkInterface","ec2:DetachNetworkInterface","ec2:AssignPrivateIpAddresses","ec2:AssignIpv6Addresses","ec2:UnassignIpv6Addresses"],"Resource":"*"}]}
        """, new(2017, 9, 19, 22, 19, 4, TimeSpan.Zero), new(2023, 11, 1, 0, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AutoScalingServiceRolePolicy = new("AutoScalingServiceRolePolicy", "/aws-service-role/", "ANPAIC5D2V7MRWBMHGD7G", "v10", """
        {"Version":"2012-10-17","Statement":[{"Sid":"EC2InstanceManagement","Effect":"Allow","Action":["ec2:AttachClassicLinkVpc","ec2:CancelSpotInstanceRequests","ec2:CreateFleet",
          "ec2:CreateTags","ec2:DeleteTags","ec2:Describe*","ec2:DetachClassicLinkVpc","ec2:ModifyInstanceAttribute","ec2:RequestSpotInstances","ec2:RunInstances",
          "ec2:StartInstances","ec2:StopInstances","ec2:TerminateInstances"],"Resource":"*"},
          {"Sid":"PassRoleToEC2","Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":["ec2.amazonaws.com","ec2.amazonaws.com.cn"]}}}]}
        """, new(2018, 1, 8, 23, 10, 55, TimeSpan.Zero), new(2024, 1, 10, 0, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AWSSSOServiceRolePolicy = new("AWSSSOServiceRolePolicy", "/aws-service-role/", "ANPAIJ52KSWOD4GI54XP2", "v24", """
        {"Version":"2012-10-17","Statement":[{"Sid":"IAMRoleProvisioningActions","Effect":"Allow","Action":["iam:AttachRolePolicy","iam:CreateRole","iam:DeleteRolePermissionsBoundary",
          "iam:PutRolePermissionsBoundary","iam:PutRolePolicy","iam:UpdateRole","iam:UpdateRoleDescription","iam:UpdateAssumeRolePolicy"],
          "Resource":["arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"],"Condition":{"StringNotEquals":{"aws:PrincipalOrgMasterAccountId":"${aws:PrincipalAccount}"}}},
          {"Sid":"IAMRoleReadActions","Effect":"Allow","Action":["iam:GetRole","iam:ListRoles"],"Resource":["*"]},
          {"Sid":"IAMRoleCleanupActions","Effect":"Allow","Action":["iam:DeleteRole","iam:DeleteRolePolicy","iam:DetachRolePolicy","iam:ListRolePolicies","iam:ListAttachedRolePolicies"],
          "Resource":["arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"]}]}
        """, new(2017, 12, 7, 19, 4, 0, TimeSpan.Zero), new(2024, 4, 1, 0, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AWSOrganizationsServiceTrustPolicy = new("AWSOrganizationsServiceTrustPolicy", "/aws-service-role/", "ANPAJQ5J3OAXAZ3C7ZDTA", "v3", """
        {"Version":"2012-10-17","Statement":[{"Sid":"AllowDeletionOfServiceLinkedRoleForOrganizations","Effect":"Allow","Action":["iam:DeleteRole"],
          "Resource":["arn:aws:iam::*:role/aws-service-role/organizations.amazonaws.com/*"]},
          {"Sid":"AllowCreationOfServiceLinkedRoles","Effect":"Allow","Action":["iam:CreateServiceLinkedRole"],"Resource":"*"}]}
        """, new(2017, 10, 10, 23, 4, 7, TimeSpan.Zero), new(2019, 3, 1, 0, 0, 0, TimeSpan.Zero));

    public static readonly ManagedPolicy AmazonRDSServiceRolePolicy = new("AmazonRDSServiceRolePolicy", "/aws-service-role/", "ANPAIPEU5ZOBJWKWHUKY4", "v15", """
        {"Version":"2012-10-17","Statement":[{"Sid":"Ec2","Effect":"Allow","Action":["ec2:AllocateAddress","ec2:AssociateAddress","ec2:AuthorizeSecurityGroupIngress","ec2:CreateNetworkInterface",
          "ec2:CreateSecurityGroup","ec2:DeleteNetworkInterface","ec2:DeleteSecurityGroup","ec2:DescribeAvailabilityZones","ec2:DescribeInternetGateways",
          "ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcAttribute","ec2:DescribeVpcs","ec2:ModifyNetworkInterfaceAttribute","ec2:ReleaseAddress",
          "ec2:RevokeSecurityGroupIngress"],"Resource":"*"},
          {"Sid":"CloudWatch","Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":["AWS/DocDB","AWS/Neptune","AWS/RDS","AWS/Usage"]}}}]}
        """, new(2018, 1, 8, 18, 17, 46, TimeSpan.Zero), new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Service-linked roles each account gets, in this order (small estates keep the first few).</summary>
    public static readonly (string Service, string RoleName, ManagedPolicy Policy)[] ServiceLinkedRoles =
    [
        ("support.amazonaws.com", "AWSServiceRoleForSupport", AWSSupportServiceRolePolicy),
        ("trustedadvisor.amazonaws.com", "AWSServiceRoleForTrustedAdvisor", AWSTrustedAdvisorServiceRolePolicy),
        ("sso.amazonaws.com", "AWSServiceRoleForSSO", AWSSSOServiceRolePolicy),
        ("organizations.amazonaws.com", "AWSServiceRoleForOrganizations", AWSOrganizationsServiceTrustPolicy),
        ("ecs.amazonaws.com", "AWSServiceRoleForECS", AmazonECSServiceRolePolicy),
        ("elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing", AWSElasticLoadBalancingServiceRolePolicy),
        ("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling", AutoScalingServiceRolePolicy),
        ("rds.amazonaws.com", "AWSServiceRoleForRDS", AmazonRDSServiceRolePolicy),
    ];
}
