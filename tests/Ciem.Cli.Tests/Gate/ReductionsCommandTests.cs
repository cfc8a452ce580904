using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Core.LeastPrivilege;
using Ciem.Storage;
using Xunit;

namespace Ciem.Cli.Tests.Gate;

/// <summary>`ciem reductions` and the `regrown-reduction` gate rule over successive imports of authorization-details exports.</summary>
public sealed class ReductionsCommandTests
{
    private const string Account = "333333333333";
    private static readonly string[] Removed = ["dynamodb:DeleteTable", "s3:DeleteBucket", "s3:PutBucketPolicy"];

    /// <summary>A `get-account-authorization-details` export of one account: role `etl` with an inline policy, optionally role `legacy` and user `ops`.</summary>
    private static string Export(string[] etlActions, bool legacy = true, bool ops = false)
    {
        static JsonObject Trust() => JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")!.AsObject();
        static JsonObject Role(string name, string id, string[] actions) => new()
        {
            ["Path"] = "/", ["RoleName"] = name, ["RoleId"] = id, ["Arn"] = $"arn:aws:iam::{Account}:role/{name}", ["CreateDate"] = "2025-03-02T10:00:00+00:00",
            ["AssumeRolePolicyDocument"] = Trust(), ["InstanceProfileList"] = new JsonArray(),
            ["RolePolicyList"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = name,
                ["PolicyDocument"] = new JsonObject
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new JsonArray(new JsonObject { ["Effect"] = "Allow", ["Action"] = new JsonArray([.. actions.Select(a => JsonValue.Create(a))]), ["Resource"] = "*" }),
                },
            }),
            ["AttachedManagedPolicies"] = new JsonArray(), ["Tags"] = new JsonArray(), ["RoleLastUsed"] = new JsonObject(),
        };
        var roles = new JsonArray(Role("etl", "AROAEXAMPLEETL000001", etlActions));
        if (legacy) { roles.Add(Role("legacy", "AROAEXAMPLELEGACY001", ["s3:GetObject", "sqs:DeleteQueue"])); }
        var users = new JsonArray();
        if (ops)
        {
            users.Add(new JsonObject
            {
                ["Path"] = "/", ["UserName"] = "ops", ["UserId"] = "AIDAEXAMPLEOPS000001", ["Arn"] = $"arn:aws:iam::{Account}:user/ops", ["CreateDate"] = "2025-03-02T10:00:00+00:00",
                ["UserPolicyList"] = new JsonArray(), ["GroupList"] = new JsonArray(), ["AttachedManagedPolicies"] = new JsonArray(), ["Tags"] = new JsonArray(),
            });
        }
        return new JsonObject
        {
            ["UserDetailList"] = users, ["GroupDetailList"] = new JsonArray(), ["RoleDetailList"] = roles, ["Policies"] = new JsonArray(), ["IsTruncated"] = false,
        }.ToJsonString();
    }

    private static readonly string[] Broad = ["s3:GetObject", .. Removed];

    private static void Import(CliRunner cli, string name, string json, string takenAt)
    {
        var file = Path.Combine(cli.Home, name + ".json");
        File.WriteAllText(file, json);
        var (code, _, err) = cli.Run("import", "aws", file, "--db", cli.Db, "--taken-at", takenAt);
        Assert.True(code == 0, err);
    }

    private static void Deliver(CliRunner cli, string role, string[] removed, DateTimeOffset when)
    {
        using var store = SqliteStore.Open(cli.Db);
        store.RecordReductions([new DeliveredReduction(0, "aws", $"arn:aws:iam::{Account}:role/{role}", Account, role, [.. removed], 30, 1, when, "branch", "ciem/least-privilege-2026-11-10", "0123456789abcdef0123456789abcdef01234567", ["iam/etl.tf"], null)]);
    }

    private static JsonElement Status(CliRunner cli, string role, out int code)
    {
        var run = cli.Run("reductions", "--db", cli.Db, "--format", "json", "--fail-on-regrown");
        code = run.Code;
        var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.GetProperty("reductions").EnumerateArray().Single(r => r.GetProperty("identity").GetString()!.EndsWith("role/" + role, StringComparison.Ordinal)).Clone();
    }

    [Fact]
    public void Reductions_SuccessiveImports_PendingThenAppliedThenRegrown()
    {
        // Given an export taken before a reduction of `etl` and `legacy` is delivered on 2026-11-10
        using var cli = new CliRunner();
        Import(cli, "before", Export(Broad), "2026-11-01T00:00:00Z");
        var delivered = new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
        Deliver(cli, "etl", Removed, delivered);
        Deliver(cli, "legacy", ["sqs:DeleteQueue"], delivered);

        // Then, with no snapshot taken since the delivery, it is pending
        var etl = Status(cli, "etl", out var code);
        Assert.Equal(0, code);
        Assert.Equal("pending", etl.GetProperty("status").GetString());
        Assert.Equal(0, etl.GetProperty("snapshotsSinceDelivery").GetInt32());

        // When an export taken after the delivery still grants everything (another user was added meanwhile)
        Import(cli, "unchanged", Export(Broad, ops: true), "2026-11-12T00:00:00Z");

        // Then it is still pending, with the three permissions still granted, not yet overdue
        etl = Status(cli, "etl", out _);
        Assert.Equal("pending", etl.GetProperty("status").GetString());
        Assert.Equal(Removed, etl.GetProperty("stillGranted").EnumerateArray().Select(a => a.GetString()));
        Assert.False(etl.GetProperty("overdue").GetBoolean());

        // When the reduction is applied and `legacy` deleted
        Import(cli, "applied", Export(["s3:GetObject"], legacy: false), "2026-11-20T00:00:00Z");

        // Then `etl` is applied since that snapshot and `legacy` is gone
        etl = Status(cli, "etl", out code);
        Assert.Equal(0, code);
        Assert.Equal("applied", etl.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), etl.GetProperty("appliedAt").GetDateTimeOffset());
        Assert.Equal(1, etl.GetProperty("grantedNow").GetInt32());
        Assert.Equal("identity-gone", Status(cli, "legacy", out _).GetProperty("status").GetString());

        // When a later export grants s3:DeleteBucket again
        Import(cli, "regrown", Export(["s3:GetObject", "s3:DeleteBucket"], legacy: false), "2026-11-25T00:00:00Z");

        // Then `etl` has regrown s3:DeleteBucket since that snapshot, and --fail-on-regrown exits 2
        etl = Status(cli, "etl", out code);
        Assert.Equal(ExitCodes.Findings, code);
        Assert.Equal("regrown", etl.GetProperty("status").GetString());
        var back = Assert.Single(etl.GetProperty("regrown").EnumerateArray());
        Assert.Equal("s3:DeleteBucket", back.GetProperty("action").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), back.GetProperty("since").GetDateTimeOffset());
        using var store = SqliteStore.Open(cli.Db);
        var latest = store.ListSnapshots().Where(s => s.Kind == SnapshotKinds.Account).MaxBy(s => s.TakenAt)!;
        Assert.Equal(latest.Id, back.GetProperty("sinceSnapshot").GetInt64());

        // And the text output names it and warns on stderr
        var text = cli.Run("reductions", "--db", cli.Db);
        Assert.Equal(0, text.Code);
        Assert.Contains("regrown", text.Out, StringComparison.Ordinal);
        Assert.Contains("1 back: s3:DeleteBucket since", text.Out, StringComparison.Ordinal);
        Assert.Contains("identity gone", text.Out, StringComparison.Ordinal);
        Assert.Contains("warning CIEM6450: `arn:aws:iam::333333333333:role/etl` is granted again 1 permission(s) removed by the reduction delivered 2026-11-10 09:00: `s3:DeleteBucket`", text.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_OutTwice_RecordsOneFilesDelivery()
    {
        // Given the sample estate with a month of usage
        using var cli = new CliRunner();
        cli.ImportSamples();
        Assert.Equal(0, cli.Run("import", "cloudtrail", Usage.UsageCommandsTests.WriteTrail(Path.Combine(cli.Home, "trail")), "--db", cli.Db).Code);
        var outDir = Path.Combine(cli.Home, "proposals");

        // When the proposal for app-worker is written to a folder twice
        for (var run = 0; run < 2; run++) { Assert.Equal(0, cli.Run("propose", "app-worker", "--out", outDir, "--db", cli.Db, "--as-of", "2026-11-28").Code); }

        // Then one delivery is recorded, to that folder, with the identity's files
        var reductions = cli.Run("reductions", "--db", cli.Db, "--format", "json");
        using var doc = JsonDocument.Parse(reductions.Out);
        var recorded = Assert.Single(doc.RootElement.GetProperty("reductions").EnumerateArray());
        var delivery = recorded.GetProperty("delivery");
        Assert.Equal("files", delivery.GetProperty("channel").GetString());
        Assert.Equal(Path.GetFullPath(outDir), delivery.GetProperty("location").GetString());
        Assert.Equal(["aws/222222222222/app-worker/diff.txt", "aws/222222222222/app-worker/evidence.json", "aws/222222222222/app-worker/policy-1.json", "aws/222222222222/app-worker/policy-2.json", "aws/222222222222/app-worker/proposal.tf"],
            delivery.GetProperty("files").EnumerateArray().Select(f => f.GetString()).Order(StringComparer.Ordinal));
        Assert.All(delivery.GetProperty("files").EnumerateArray(), f => Assert.True(File.Exists(Path.Combine(outDir, f.GetString()!))));
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("revision").ValueKind);

        // And `--format csv` gives the same reduction as one row, its delivery flattened into columns (issue #19)
        var csv = cli.Run("reductions", "--db", cli.Db, "--format", "csv");
        var lines = csv.Out.TrimEnd('\n').Split('\n');
        Assert.True(csv.Code == 0, csv.Err);
        Assert.Equal(2, lines.Length);
        Assert.Contains("delivery.channel", lines[0], StringComparison.Ordinal);
        Assert.Contains("app-worker", lines[1], StringComparison.Ordinal);
        Assert.Contains(",files,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ChangeReAddsARemovedPermission_ReportsRegrownReduction()
    {
        // Given the reduction of `etl` applied in the imported inventory
        using var cli = new CliRunner();
        Import(cli, "before", Export(Broad), "2026-11-01T00:00:00Z");
        Deliver(cli, "etl", Removed, new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero));
        Import(cli, "applied", Export(["s3:GetObject"]), "2026-11-20T00:00:00Z");
        // And a Terraform change giving `etl` a new inline policy with dynamodb:DeleteTable
        var dir = Directory.CreateDirectory(Path.Combine(cli.Home, "iam")).FullName;
        File.WriteAllText(Path.Combine(dir, "etl.tf"), """
            resource "aws_iam_role_policy" "cleanup" {
              name = "cleanup"
              role = "etl"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = ["dynamodb:DeleteTable"], Resource = "*" }]
              })
            }

            """);

        // When the gate checks the change with the store
        var run = cli.Run("check", "--hcl", dir, "--db", cli.Db, "--format", "json");

        // Then a regrown-reduction finding names the permission and the delivery, and the gate fails
        Assert.Equal(ExitCodes.Findings, run.Code);
        using var doc = JsonDocument.Parse(run.Out);
        var finding = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "regrown-reduction");
        Assert.Equal("high", finding.GetProperty("severity").GetString());
        Assert.Equal("`role/etl` is granted again 1 permission(s) removed by the least-privilege reduction delivered 2026-11-10 (branch ciem/least-privilege-2026-11-10@0123456789ab)", finding.GetProperty("message").GetString());
        Assert.Equal(["dynamodb:DeleteTable"], finding.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
    }
}
