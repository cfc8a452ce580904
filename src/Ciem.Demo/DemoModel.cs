using System.Text.Json.Nodes;

namespace Ciem.Demo;

/// <summary>What kind of identity the generator made, and so what it does.</summary>
internal enum Archetype
{
    Sso,
    HumanUser,
    Lambda,
    EcsTask,
    Ec2,
    Ci,
    Integration,
    CrossAccount,
    Job,
    ServiceLinked,
    OrganizationAccess,
    Terraform,
}

internal sealed record DemoAccount(int Index, string Id, string Name, string Env, string Ou, string Email, DateTimeOffset Joined)
{
    public List<AppResources> Apps { get; } = [];
}

/// <summary>The resources of one application in one account, named the same way in policies and in events (computed once).</summary>
internal sealed class AppResources
{
    public AppResources(string app, DemoAccount account, string region, string keyId)
    {
        App = app;
        Account = account;
        Region = region;
        Bucket = $"acme-{App}-{Account.Env}-{Account.Id[^4..]}";
        BucketArn = $"arn:aws:s3:::{Bucket}";
        Table = $"{App}-{Account.Env}";
        TableArn = $"arn:aws:dynamodb:{Region}:{Account.Id}:table/{Table}";
        Queue = $"{App}-{Account.Env}-events";
        QueueArn = $"arn:aws:sqs:{Region}:{Account.Id}:{Queue}";
        QueueUrl = $"https://sqs.{Region}.amazonaws.com/{Account.Id}/{Queue}";
        KeyArn = $"arn:aws:kms:{Region}:{Account.Id}:key/{keyId}";
        SecretArn = $"arn:aws:secretsmanager:{Region}:{Account.Id}:secret:{App}/{Account.Env}/db-{keyId[..6]}";
        ParameterPath = $"/{App}/{Account.Env}";
        ParameterArn = $"arn:aws:ssm:{Region}:{Account.Id}:parameter{ParameterPath}/*";
        Stack = $"{App}-{Account.Env}";
        StackArn = $"arn:aws:cloudformation:{Region}:{Account.Id}:stack/{Stack}/*";
        FunctionArn = $"arn:aws:lambda:{Region}:{Account.Id}:function:{App}-{Account.Env}";
        Cluster = $"{App}-{Account.Env}";
        ServiceArn = $"arn:aws:ecs:{Region}:{Account.Id}:service/{Cluster}/*";
        Repository = App;
        RepositoryArn = $"arn:aws:ecr:{Region}:{Account.Id}:repository/{Repository}";
        LogGroup = $"/aws/lambda/{App}-{Account.Env}";
        LogGroupArn = $"arn:aws:logs:{Region}:{Account.Id}:log-group:/aws/lambda/{App}-*";
        DbInstance = $"{App}-{Account.Env}-db";
        GlueJob = $"{App}-{Account.Env}-export";
        GlueJobArn = $"arn:aws:glue:{Region}:{Account.Id}:job/{App}-*";
        RoleArnPattern = $"arn:aws:iam::{Account.Id}:role/{App}-*";
    }

    public string App { get; }
    public DemoAccount Account { get; }
    public string Region { get; }
    public string Bucket { get; }
    public string BucketArn { get; }
    public string Table { get; }
    public string TableArn { get; }
    public string Queue { get; }
    public string QueueArn { get; }
    public string QueueUrl { get; }
    public string KeyArn { get; }
    public string SecretArn { get; }
    public string ParameterPath { get; }
    public string ParameterArn { get; }
    public string Stack { get; }
    public string StackArn { get; }
    public string FunctionArn { get; }
    public string Cluster { get; }
    public string ServiceArn { get; }
    public string Repository { get; }
    public string RepositoryArn { get; }
    public string LogGroup { get; }
    public string LogGroupArn { get; }
    public string DbInstance { get; }
    public string GlueJob { get; }
    public string GlueJobArn { get; }
    public string RoleArnPattern { get; }

    /// <summary>The resource ARNs a policy statement for the given target names.</summary>
    public string[] PolicyResources(Target target) => target switch
    {
        Target.Bucket or Target.Object => [BucketArn, BucketArn + "/*"],
        Target.Table => [TableArn, TableArn + "/index/*"],
        Target.Queue => [QueueArn],
        Target.Key => [KeyArn],
        Target.Secret => [$"arn:aws:secretsmanager:{Region}:{Account.Id}:secret:{App}/*"],
        Target.Parameter => [ParameterArn],
        Target.Role => [RoleArnPattern],
        Target.Stack => [StackArn],
        Target.Function => [FunctionArn],
        Target.Cluster => [ServiceArn],
        Target.Repository => [RepositoryArn],
        Target.LogGroup => [LogGroupArn, LogGroupArn + ":*"],
        Target.DbInstance => [$"arn:aws:rds:{Region}:{Account.Id}:db:{DbInstance}", $"arn:aws:rds:{Region}:{Account.Id}:snapshot:*"],
        Target.GlueJob => [GlueJobArn],
        Target.Query => [$"arn:aws:athena:{Region}:{Account.Id}:workgroup/primary"],
        _ => ["*"],
    };
}

/// <summary>An IAM user or role of the estate, with its policies as written to the export.</summary>
internal sealed class Principal
{
    private readonly Lock _gate = new();

    public required int Index { get; init; }
    public required DemoAccount Account { get; init; }
    public required Archetype Archetype { get; init; }
    public required bool IsUser { get; init; }
    public required string Name { get; init; }
    public required string Path { get; init; }
    public required string Id { get; init; }
    public required DateTimeOffset Created { get; set; }
    public string? Trust { get; set; }
    public List<ManagedRef> Attached { get; } = [];
    public List<(string Name, JsonObject Document)> Inline { get; } = [];
    public string? BoundaryArn { get; set; }
    public List<string> Groups { get; } = [];
    public List<(string Key, string Value)> Tags { get; } = [];
    public bool InstanceProfile { get; set; }
    public bool IsAdmin { get; set; }
    public string? AccessKeyId { get; set; }
    public AppResources? Resources { get; set; }

    /// <summary>For service-linked roles: the service that assumes it.</summary>
    public string? Service { get; set; }

    public string Arn => field ??= $"arn:aws:iam::{Account.Id}:{(IsUser ? "user" : "role")}{Path}{Name}";

    /// <summary>For CI roles: the GitHub repository (`acme/name`) allowed to assume it.</summary>
    public string? Repository { get; set; }
    public bool IsService => Archetype is not (Archetype.Sso or Archetype.HumanUser);

    public long LastUsedTicks { get; private set; }
    public string? LastUsedRegion { get; private set; }

    public void MarkUsed(long ticks, string region)
    {
        lock (_gate)
        {
            if (ticks > LastUsedTicks || (ticks == LastUsedTicks && string.CompareOrdinal(region, LastUsedRegion) < 0))
            {
                LastUsedTicks = ticks;
                LastUsedRegion = region;
            }
        }
    }
}

internal sealed record ManagedRef(string Name, string Arn);

/// <summary>A customer-managed policy of one account.</summary>
internal sealed record CustomerPolicy(DemoAccount Account, string Name, string Path, string PolicyId, JsonObject Document, DateTimeOffset Created, JsonObject? PreviousVersion)
{
    public string Arn => $"arn:aws:iam::{Account.Id}:policy{Path}{Name}";
    public ManagedRef Ref => new(Name, Arn);
}

internal sealed record DemoGroup(DemoAccount Account, string Name, string Id, DateTimeOffset Created, ManagedRef[] Attached, (string Name, JsonObject Document)[] Inline)
{
    public string Arn => $"arn:aws:iam::{Account.Id}:group/{Name}";
}

/// <summary>One identity an actor acts as, with the calls it makes there (most frequent first).</summary>
internal sealed record Slot(Principal Principal, ApiCall[] Calls, string SessionName, double Weight = 1, Principal? AssumeTarget = null)
{
    /// <summary>`userIdentity.principalId` of the role session: the role id and the session name.</summary>
    public string SessionPrincipalId => field ??= $"{Principal.Id}:{SessionName}";

    /// <summary>`userIdentity.arn` of the role session (an STS ARN without the role's path).</summary>
    public string SessionArn => field ??= $"arn:aws:sts::{Principal.Account.Id}:assumed-role/{Principal.Name}/{SessionName}";
}

/// <summary>A recurring job: runs every <see cref="PeriodDays"/>, last <see cref="LastRunDaysBack"/> days before as-of.</summary>
internal sealed record SeasonalJob(int PeriodDays, int LastRunDaysBack, ApiCall[] Calls, int CallsPerRun);

/// <summary>
/// Someone or something that makes calls: a person (over the Identity Center roles they are assigned and maybe a
/// legacy IAM user) or a workload (over its one role or user).
/// </summary>
internal sealed class Actor
{
    public required int Index { get; init; }
    public required Slot[] Slots { get; init; }
    public required bool Human { get; init; }
    public required string SourceIp { get; init; }
    public required string UserAgent { get; init; }
    public string? Email { get; init; }
    public bool Inactive { get; set; }
    public bool IsAdmin { get; set; }
    public bool UsesAdminRights { get; set; }

    /// <summary>Mean calls on an active day.</summary>
    public double Rate { get; set; }

    /// <summary>Chance that a given (week)day is active.</summary>
    public double DayChance { get; set; } = 1;

    /// <summary>Hour (UTC) around which a low-volume scheduled workload runs; humans use their office hours.</summary>
    public int Hour { get; set; }

    public int UtcOffset { get; set; }
    public string Region { get; set; } = "eu-west-1";
    public SeasonalJob? Seasonal { get; set; }

    /// <summary>The service that assumes the role first (`lambda.amazonaws.com`), logged as an AWSService event.</summary>
    public string? InvokedBy { get; set; }

    public bool WebIdentity { get; set; }
    public double DeniedChance { get; set; }
    public double TotalWeight => Slots.Sum(s => s.Weight);

    /// <summary>Calls written for this actor (updated while CloudTrail is generated).</summary>
    public long Events;
}
