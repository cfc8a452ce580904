using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Demo;

namespace Ciem.Cli.Tests.Demo;

public sealed class DemoCloudTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ciem-demo-cloud-");

    public void Dispose() => _root.Delete(recursive: true);

    private const string Account = "111111111111";
    private const string RoleArn = "arn:aws:iam::111111111111:role/app/etl";

    /// <summary>An export as `aws iam get-account-authorization-details` prints it: a role with a managed and an inline policy, a user in a group.</summary>
    private string Export()
    {
        var source = Path.Combine(_root.FullName, "aws");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, $"authorization-details-{Account}.json"), $$"""
        {
            "UserDetailList": [
                { "UserName": "carol", "Arn": "arn:aws:iam::{{Account}}:user/carol", "GroupList": ["ops"], "UserPolicyList": [], "AttachedManagedPolicies": [] }
            ],
            "RoleDetailList": [
                {
                    "RoleName": "etl",
                    "Arn": "{{RoleArn}}",
                    "RolePolicyList": [
                        { "PolicyName": "etl-access", "PolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }] } },
                        { "PolicyName": "guard", "PolicyDocument": { "Version": "2012-10-17", "Statement": [{ "Effect": "Deny", "Action": "iam:*", "Resource": "*" }] } }
                    ],
                    "AttachedManagedPolicies": [
                        { "PolicyName": "AmazonSQSFullAccess", "PolicyArn": "arn:aws:iam::aws:policy/AmazonSQSFullAccess" },
                        { "PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess" }
                    ]
                }
            ],
            "Policies": [
                { "PolicyName": "ReadOnlyAccess", "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "Description": "a <b> & 'c' + d" }
            ]
        }
        """);
        File.WriteAllText(Path.Combine(source, "organization.json"), """{ "Organization": { "Id": "o-abc" } }""");
        return source;
    }

    private static readonly DemoPolicyChange Change = new(Account, true, "etl",
        [$"{RoleArn}#etl-access", "arn:aws:iam::aws:policy/AmazonSQSFullAccess", "arn:aws:iam::111111111111:group/ops#ops-inline"],
        [("ciem-least-privilege-1", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""")]);

    private static JsonObject Role(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, $"authorization-details-{Account}.json")))!["RoleDetailList"]![0]!.AsObject();

    [Fact]
    public void WriteWeek_ChangeScriptRun_ReplacesOnlyWhatTheScriptRemoves()
    {
        // Given the export and the change a review apply script makes (an inline policy and a managed one replaced by id,
        // and a group's policy the script cannot touch)
        var source = Export();
        var week = Path.Combine(_root.FullName, "week-1");

        // When the week's export is written with the change made
        DemoCloud.WriteWeek(source, week, [Change], []);

        // Then the new inline policy is in, the replaced ones are gone, the guardrail and the other managed policy stay
        var role = Role(week);
        var inline = role["RolePolicyList"]!.AsArray().Select(p => (string)p!["PolicyName"]!).ToArray();
        Assert.Equal(["guard", "ciem-least-privilege-1"], inline);
        Assert.Equal("s3:GetObject", (string)role["RolePolicyList"]![1]!["PolicyDocument"]!["Statement"]![0]!["Action"]!);
        Assert.Equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"], role["AttachedManagedPolicies"]!.AsArray().Select(p => (string)p!["PolicyArn"]!).ToArray());
        // And the text of what was not changed is kept as the generator wrote it (no escaping of `<`, `&`, `'`, `+`)
        Assert.Contains("\"Description\": \"a <b> & 'c' + d\"", File.ReadAllText(Path.Combine(week, $"authorization-details-{Account}.json")), StringComparison.Ordinal);
        // And the files without a change are copied byte for byte
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "organization.json")), File.ReadAllBytes(Path.Combine(week, "organization.json")));
        // And the source is untouched
        Assert.Equal(2, Role(source)["AttachedManagedPolicies"]!.AsArray().Count);
    }

    [Fact]
    public void WriteWeek_Regrown_PutsTheOldPoliciesBackBesideTheNewOne()
    {
        // Given a change made and later the old rights granted again by hand
        var source = Export();
        var week = Path.Combine(_root.FullName, "week-2");

        // When the week's export is written
        DemoCloud.WriteWeek(source, week, [Change], [(Account, true, "etl")]);

        // Then the original policies are back and the new one stays
        var role = Role(week);
        Assert.Equal(["guard", "ciem-least-privilege-1", "etl-access"], role["RolePolicyList"]!.AsArray().Select(p => (string)p!["PolicyName"]!).ToArray());
        Assert.Equal(2, role["AttachedManagedPolicies"]!.AsArray().Count);
    }

    [Fact]
    public void WriteWeek_UnknownRole_Throws()
    {
        // Given a change naming a role the export does not hold / Then the simulation refuses rather than pretending
        var source = Export();
        var missing = Change with { Name = "nope" };
        Assert.Throws<InvalidOperationException>(() => DemoCloud.WriteWeek(source, Path.Combine(_root.FullName, "w"), [missing], []));
    }

    [Fact]
    public void WriteDenied_CloudTrailFile_RecordsAccessDeniedForTheRoleSession()
    {
        // When three refused calls are written
        var path = DemoCloud.WriteDenied(Path.Combine(_root.FullName, "trail"), "o-abc", Account, RoleArn, "sqs:PurgeQueue",
            new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero), 3);

        // Then the file lies where an organization trail delivers it and holds the records CloudTrail writes
        Assert.Contains(Path.Combine("AWSLogs", "o-abc", Account, "CloudTrail", "us-east-1", "2026", "10", "20"), path, StringComparison.Ordinal);
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gzip);
        var records = doc.RootElement.GetProperty("Records").EnumerateArray().ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal("AccessDenied", r.GetProperty("errorCode").GetString());
            Assert.Equal("sqs.amazonaws.com", r.GetProperty("eventSource").GetString());
            Assert.Equal("PurgeQueue", r.GetProperty("eventName").GetString());
            Assert.Equal(RoleArn, r.GetProperty("userIdentity").GetProperty("sessionContext").GetProperty("sessionIssuer").GetProperty("arn").GetString());
        });
        Assert.Equal("2026-10-20T04:00:00Z", records[2].GetProperty("eventTime").GetString());
    }

    [Fact]
    public void DemoClock_MovesForwardOnly()
    {
        // Given a clock at a day
        var start = new DateTimeOffset(2026, 10, 11, 0, 0, 0, TimeSpan.Zero);
        var clock = new DemoClock(start);

        // When it moves forward, then back
        clock.MoveTo(start.AddDays(7));

        // Then it reads the new time, and refuses to go back
        Assert.Equal(start.AddDays(7), clock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.MoveTo(start));
    }
}
