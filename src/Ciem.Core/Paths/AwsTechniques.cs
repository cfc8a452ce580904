using System.Collections.Immutable;

namespace Ciem.Core.Paths;

/// <summary>How a technique moves an attacker: it becomes another principal, or it gives a principal new rights.</summary>
public enum TechniqueKind
{
    /// <summary>The source obtains the target's credentials or runs code as it (an edge of the graph).</summary>
    Become,

    /// <summary>The source can give the target arbitrary rights (a policy write, a group, a boundary removal).</summary>
    Grant,
}

/// <summary>
/// One known AWS escalation technique: the actions the source needs (each inner list is a choice of alternatives, every
/// list must be satisfied), the service the target role must trust, whether it passes that role (iam:PassRole with
/// `iam:PassedToService`), and the resource that must already exist (<see cref="AwsTechnique.Needs"/>; such a path is
/// *possible if that resource exists*).
/// <see cref="Catalogue"/> is the public list it comes from (docs/attack-paths.md).
/// </summary>
public sealed record AwsTechnique(
    string Id,
    string Title,
    TechniqueKind Kind,
    ImmutableArray<ImmutableArray<string>> Actions,
    string? Service,
    bool PassesRole,
    string? Needs,
    string Catalogue);

/// <summary>
/// The AWS techniques the attack graph models. Compute techniques decide every listed action with the engine on a
/// placeholder resource of the source's account (<see cref="PlaceholderResource"/>); IAM techniques on the real target.
/// </summary>
public static class AwsTechniques
{
    private const string Rhino = "Rhino Security Labs, AWS IAM privilege escalation methods";
    private const string Rhino2 = "Rhino Security Labs, AWS IAM privilege escalation methods, part 2";
    private const string Later = "published after the Rhino lists (documented service behaviour)";

    private static ImmutableArray<ImmutableArray<string>> All(params string[][] groups) => [.. groups.Select(g => g.ToImmutableArray())];

    private static AwsTechnique PassRole(string id, string title, string service, string source, params string[][] groups) =>
        new(id, title, TechniqueKind.Become, All(groups), service, true, null, source);

    private static AwsTechnique PassRoleNeeding(string id, string title, string service, string needs, string source,
        params string[][] groups) =>
        new(id, title, TechniqueKind.Become, All(groups), service, true, needs, source);

    private static AwsTechnique Existing(string id, string title, string service, string needs, string source, params string[][] groups) =>
        new(id, title, TechniqueKind.Become, All(groups), service, false, needs, source);

    public static readonly AwsTechnique AssumeRole = new("sts-assume-role", "sts:AssumeRole (trust policy and identity permission)",
        TechniqueKind.Become, All(["sts:AssumeRole"]), null, false, null, Rhino);

    public static readonly AwsTechnique UpdateAssumeRolePolicy = new("iam-update-assume-role-policy",
        "rewrite a role's trust policy, then assume it",
        TechniqueKind.Become, All(["iam:UpdateAssumeRolePolicy"]), null, false, null, Rhino);

    public static readonly AwsTechnique CreateAccessKey = new("iam-create-access-key", "create an access key for a user",
        TechniqueKind.Become, All(["iam:CreateAccessKey"]), null, false, null, Rhino);

    public static readonly AwsTechnique CreateLoginProfile = new("iam-create-login-profile",
        "create a console password for a user without one",
        TechniqueKind.Become, All(["iam:CreateLoginProfile"]), null, false, null, Rhino);

    public static readonly AwsTechnique UpdateLoginProfile = new("iam-update-login-profile", "change the console password of a user",
        TechniqueKind.Become, All(["iam:UpdateLoginProfile"]), null, false, null, Rhino);

    /// <summary>An administrator of an account takes over any principal of it (every probe of <see cref="AwsAdminProbe"/>
    /// allowed).</summary>
    public static readonly AwsTechnique AccountAdministrator = new("account-administrator",
        "an administrator of the account takes over its principals",
        TechniqueKind.Become, [], null, false, null, "follows from the administrator definition (docs/attack-paths.md)");

    /// <summary>The closing step of a path to a request: the principal reached is allowed it by the engine.</summary>
    public static readonly AwsTechnique Request = new("request-allowed", "the engine allows the request", TechniqueKind.Become, [], null,
        false, null,
        "the question asked");

    /// <summary>Roles that pass a role to a new compute resource running as it.</summary>
    public static readonly ImmutableArray<AwsTechnique> PassRoleTechniques =
    [
        PassRole("passrole-ec2", "iam:PassRole with a new EC2 instance (instance profile)", "ec2.amazonaws.com", Rhino, ["ec2:RunInstances",
            "ec2:RequestSpotInstances"]),
        PassRole("passrole-autoscaling", "iam:PassRole with an Auto Scaling group (launch configuration or template)", "ec2.amazonaws.com",
            Later,
            ["autoscaling:CreateAutoScalingGroup"], ["autoscaling:CreateLaunchConfiguration", "ec2:CreateLaunchTemplate"]),
        PassRole("passrole-lambda", "iam:PassRole with a new Lambda function, invoked or triggered", "lambda.amazonaws.com", Rhino,
            ["lambda:CreateFunction"], ["lambda:InvokeFunction", "lambda:CreateEventSourceMapping"]),
        PassRoleNeeding("passrole-ecs", "iam:PassRole with an ECS task definition run as a task or service", "ecs-tasks.amazonaws.com",
            "an ECS cluster", Later,
            ["ecs:RegisterTaskDefinition"], ["ecs:RunTask", "ecs:StartTask", "ecs:CreateService"]),
        PassRole("passrole-glue-endpoint", "iam:PassRole with a Glue development endpoint", "glue.amazonaws.com", Rhino,
            ["glue:CreateDevEndpoint"]),
        PassRole("passrole-glue-job", "iam:PassRole with a Glue job", "glue.amazonaws.com", Later, ["glue:CreateJob"],
            ["glue:StartJobRun"]),
        PassRole("passrole-cloudformation", "iam:PassRole with a CloudFormation stack", "cloudformation.amazonaws.com", Rhino,
            ["cloudformation:CreateStack", "cloudformation:CreateChangeSet"]),
        PassRole("passrole-datapipeline", "iam:PassRole with a Data Pipeline definition", "datapipeline.amazonaws.com", Rhino,
            ["datapipeline:CreatePipeline"], ["datapipeline:PutPipelineDefinition"]),
        PassRole("passrole-codebuild", "iam:PassRole with a CodeBuild project", "codebuild.amazonaws.com", Rhino2,
            ["codebuild:CreateProject"], ["codebuild:StartBuild", "codebuild:StartBuildBatch"]),
        PassRole("passrole-sagemaker-notebook", "iam:PassRole with a SageMaker notebook instance", "sagemaker.amazonaws.com", Rhino2,
            ["sagemaker:CreateNotebookInstance"], ["sagemaker:CreatePresignedNotebookInstanceUrl"]),
        PassRole("passrole-sagemaker-job", "iam:PassRole with a SageMaker training, processing or tuning job", "sagemaker.amazonaws.com",
            Rhino2,
            ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob", "sagemaker:CreateHyperParameterTuningJob"]),
        PassRoleNeeding("passrole-batch", "iam:PassRole with a Batch job definition, submitted", "ecs-tasks.amazonaws.com",
            "a Batch job queue", Later,
            ["batch:RegisterJobDefinition"], ["batch:SubmitJob"]),
        PassRole("passrole-apprunner", "iam:PassRole with an App Runner service", "tasks.apprunner.amazonaws.com", Later,
            ["apprunner:CreateService"]),
        PassRole("passrole-emr", "iam:PassRole with an EMR cluster (EC2 instance profile)", "ec2.amazonaws.com", Later,
            ["elasticmapreduce:RunJobFlow"]),
    ];

    /// <summary>Techniques that take over a resource already running as a role: possible if such a resource exists.</summary>
    public static readonly ImmutableArray<AwsTechnique> ExistingResourceTechniques =
    [
        Existing("lambda-update-code", "update the code of a Lambda function running as the role", "lambda.amazonaws.com",
            "a Lambda function running as the role", Rhino, ["lambda:UpdateFunctionCode"]),
        Existing("ssm-instance", "run commands on an EC2 instance with the role's instance profile (SSM)", "ec2.amazonaws.com",
            "an EC2 instance with the role's instance profile, managed by SSM", Rhino2,
            ["ssm:SendCommand", "ssm:StartSession"]),
        Existing("ec2-user-data", "rewrite the user data of an EC2 instance with the role's instance profile", "ec2.amazonaws.com",
            "an EC2 instance with the role's instance profile", Later,
            ["ec2:ModifyInstanceAttribute"], ["ec2:StartInstances"]),
        Existing("codebuild-existing-project", "run a build of a CodeBuild project running as the role (buildspec override)",
            "codebuild.amazonaws.com", "a CodeBuild project running as the role", Rhino2,
            ["codebuild:StartBuild", "codebuild:StartBuildBatch"]),
        Existing("glue-update-endpoint", "add an SSH key to a Glue development endpoint running as the role", "glue.amazonaws.com",
            "a Glue development endpoint running as the role", Rhino, ["glue:UpdateDevEndpoint"]),
        Existing("sagemaker-existing-notebook", "open a SageMaker notebook instance running as the role", "sagemaker.amazonaws.com",
            "a SageMaker notebook instance running as the role", Rhino2,
            ["sagemaker:CreatePresignedNotebookInstanceUrl"]),
        Existing("ecs-execute-command", "open a shell in an ECS task running as the role", "ecs-tasks.amazonaws.com",
            "an ECS task running as the role with ECS Exec enabled", Later, ["ecs:ExecuteCommand"]),
    ];

    public static readonly AwsTechnique WritePolicy = new("iam-write-policy",
        "write or attach a policy of the target (user, role or its group)",
        TechniqueKind.Grant, All(["iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy",
            "iam:PutGroupPolicy", "iam:AttachGroupPolicy"]), null, false, null, Rhino);

    public static readonly AwsTechnique CreatePolicyVersion = new("iam-create-policy-version",
        "create a new default version of a customer-managed policy attached to the target",
        TechniqueKind.Grant, All(["iam:CreatePolicyVersion"]), null, false, null, Rhino);

    public static readonly AwsTechnique SetDefaultPolicyVersion = new("iam-set-default-policy-version",
        "make another version of an attached customer-managed policy the default",
        TechniqueKind.Grant, All(["iam:SetDefaultPolicyVersion"]), null, false, "a non-default version that grants more", Rhino);

    public static readonly AwsTechnique AddUserToGroup = new("iam-add-user-to-group",
        "add a user to a group whose policies make it an administrator",
        TechniqueKind.Grant, All(["iam:AddUserToGroup"]), null, false, null, Rhino);

    public static readonly AwsTechnique RemoveBoundary = new("iam-remove-boundary",
        "delete or replace the permissions boundary that holds an administrator back",
        TechniqueKind.Grant, All(["iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
            "iam:PutUserPermissionsBoundary", "iam:PutRolePermissionsBoundary"]), null, false, null, Later);

    /// <summary>Every modelled technique, in catalogue order.</summary>
    public static ImmutableArray<AwsTechnique> Modelled { get; } =
    [
        AssumeRole, UpdateAssumeRolePolicy, CreateAccessKey, CreateLoginProfile, UpdateLoginProfile,
        .. PassRoleTechniques, .. ExistingResourceTechniques,
        WritePolicy, CreatePolicyVersion, SetDefaultPolicyVersion, AddUserToGroup, RemoveBoundary, AccountAdministrator,
    ];

    /// <summary>Published techniques the graph does not follow yet, with the reason (docs/attack-paths.md).</summary>
    public static readonly ImmutableArray<(string Technique, string Reason)> NotModelled =
    [
        ("sts:AssumeRoleWithWebIdentity / AssumeRoleWithSAML",
            "the caller is an external identity provider's user, not a principal of the estate; "
                + "shown as trust from outside in the risk view"),
        ("codestar:CreateProject (+ iam:PassRole)", "CodeStar was discontinued in 2024"),
        ("cloudformation:UpdateStack on a stack with a service role",
            "needs the stack inventory, which the authorization-details export does not carry"),
        ("lambda:UpdateFunctionConfiguration (layers) / lambda:AddPermission", "needs the function inventory"),
        ("ec2-instance-connect:SendSSHPublicKey, ssm-guiconnect", "needs the instance inventory; covered in spirit by the SSM technique"),
        ("bedrock-agentcore code interpreters, stepfunctions state machines", "not yet in the catalogue"),
        ("iam:CreateServiceLinkedRole, iam:UpdateRole (max session)", "not an escalation by itself"),
        ("organizations / Identity Center permission-set writes",
            "need the Identity Center inventory (the directory linker shows who holds sets)"),
    ];

    /// <summary>
    /// The resource an action is decided on when the technique creates or drives a resource: a placeholder in the
    /// source's account whose name is `*`, so a grant on every resource of the kind matches and a grant naming
    /// particular resources does not (the step is then reported as indeterminate: possible on the named resources).
    /// </summary>
    public static string PlaceholderResource(string action, string account)
    {
        ArgumentNullException.ThrowIfNull(action);
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        var service = colon > 0 ? action[..colon] : action;
        return service switch
        {
            "lambda" => $"arn:aws:lambda:*:{account}:function:*",
            "ec2" => $"arn:aws:ec2:*:{account}:instance/*",
            "autoscaling" => $"arn:aws:autoscaling:*:{account}:autoScalingGroup:*",
            "ecs" when action.EndsWith("TaskDefinition", StringComparison.Ordinal) => $"arn:aws:ecs:*:{account}:task-definition/*",
            "ecs" => $"arn:aws:ecs:*:{account}:task/*",
            "glue" when action.Contains("Job", StringComparison.Ordinal) => $"arn:aws:glue:*:{account}:job/*",
            "glue" => $"arn:aws:glue:*:{account}:devEndpoint/*",
            "cloudformation" => $"arn:aws:cloudformation:*:{account}:stack/*",
            "datapipeline" => $"arn:aws:datapipeline:*:{account}:pipeline/*",
            "codebuild" => $"arn:aws:codebuild:*:{account}:project/*",
            "sagemaker" when action.Contains("Notebook", StringComparison.Ordinal) => $"arn:aws:sagemaker:*:{account}:notebook-instance/*",
            "sagemaker" when action.Contains("Processing", StringComparison.Ordinal) => $"arn:aws:sagemaker:*:{account}:processing-job/*",
            "sagemaker" when action.Contains("Tuning", StringComparison.Ordinal) =>
                $"arn:aws:sagemaker:*:{account}:hyper-parameter-tuning-job/*",
            "sagemaker" => $"arn:aws:sagemaker:*:{account}:training-job/*",
            "batch" when action.Contains("JobDefinition", StringComparison.Ordinal) => $"arn:aws:batch:*:{account}:job-definition/*",
            "batch" => $"arn:aws:batch:*:{account}:job-queue/*",
            "apprunner" => $"arn:aws:apprunner:*:{account}:service/*",
            "elasticmapreduce" => $"arn:aws:elasticmapreduce:*:{account}:cluster/*",
            "ssm" => $"arn:aws:ec2:*:{account}:instance/*",
            _ => "*",
        };
    }
}
