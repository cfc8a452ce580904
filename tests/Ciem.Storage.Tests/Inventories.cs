using System.Collections.Immutable;
using Ciem.Core.Aws.Inventory;

namespace Ciem.Storage.Tests;

/// <summary>Inventories that set every field (and leave every optional one empty somewhere), in the store's read order.</summary>
internal static class Inventories
{
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(2));
    public static readonly DateTimeOffset Tuesday = Monday.AddDays(1);

    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string Allow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    public static AwsAccountSnapshot Account(string id, DateTimeOffset takenAt, string roleDescription = "runs orders") => new(
        id,
        takenAt,
        [
            new IamUser($"arn:aws:iam::{id}:user/alice", "alice", "AIDA1", "/", Monday.AddYears(-2), ["admins"],
                [new InlinePolicy("self", Allow), new InlinePolicy("second", Allow.Replace("GetObject", "PutObject", StringComparison.Ordinal))],
                [$"arn:aws:iam::{id}:policy/custom", "arn:aws:iam::aws:policy/AdministratorAccess"],
                $"arn:aws:iam::{id}:policy/custom", [KeyValuePair.Create("team", "platform"), KeyValuePair.Create("cost-centre", "")],
                Monday.AddHours(-5)),
            new IamUser($"arn:aws:iam::{id}:user/ci", "ci", "AIDA2", "/machines/", null, [], [], [], null, [], null),
        ],
        [new IamGroup($"arn:aws:iam::{id}:group/admins", "admins", "AGPA1", "/", Monday.AddYears(-3), [new InlinePolicy("g", Allow)],
            ["arn:aws:iam::aws:policy/AdministratorAccess"])],
        [
            new IamRole($"arn:aws:iam::{id}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport", "AWSServiceRoleForSupport",
                "AROA0", "/aws-service-role/support.amazonaws.com/", null, Trust, [], [], null, [], [], null, null, null),
            new IamRole($"arn:aws:iam::{id}:role/orders", "orders", "AROA1", "/service-role/", Monday.AddDays(-40), Trust,
                [new InlinePolicy("data", Allow)], ["arn:aws:iam::aws:policy/AdministratorAccess"], $"arn:aws:iam::{id}:policy/custom",
                [KeyValuePair.Create("app", "orders")],
                [new InstanceProfile($"arn:aws:iam::{id}:instance-profile/orders", "orders", "AIPA1", "/")],
                new RoleLastUsed(Monday.AddMinutes(-3), "eu-west-1"), 7200, roleDescription),
        ],
        [new ManagedPolicy($"arn:aws:iam::{id}:policy/custom", "custom", "ANPA1", "/", "v3", Allow, Monday.AddYears(-1), Monday.AddDays(-1))]);

    public static AwsOrganization Organization(DateTimeOffset takenAt) => new(
        "o-abc123defg",
        "111111111111",
        takenAt,
        "r-ab12",
        [new OrgUnit("r-ab12", "Root", null, true), new OrgUnit("ou-ab12-11111111", "Workloads", "r-ab12", false, [new("environment", "production")])],
        [new OrgAccount("111111111111", "management", "m@example.com", "ACTIVE", "r-ab12"),
         new OrgAccount("222222222222", "prod", null, null, "ou-ab12-11111111", [new("env", "prod"), new("cost-center", "4711")])],
        [new OrgPolicy("p-FullAWSAccess", "FullAWSAccess", OrgPolicyKind.Scp, Allow, true, ["r-ab12"]),
         new OrgPolicy("p-rcp1111111", "OnlyOrg", OrgPolicyKind.Rcp, Allow, false, ["ou-ab12-11111111", "222222222222"])]);

    public static ImmutableArray<ManagedPolicy> AwsManaged { get; } =
        [new ManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "/", "v1",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", Monday.AddYears(-10), null)];

    public static AwsInventory Full(DateTimeOffset takenAt) => new(
        [Account("111111111111", takenAt), Account("222222222222", takenAt)],
        Organization(takenAt),
        AwsManaged,
        [new ResourcePolicy("arn:aws:kms:eu-west-1:222222222222:key/k1", "kms", Allow),
         new ResourcePolicy("arn:aws:s3:::reports", "s3", Allow)],
        takenAt);
}
