using System.Text.Json.Nodes;
using static Ciem.Demo.Apis;
using static Ciem.Demo.PolicyDocuments;

namespace Ciem.Demo;

/// <summary>
/// The synthetic organisation: accounts, IAM principals with their policies, groups, customer-managed policies, and
/// the actors (people and workloads) whose calls become CloudTrail. Built once from the options; every random
/// choice comes from a <see cref="StableRandom"/> stream derived from the seed, so the result is deterministic.
/// </summary>
internal sealed class DemoPopulation
{
    public const string PrimaryRegion = "eu-west-1";
    public const string SecondaryRegion = "us-east-1";

    private static readonly string[] AppNames =
    [
        "orders", "payments", "billing", "catalog", "checkout", "inventory", "shipping", "invoices", "ledger", "fraud", "search", "pricing",
        "accounts", "notifications", "reporting", "onboarding", "loyalty", "reviews", "media", "analytics", "recommendations", "support",
        "partners", "settlement", "refunds", "statements", "kyc", "risk", "documents", "promotions", "returns", "warehouse",
    ];

    private static readonly string[] Components =
    [
        "api", "worker", "ingest", "export", "sync", "scheduler", "notifier", "processor", "consumer", "reconciler", "enricher", "indexer",
        "archiver", "webhook", "cleanup", "batch", "etl", "backup", "monitor", "agent",
    ];

    private static readonly string[] FirstNames =
    [
        "alice", "bruno", "chloe", "daniel", "elena", "farid", "greta", "hugo", "ines", "jonas", "karin", "lukas", "maria", "nils", "olivia",
        "pavel", "quentin", "rosa", "samir", "tara", "ugo", "vera", "wim", "xenia", "yusuf", "zoe", "amir", "bianca", "carlos", "dana",
        "emil", "fatima", "gustav", "hanna", "ivan", "julia", "kenji", "lena", "marco", "nora", "oscar", "petra", "rafael", "sofia", "tomas",
    ];

    private static readonly string[] LastNames =
    [
        "schmidt", "martin", "rossi", "garcia", "novak", "jensen", "dubois", "kowalski", "silva", "meyer", "fischer", "moreau", "ricci", "lopez",
        "horvat", "nielsen", "leroy", "nowak", "santos", "weber", "bauer", "laurent", "romano", "fernandez", "varga", "larsen", "bernard",
        "kaminski", "costa", "wagner", "becker", "girard", "greco", "torres", "toth", "hansen", "roux", "wojcik", "pereira", "hoffmann",
    ];

    private static readonly string[] Vendors = ["datadog", "snowflake", "fivetran", "segment", "pagerduty", "splunk", "tableau", "looker", "salesforce", "zendesk", "sftp-bridge", "backup-vault", "sentry", "newrelic"];

    private static readonly string[] BrowserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off",
        "AWS Internal",
    ];

    private const string LambdaNodeAgent = "aws-sdk-js/3.654.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/dynamodb#3.654.0 exec-env/AWS_Lambda_nodejs20.x";
    private const string LambdaPythonAgent = "Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145";
    private const string EcsJavaAgent = "aws-sdk-java/2.28.16 Linux/5.10.227-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS Java/21.0.5 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy";
    private const string SsmAgent = "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/3.3.987.0";
    private const string CliAgent = "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1015-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#cloudformation.deploy";
    private const string TerraformAgent = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.75.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64";
    private const string PythonAgent = "Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.54";

    private readonly DemoOptions _options;
    private readonly StableRandom _rng;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public DemoPopulation(DemoOptions options)
    {
        _options = options;
        _rng = StableRandom.For(options.Seed, 1);
        OrganizationId = "o-" + _rng.LowerAlnum(10);
        RootId = "r-" + _rng.LowerAlnum(4);
        Accounts = CreateAccounts();
        Build();
    }

    public string OrganizationId { get; }
    public string RootId { get; }
    public IReadOnlyList<DemoAccount> Accounts { get; }
    public List<Principal> Principals { get; } = [];
    public List<CustomerPolicy> CustomerPolicies { get; } = [];
    public List<DemoGroup> Groups { get; } = [];
    public List<Actor> Actors { get; } = [];
    public int People { get; private set; }
    public int PeopleWithIamUser { get; private set; }

    public DemoAccount Management => Accounts[0];
    public DemoAccount Audit => Accounts[1];
    public DemoAccount SharedServices => Accounts[3];

    private IReadOnlyList<DemoAccount> CreateAccounts()
    {
        (string Name, string Env, string Ou)[] layout =
        [
            ("management", "shared", ""), ("security-audit", "shared", "Security"), ("log-archive", "shared", "Security"),
            ("shared-services", "shared", "Infrastructure"), ("network", "shared", "Infrastructure"),
            ("payments-prod", "prod", "Workloads/Prod"), ("platform-prod", "prod", "Workloads/Prod"),
            ("payments-preprod", "preprod", "Workloads/PreProd"), ("platform-dev", "dev", "Workloads/PreProd"), ("sandbox", "dev", "Sandbox"),
        ];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var accounts = new List<DemoAccount>();
        for (var i = 0; i < layout.Length; i++)
        {
            string id;
            do { id = (char)('1' + _rng.Next(9)) + _rng.Digits(11); } while (!ids.Add(id));
            var (name, env, ou) = layout[i];
            var joined = new DateTimeOffset(2019, 3, 4, 9, 0, 0, TimeSpan.Zero).AddDays(i * 97 + _rng.Next(60)).AddSeconds(_rng.Next(86_400));
            accounts.Add(new DemoAccount(i, id, "acme-" + name, env, ou, $"aws-{name}@acme.example", joined));
        }
        return accounts;
    }

    private void Build()
    {
        var n = _options.Identities;
        var service = (int)Math.Round(n * 0.794);
        People = n - service;

        foreach (var account in Accounts) { AddAccountBasics(account); }
        var fixedService = Principals.Count(p => p.IsService);
        var remaining = Math.Max(0, service - fixedService);
        (Archetype Kind, double Share)[] shares =
        [
            (Archetype.Lambda, 0.38), (Archetype.EcsTask, 0.22), (Archetype.Ec2, 0.10), (Archetype.Ci, 0.12),
            (Archetype.Integration, 0.08), (Archetype.CrossAccount, 0.04), (Archetype.Job, 0.06),
        ];
        var counts = shares.Select(s => (s.Kind, Count: (int)Math.Floor(remaining * s.Share))).ToList();
        counts[0] = (counts[0].Kind, counts[0].Count + remaining - counts.Sum(c => c.Count));
        foreach (var (kind, count) in counts)
        {
            for (var i = 0; i < count; i++) { AddWorkload(kind); }
        }
        AddPeople();
        foreach (var account in Accounts.Where(a => a.Apps.Count == 0)) { NewApp(account, Rng(6, account.Index), name: "platform-tools"); }
        CalibrateRates();
    }

    /// <summary>
    /// Heavy-tailed activity: each active actor gets a Pareto weight, scaled so that the expected number of calls a
    /// day is about 3,000 × <see cref="DemoOptions.EventScale"/> at 3,400 identities (proportionally for other sizes).
    /// </summary>
    private void CalibrateRates()
    {
        var target = 3000.0 * _options.EventScale * _options.Identities / 3400.0;
        var weights = new double[Actors.Count];
        double expected = 0;
        foreach (var actor in Actors)
        {
            var rng = Rng(7, actor.Index);
            var weight = rng.Pareto(1.3, 200) * (actor.Human ? 2.0 : 1.0);
            weights[actor.Index] = weight;
            if (actor.Inactive || actor.DayChance <= 0) { continue; }
            expected += weight * actor.DayChance * (actor.Human ? 5.0 / 7 : 1);
        }
        var scale = expected > 0 ? target / expected : 0;
        foreach (var actor in Actors) { actor.Rate = weights[actor.Index] * scale; }
    }

    private StableRandom Rng(long stream, long index) => StableRandom.For(_options.Seed, stream, index);

    private string NewId(string prefix)
    {
        string id;
        do { id = prefix + _rng.Upper(17); } while (!_ids.Add(id));
        return id;
    }

    private string UniqueName(DemoAccount account, string name)
    {
        var candidate = name;
        for (var i = 2; !_names.Add(account.Id + "/" + candidate); i++) { candidate = $"{name}-{i}"; }
        return candidate;
    }

    private DateTimeOffset CreatedAfter(DateTimeOffset start, StableRandom rng)
    {
        var end = _options.AsOf.AddDays(-30);
        var span = Math.Max(1, (end - start).TotalDays);
        return start.AddDays(Math.Floor(rng.NextDouble() * span)).AddSeconds(rng.Next(86_400)).ToOffset(TimeSpan.Zero);
    }

    private Principal AddPrincipal(DemoAccount account, Archetype archetype, string name, string path, bool user, StableRandom rng)
    {
        var principal = new Principal
        {
            Index = Principals.Count,
            Account = account,
            Archetype = archetype,
            IsUser = user,
            Name = UniqueName(account, name),
            Path = path,
            Id = NewId(user ? "AIDA" : "AROA"),
            Created = CreatedAfter(account.Joined, rng),
        };
        Principals.Add(principal);
        return principal;
    }

    private CustomerPolicy AddPolicy(DemoAccount account, string name, string path, JsonObject document, StableRandom rng, JsonObject? previous = null)
    {
        var policy = new CustomerPolicy(account, name, path, NewId("ANPA"), document, CreatedAfter(account.Joined, rng), previous);
        CustomerPolicies.Add(policy);
        return policy;
    }

    private static bool IsWorkloadAccount(DemoAccount account) => account.Env is "prod" or "preprod" or "dev";

    private AppResources NewApp(DemoAccount account, StableRandom rng, string region = PrimaryRegion, string? name = null)
    {
        var app = name ?? $"{rng.Pick(AppNames)}-{rng.Pick(Components)}";
        var resources = new AppResources(app, account, region, rng.Guid());
        account.Apps.Add(resources);
        return resources;
    }

    private Actor AddActor(Slot[] slots, bool human, string ip, string agent, StableRandom rng, string? email = null)
    {
        var actor = new Actor { Index = Actors.Count, Slots = slots, Human = human, SourceIp = ip, UserAgent = agent, Email = email, Hour = rng.Next(24) };
        Actors.Add(actor);
        return actor;
    }

    private static string AwsIp(StableRandom rng) => rng.Chance(0.5) ? $"3.{rng.Next(248, 256)}.{rng.Next(256)}.{rng.Next(1, 255)}" : $"52.{rng.Next(16, 31)}.{rng.Next(256)}.{rng.Next(1, 255)}";

    /// <summary>Service-linked roles, the organization access role, the Terraform role and the security-audit role of an account.</summary>
    private void AddAccountBasics(DemoAccount account)
    {
        var rng = Rng(2, account.Index);
        var slrCount = Math.Clamp((int)Math.Round(_options.Identities / 425.0), 1, AwsManagedPolicies.ServiceLinkedRoles.Length);
        foreach (var (service, roleName, policy) in AwsManagedPolicies.ServiceLinkedRoles.Take(slrCount))
        {
            if (service == "organizations.amazonaws.com" && account != Management) { continue; }
            var role = AddPrincipal(account, Archetype.ServiceLinked, roleName, $"/aws-service-role/{service}/", user: false, rng);
            role.Service = service;
            role.Trust = TrustService(service).ToJsonString();
            role.Attached.Add(new ManagedRef(policy.Name, policy.Arn));
            var calls = service switch
            {
                "trustedadvisor.amazonaws.com" => new[] { DescribeInstances, DescribeSecurityGroups, ListBuckets, GetBucketAcl },
                "ecs.amazonaws.com" => [DescribeSubnets, DescribeSecurityGroups],
                "elasticloadbalancing.amazonaws.com" => [DescribeInstances, DescribeSubnets, DescribeVpcs],
                "autoscaling.amazonaws.com" => [DescribeInstances, CreateTags],
                "rds.amazonaws.com" => [DescribeSecurityGroups, DescribeVpcs],
                _ => [],
            };
            if (calls.Length > 0)
            {
                var actor = AddActor([new Slot(role, calls, service.Split('.')[0] switch { "ecs" => "ecs-service-scheduler", "autoscaling" => "AutoScaling", _ => roleName.Replace("AWSServiceRoleFor", "", StringComparison.Ordinal) })], false, service, service, rng);
                actor.DayChance = 0.6;
                actor.Inactive = rng.Chance(0.1);
            }
        }
        if (account != Management)
        {
            var access = AddPrincipal(account, Archetype.OrganizationAccess, "OrganizationAccountAccessRole", "/", user: false, rng);
            access.Created = account.Joined;
            access.Trust = TrustAccount(Management.Id).ToJsonString();
            access.Attached.Add(Ref(AwsManagedPolicies.AdministratorAccess));
            access.IsAdmin = true;
            var actor = AddActor([new Slot(access, [DescribeInstances, ListRoles, ListBuckets], "admin-" + rng.LowerAlnum(6))], false, $"203.0.113.{rng.Next(10, 60)}", BrowserAgents[3], rng);
            actor.IsAdmin = true;
            actor.Inactive = rng.Chance(0.8);
            actor.DayChance = 0.02;
        }
        var audit = AddPrincipal(account, Archetype.CrossAccount, "SecurityAuditRole", "/security/", user: false, rng);
        audit.Trust = TrustRole($"arn:aws:iam::{Audit.Id}:role/app/security-scanner").ToJsonString();
        audit.Attached.Add(Ref(AwsManagedPolicies.SecurityAudit));
        audit.Tags.Add(("owner", "security@acme.example"));
        var auditActor = AddActor([new Slot(audit, [GetAccountAuthorizationDetails, ListRoles, DescribeSecurityGroups, GetBucketPolicy, GetBucketAcl, ListBuckets, DescribeTrails, DescribeConfigRules, ListKeys], "security-scanner")], false, AwsIp(rng), PythonAgent, rng);
        auditActor.DayChance = 0.98;
        auditActor.Hour = 2;
        if (account.Env is not "shared" || account == SharedServices || account.Name.EndsWith("network", StringComparison.Ordinal))
        {
            var terraform = AddPrincipal(account, Archetype.Terraform, "terraform-deploy", "/", user: false, rng);
            terraform.Trust = TrustAccount(SharedServices.Id, Condition("ArnLike", "aws:PrincipalArn", $"arn:aws:iam::{SharedServices.Id}:role/ci/*")).ToJsonString();
            terraform.Attached.Add(Ref(AwsManagedPolicies.AdministratorAccess));
            terraform.IsAdmin = true;
            terraform.Tags.Add(("managed-by", "terraform"));
            var usesAdmin = rng.Chance(0.4);
            ApiCall[] calls = usesAdmin
                ? [DescribeInstances, GetRole, DescribeSecurityGroups, GetBucketPolicy, DescribeVpcs, ListAttachedRolePolicies, PutRolePolicy, CreateRole]
                : [DescribeInstances, GetRole, DescribeSecurityGroups, GetBucketPolicy, DescribeVpcs, DescribeTable, GetQueueAttributes];
            var actor = AddActor([new Slot(terraform, calls, "terraform-" + rng.LowerAlnum(8))], false, $"192.0.2.{rng.Next(1, 250)}", TerraformAgent, rng);
            actor.IsAdmin = true;
            actor.UsesAdminRights = usesAdmin;
            actor.DayChance = 0.4;
            actor.Inactive = account.Name.EndsWith("sandbox", StringComparison.Ordinal);
        }
        AddAccountPolicies(account, rng);
    }

    private static ManagedRef Ref(ManagedPolicy policy) => new(policy.Name, policy.Arn);

    private void AddAccountPolicies(DemoAccount account, StableRandom rng)
    {
        if (IsWorkloadAccount(account))
        {
            AddPolicy(account, "workload-boundary", "/boundaries/", WorkloadBoundary(account.Id), rng);
        }
        if (account == SharedServices || IsWorkloadAccount(account))
        {
            AddPolicy(account, "ci-deploy-boundary", "/boundaries/", CiBoundary(), rng);
            var previous = CiDeploy();
            previous["Statement"]!.AsArray().RemoveAt(2);
            AddPolicy(account, "ci-deploy", "/ci/", CiDeploy(), rng, previous);
        }
        if (account == Management)
        {
            var mfa = AddPolicy(account, "RequireMFA", "/", RequireMfa(), rng);
            Groups.Add(new DemoGroup(account, "Admins", NewId("AGPA"), account.Joined.AddHours(1), [Ref(AwsManagedPolicies.AdministratorAccess), mfa.Ref], []));
            Groups.Add(new DemoGroup(account, "Developers", NewId("AGPA"), account.Joined.AddHours(2), [Ref(AwsManagedPolicies.ReadOnlyAccess), mfa.Ref],
                [("DeveloperAssume", Document(Statement(null, "Allow", ["sts:AssumeRole"], ["arn:aws:iam::*:role/ReadOnlyCrossAccount"])))]));
        }
        if (account.Env is "prod" or "preprod")
        {
            Groups.Add(new DemoGroup(account, "integrations", NewId("AGPA"), CreatedAfter(account.Joined, rng), [Ref(AwsManagedPolicies.AmazonS3ReadOnlyAccess)], []));
        }
    }

    private DemoAccount WorkloadAccount(StableRandom rng)
    {
        // payments-prod, platform-prod, payments-preprod, platform-dev, sandbox, shared-services, network, audit, log-archive, management
        double[] weights = [3, 3, 2, 2, 1, 1.2, 0.3, 0.3, 0.2, 0.2];
        int[] order = [5, 6, 7, 8, 9, 3, 4, 1, 2, 0];
        var x = rng.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) { return Accounts[order[i]]; }
        }
        return Accounts[5];
    }

    private void AddWorkload(Archetype kind)
    {
        var index = Principals.Count;
        var rng = Rng(3, index);
        var account = kind == Archetype.Ci && rng.Chance(0.6) ? SharedServices : WorkloadAccount(rng);
        if (kind == Archetype.Ci && !IsWorkloadAccount(account)) { account = SharedServices; }
        var region = rng.Chance(0.1) ? SecondaryRegion : PrimaryRegion;
        var app = NewApp(account, rng, region);
        var tags = new List<(string, string)> { ("app", app.App.Split('-')[0]), ("env", account.Env), ("team", "team-" + rng.Pick(AppNames)) };
        Principal principal;
        ApiCall[] calls;
        string session;
        string agent;
        string ip = AwsIp(rng);
        string? invokedBy = null;
        var admin = false;
        var usesAdmin = false;
        switch (kind)
        {
            case Archetype.Lambda:
            {
                principal = AddPrincipal(account, kind, app.App + "-lambda-role", rng.Chance(0.5) ? "/service-role/" : "/app/", false, rng);
                principal.Trust = TrustService("lambda.amazonaws.com").ToJsonString();
                principal.Attached.Add(Ref(AwsManagedPolicies.AWSLambdaBasicExecutionRole));
                calls = PickCalls(rng, [GetItem, PutItem, Query, UpdateItem], [GetObject, PutObject, HeadObject], [SendMessage, ReceiveMessage, DeleteMessage], [Decrypt, GenerateDataKey], [GetSecretValue], [GetParameter], [CreateLogStream]);
                if (rng.Chance(0.02))
                {
                    principal.Attached.Add(Ref(AwsManagedPolicies.AdministratorAccess));
                    admin = true;
                    calls = [DescribeInstances, DescribeVolumes, CreateSnapshot, CreateTags];
                }
                else { GrantCalls(principal, app, calls, rng); }
                session = principal.Name.Replace("-lambda-role", "", StringComparison.Ordinal);
                agent = rng.Chance(0.5) ? LambdaNodeAgent : LambdaPythonAgent;
                invokedBy = "lambda.amazonaws.com";
                break;
            }
            case Archetype.EcsTask:
            {
                principal = AddPrincipal(account, kind, app.App + "-task-role", "/app/", false, rng);
                principal.Trust = TrustService("ecs-tasks.amazonaws.com").ToJsonString();
                calls = PickCalls(rng, [Query, GetItem, PutItem], [GetObject, PutObject, ListObjects], [ReceiveMessage, DeleteMessage, SendMessage], [Decrypt], [GetSecretValue], [GetParameters, GetParametersByPath]);
                GrantCalls(principal, app, calls, rng);
                if (IsWorkloadAccount(account) && rng.Chance(0.3)) { principal.BoundaryArn = $"arn:aws:iam::{account.Id}:policy/boundaries/workload-boundary"; }
                session = rng.Hex(32);
                agent = EcsJavaAgent;
                invokedBy = "ecs-tasks.amazonaws.com";
                break;
            }
            case Archetype.Ec2:
            {
                principal = AddPrincipal(account, kind, app.App + "-ec2-role", "/", false, rng);
                principal.Trust = TrustService("ec2.amazonaws.com").ToJsonString();
                principal.InstanceProfile = true;
                principal.Attached.Add(Ref(AwsManagedPolicies.AmazonSSMManagedInstanceCore));
                principal.Attached.Add(Ref(AwsManagedPolicies.CloudWatchAgentServerPolicy));
                var extra = PickCalls(rng, [GetObject, ListObjects], [GetSecretValue]);
                if (rng.Chance(0.25)) { principal.Attached.Add(Ref(AwsManagedPolicies.AmazonS3FullAccess)); }
                else if (extra.Length > 0) { GrantCalls(principal, app, extra, rng); }
                calls = [UpdateInstanceInformation, ListInstanceAssociations, DescribeTags, .. extra];
                session = "i-0" + rng.Hex(16);
                agent = SsmAgent;
                break;
            }
            case Archetype.Ci:
            {
                var repository = app.App;
                principal = AddPrincipal(account, kind, "github-" + repository + "-deploy", "/ci/", false, rng);
                principal.Trust = TrustGitHub(account.Id, repository).ToJsonString();
                principal.Repository = "acme/" + repository;
                principal.Tags.Add(("repository", principal.Repository));
                var roll = rng.NextDouble();
                if (roll < 0.2)
                {
                    principal.Attached.Add(Ref(AwsManagedPolicies.AdministratorAccess));
                    admin = true;
                    usesAdmin = rng.Chance(0.1);
                }
                else if (roll < 0.35) { principal.Attached.Add(Ref(AwsManagedPolicies.PowerUserAccess)); }
                else
                {
                    principal.Attached.Add(new ManagedRef("ci-deploy", $"arn:aws:iam::{account.Id}:policy/ci/ci-deploy"));
                    principal.Attached.Add(Ref(AwsManagedPolicies.AmazonEC2ContainerRegistryPowerUser));
                    principal.BoundaryArn = $"arn:aws:iam::{account.Id}:policy/boundaries/ci-deploy-boundary";
                }
                calls = rng.Chance(0.5)
                    ? [GetCallerIdentity, DescribeStacks, DescribeStackEvents, CreateChangeSet, ExecuteChangeSet, PutObject]
                    : [GetCallerIdentity, GetAuthorizationToken, InitiateLayerUpload, PutImage, DescribeServices, RegisterTaskDefinition, UpdateService];
                if (usesAdmin) { calls = [.. calls, CreateRole, PutRolePolicy]; }
                session = "GitHubActions";
                agent = CliAgent;
                ip = $"192.0.2.{rng.Next(1, 255)}";
                break;
            }
            case Archetype.Integration:
            {
                var vendor = rng.Pick(Vendors);
                principal = AddPrincipal(account, kind, $"svc-{vendor}", "/service-accounts/", true, rng);
                principal.AccessKeyId = "AKIA" + rng.Upper(16);
                principal.Tags.Add(("vendor", vendor));
                principal.Tags.Add(("created-by", rng.Pick(FirstNames) + "." + rng.Pick(LastNames)));
                if (rng.Chance(0.1))
                {
                    principal.Attached.Add(Ref(AwsManagedPolicies.AdministratorAccess));
                    admin = true;
                    calls = [ListBuckets, GetObject, PutObject, ListObjects];
                }
                else if (vendor is "datadog" or "newrelic" or "splunk")
                {
                    principal.Attached.Add(Ref(AwsManagedPolicies.ReadOnlyAccess));
                    calls = [GetMetricData, ListMetrics, DescribeInstances, GetResources, DescribeAlarms];
                }
                else
                {
                    if (account.Env is "prod" or "preprod" && rng.Chance(0.5)) { principal.Groups.Add("integrations"); }
                    calls = PickCalls(rng, [GetObject, PutObject, ListObjects], [SendMessage]);
                    if (calls.Length == 0) { calls = [GetObject, ListObjects]; }
                    GrantCalls(principal, app, calls, rng);
                }
                session = "";
                agent = PythonAgent;
                ip = $"198.51.100.{rng.Next(1, 255)}";
                break;
            }
            case Archetype.CrossAccount:
            {
                var source = Accounts[5 + rng.Next(5)];
                principal = AddPrincipal(account, kind, $"{app.App}-access-from-{source.Name.Replace("acme-", "", StringComparison.Ordinal)}", "/cross-account/", false, rng);
                principal.Trust = TrustAccount(source.Id, rng.Chance(0.5) ? Condition("StringEquals", "sts:ExternalId", rng.Hex(24)) : null).ToJsonString();
                calls = PickCalls(rng, [GetObject, ListObjects], [Query, GetItem], [SendMessage]);
                if (calls.Length == 0) { calls = [GetObject]; }
                if (rng.Chance(0.3))
                {
                    principal.Attached.Add(Ref(AwsManagedPolicies.ReadOnlyAccess));
                    calls = [.. calls.Where(c => c.ReadOnly)];
                    if (calls.Length == 0) { calls = [GetObject]; }
                }
                else { GrantCalls(principal, app, calls, rng); }
                session = $"{source.Name}-{rng.LowerAlnum(6)}";
                agent = PythonAgent;
                break;
            }
            default:
            {
                var glue = rng.Chance(0.6);
                principal = AddPrincipal(account, Archetype.Job, app.App + (glue ? "-glue-job" : "-report-job"), "/service-role/", false, rng);
                principal.Trust = TrustService(glue ? "glue.amazonaws.com" : "lambda.amazonaws.com").ToJsonString();
                var quarterly = rng.Chance(0.7);
                ApiCall[] seasonal = glue ? [StartJobRun, GetJobRuns, GetObject, PutObject, GetTables] : [CreateDBSnapshot, DescribeDBSnapshots, PutObject, GetCostAndUsage];
                calls = rng.Chance(0.4) ? [GetObject, ListObjects] : [];
                GrantCalls(principal, app, [.. seasonal, .. calls.Except(seasonal)], rng);
                session = principal.Name;
                agent = PythonAgent;
                var actor = AddActor(calls.Length > 0 ? [new Slot(principal, calls, session)] : [new Slot(principal, seasonal, session)], false, ip, agent, rng);
                var period = quarterly ? rng.Next(88, 100) : 365;
                var last = quarterly ? rng.Next(3, Math.Min(120, period + 25)) : rng.Next(150, 381);
                actor.Seasonal = new SeasonalJob(period, last, seasonal, rng.Next(4, 20));
                actor.DayChance = calls.Length > 0 ? 0.8 : 0;
                actor.Inactive = calls.Length > 0 && rng.Chance(0.1);
                principal.Resources = app;
                principal.Tags.AddRange(tags);
                principal.Tags.Add(("schedule", quarterly ? "quarterly" : "annual"));
                return;
            }
        }
        // The workload's calls go to its own application's resources, the ones its policies name.
        principal.Resources = app;
        principal.Tags.AddRange(tags);
        principal.IsAdmin = admin;
        var workload = AddActor([new Slot(principal, calls, session)], false, ip, agent, rng);
        workload.IsAdmin = admin;
        workload.UsesAdminRights = usesAdmin;
        workload.InvokedBy = invokedBy;
        workload.WebIdentity = kind == Archetype.Ci;
        workload.Inactive = rng.Chance(0.15);
        workload.DayChance = rng.Chance(0.7) ? 0.97 : 0.3;
        workload.Region = region;
        if (kind == Archetype.Ci && account == SharedServices)
        {
            var target = Principals.FirstOrDefault(p => p.Archetype == Archetype.Terraform && p.Account == Accounts[5 + rng.Next(5)]);
            if (target is not null)
            {
                workload.Slots[0] = workload.Slots[0] with { AssumeTarget = target, Calls = [.. calls, AssumeRole] };
            }
        }
    }

    /// <summary>Takes each group of calls with probability one half (at least one group), and a prefix of each.</summary>
    private static ApiCall[] PickCalls(StableRandom rng, params ApiCall[][] groups)
    {
        var picked = new List<ApiCall>();
        foreach (var group in groups)
        {
            if (rng.Chance(0.5)) { picked.AddRange(group.Take(rng.Next(1, group.Length + 1))); }
        }
        if (picked.Count == 0) { picked.AddRange(groups[0].Take(2)); }
        return [.. picked];
    }

    private static void GrantCalls(Principal principal, AppResources app, ApiCall[] calls, StableRandom rng)
    {
        var roll = rng.NextDouble();
        if (roll < 0.08 && calls.Any(c => c.Source == "dynamodb.amazonaws.com"))
        {
            principal.Attached.Add(Ref(AwsManagedPolicies.AmazonDynamoDBFullAccess));
            calls = [.. calls.Where(c => c.Source != "dynamodb.amazonaws.com")];
        }
        else if (roll < 0.16 && calls.Any(c => c.Source == "s3.amazonaws.com"))
        {
            principal.Attached.Add(Ref(AwsManagedPolicies.AmazonS3FullAccess));
            calls = [.. calls.Where(c => c.Source != "s3.amazonaws.com")];
        }
        if (calls.Length > 0)
        {
            principal.Inline.Add(($"{app.App}-access", ForCalls(calls, app, rng, wildcardChance: 0.2)));
        }
    }

    /// <summary>
    /// People sign in through Identity Center: one `AWSReservedSSO_&lt;PermissionSet&gt;_&lt;hash&gt;` role per
    /// permission set and account, shared by everyone assigned; a few also keep a legacy IAM user in the management account.
    /// </summary>
    private void AddPeople()
    {
        var ssoRoles = new Dictionary<(string Set, int Account), Principal>();
        var setPolicies = new Dictionary<string, Action<Principal>>(StringComparer.Ordinal)
        {
            ["AdministratorAccess"] = p => { p.Attached.Add(Ref(AwsManagedPolicies.AdministratorAccess)); p.IsAdmin = true; },
            ["PowerUserAccess"] = p => p.Attached.Add(Ref(AwsManagedPolicies.PowerUserAccess)),
            ["ReadOnlyAccess"] = p => p.Attached.Add(Ref(AwsManagedPolicies.ReadOnlyAccess)),
            ["SecurityAudit"] = p => { p.Attached.Add(Ref(AwsManagedPolicies.SecurityAudit)); p.Attached.Add(Ref(AwsManagedPolicies.ReadOnlyAccess)); },
            ["Billing"] = p => p.Attached.Add(Ref(AwsManagedPolicies.Billing)),
            ["Developer"] = p => p.Inline.Add(("AwsSSOInlinePolicy", DeveloperAccess())),
            ["DataEngineer"] = p => { p.Inline.Add(("AwsSSOInlinePolicy", DataEngineer())); p.Attached.Add(Ref(AwsManagedPolicies.AmazonS3ReadOnlyAccess)); },
            ["NetworkAdmin"] = p => p.Inline.Add(("AwsSSOInlinePolicy", NetworkAdmin())),
        };
        Principal Role(string set, DemoAccount account)
        {
            if (ssoRoles.TryGetValue((set, account.Index), out var existing)) { return existing; }
            var rng = Rng(4, account.Index * 100 + setPolicies.Keys.ToList().IndexOf(set));
            var role = AddPrincipal(account, Archetype.Sso, $"AWSReservedSSO_{set}_{rng.Hex(16)}", "/aws-reserved/sso.amazonaws.com/", false, rng);
            role.Trust = TrustSso(account.Id).ToJsonString();
            setPolicies[set](role);
            ssoRoles[(set, account.Index)] = role;
            return role;
        }

        var emails = new HashSet<string>(StringComparer.Ordinal);
        var legacyUsers = Math.Max(2, (int)Math.Round(People * 0.04));
        for (var i = 0; i < People; i++)
        {
            var rng = Rng(5, i);
            var first = FirstNames[rng.Next(FirstNames.Length)];
            var last = LastNames[rng.Next(LastNames.Length)];
            var email = $"{first}.{last}@acme.example";
            for (var k = 2; !emails.Add(email); k++) { email = $"{first}.{last}{k}@acme.example"; }
            var roll = rng.NextDouble();
            var slots = new List<Slot>();
            var workloads = Accounts.Skip(5).ToList();
            var admin = false;
            var usesAdmin = false;
            void Assign(string set, DemoAccount account, ApiCall[] calls, double weight) => slots.Add(new Slot(Role(set, account), calls, email, weight));
            if (roll < 0.22)
            {
                admin = true;
                usesAdmin = rng.Chance(0.12);
                var adminAccounts = Accounts.OrderBy(_ => rng.NextUInt64()).Take(rng.Next(1, 4)).ToList();
                foreach (var account in adminAccounts)
                {
                    Assign("AdministratorAccess", account, usesAdmin ? [.. ConsoleReads.Take(8), .. AdminWrites.Take(rng.Next(1, 4))] : [.. ConsoleReads.Take(rng.Next(4, 12))], 1);
                }
                Assign("ReadOnlyAccess", rng.Pick(workloads), [.. ConsoleReads.Take(6)], 1.5);
            }
            else if (roll < 0.62)
            {
                var team = workloads[rng.Next(workloads.Count)];
                var dev = Accounts[rng.Chance(0.5) ? 8 : 9];
                Assign("Developer", dev, [.. DeveloperCalls.Take(rng.Next(3, DeveloperCalls.Length + 1))], 3);
                Assign("Developer", Accounts[7], [.. DeveloperCalls.Take(rng.Next(2, 6))], 1);
                Assign("ReadOnlyAccess", team, [.. ConsoleReads.Take(rng.Next(3, 8))], 1);
            }
            else if (roll < 0.70)
            {
                Assign("PowerUserAccess", Accounts[8 + rng.Next(2)], [.. ConsoleReads.Take(5), .. PowerUserWrites.Take(rng.Next(2, PowerUserWrites.Length))], 2);
                Assign("ReadOnlyAccess", rng.Pick(workloads), [.. ConsoleReads.Take(5)], 1);
            }
            else if (roll < 0.80)
            {
                Assign("DataEngineer", Accounts[5 + rng.Next(2)], [.. DataCalls.Take(rng.Next(3, DataCalls.Length + 1))], 2);
                Assign("DataEngineer", Accounts[7], [.. DataCalls.Take(4)], 1);
            }
            else if (roll < 0.85)
            {
                foreach (var account in Accounts) { Assign("SecurityAudit", account, [.. SecurityCalls.Take(rng.Next(3, SecurityCalls.Length + 1))], account == Audit ? 4 : 1); }
            }
            else if (roll < 0.88)
            {
                Assign("Billing", Management, BillingCalls, 1);
                Assign("ReadOnlyAccess", Management, [ListAccounts, DescribeOrganization], 0.3);
            }
            else if (roll < 0.91)
            {
                Assign("NetworkAdmin", Accounts[4], NetworkCalls, 3);
                Assign("ReadOnlyAccess", rng.Pick(workloads), [DescribeVpcs, DescribeSubnets, DescribeSecurityGroups], 1);
            }
            else
            {
                Assign("ReadOnlyAccess", rng.Pick(workloads), [.. ConsoleReads.Take(rng.Next(2, 10))], 1);
            }
            if (i < legacyUsers)
            {
                var user = AddPrincipal(Management, Archetype.HumanUser, $"{first}.{last}", "/", true, rng);
                user.Groups.Add(admin ? "Admins" : "Developers");
                user.IsAdmin = admin;
                user.AccessKeyId = "ASIA" + rng.Upper(16);
                user.Tags.Add(("email", email));
                slots.Add(new Slot(user, [.. ConsoleReads.Take(5)], "", 0.5));
                PeopleWithIamUser++;
            }
            var agent = rng.Pick(BrowserAgents);
            var actor = AddActor([.. slots], true, rng.Chance(0.7) ? $"203.0.113.{rng.Next(1, 255)}" : $"198.51.100.{rng.Next(1, 255)}", agent, rng, email);
            actor.IsAdmin = admin;
            actor.UsesAdminRights = usesAdmin;
            actor.Inactive = rng.Chance(0.15);
            actor.DayChance = rng.NextDouble() * 0.6 + 0.2;
            actor.UtcOffset = rng.Chance(0.8) ? -1 : 5;
            actor.DeniedChance = admin ? 0 : 0.01;
        }
    }
}
