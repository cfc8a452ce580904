using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Usage;

/// <summary>import cloudtrail → gap → propose → sweep on the sample estate with CloudTrail written in the real S3 layout.</summary>
public sealed class UsageCommandsTests
{
    internal static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    internal static JsonObject Event(int n, DateTimeOffset time, JsonObject identity, string source, string name, string? resourceArn = null, string? resourceType = null, string? errorCode = null)
    {
        var e = new JsonObject
        {
            ["eventVersion"] = "1.09",
            ["userIdentity"] = identity,
            ["eventTime"] = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["eventSource"] = source,
            ["eventName"] = name,
            ["awsRegion"] = "eu-west-1",
            ["sourceIPAddress"] = "198.51.100.7",
            ["userAgent"] = "aws-cli/2.15.0",
            ["requestID"] = $"req-{n}",
            ["eventID"] = $"00000000-0000-4000-8000-{n:D12}",
            ["readOnly"] = name.StartsWith("Get", StringComparison.Ordinal) || name.StartsWith("Receive", StringComparison.Ordinal),
            ["eventType"] = "AwsApiCall",
            ["managementEvent"] = !source.StartsWith("s3", StringComparison.Ordinal),
            ["recipientAccountId"] = "222222222222",
            ["eventCategory"] = "Management",
        };
        if (resourceArn is not null) { e["resources"] = new JsonArray(new JsonObject { ["ARN"] = resourceArn, ["accountId"] = "222222222222", ["type"] = resourceType }); }
        if (errorCode is not null) { e["errorCode"] = errorCode; e["errorMessage"] = "User is not authorized"; }
        return e;
    }

    private static JsonObject CiDeploy() => new()
    {
        ["type"] = "IAMUser", ["principalId"] = "AIDAEXAMPLECIDEPLOY", ["arn"] = "arn:aws:iam::222222222222:user/ci-deploy",
        ["accountId"] = "222222222222", ["accessKeyId"] = "AKIAEXAMPLECIDEPLOY1", ["userName"] = "ci-deploy",
    };

    internal static JsonObject AppWorker() => new()
    {
        ["type"] = "AssumedRole", ["principalId"] = "AROAVX7EXAMPLEWORKER:i-0abc", ["arn"] = "arn:aws:sts::222222222222:assumed-role/app-worker/i-0abc",
        ["accountId"] = "222222222222", ["accessKeyId"] = "ASIAEXAMPLEWORKER",
        ["sessionContext"] = new JsonObject
        {
            ["sessionIssuer"] = new JsonObject { ["type"] = "Role", ["principalId"] = "AROAVX7EXAMPLEWORKER", ["arn"] = "arn:aws:iam::222222222222:role/app-worker", ["accountId"] = "222222222222", ["userName"] = "app-worker" },
            ["attributes"] = new JsonObject { ["creationDate"] = "2026-11-20T00:00:00Z", ["mfaAuthenticated"] = "false" },
        },
    };

    /// <summary>Writes 30 days of calls in `AWSLogs/222222222222/CloudTrail/eu-west-1/YYYY/MM/DD/*.json.gz`.</summary>
    internal static string WriteTrail(string root)
    {
        var n = 0;
        for (var day = 1; day <= 30; day++)
        {
            var time = AsOf.AddDays(-day).AddHours(10);
            var records = new JsonArray
            {
                Event(++n, time, CiDeploy(), "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "arn:aws:lambda:eu-west-1:222222222222:function:orders-api", "AWS::Lambda::Function"),
                Event(++n, time, AppWorker(), "sqs.amazonaws.com", "ReceiveMessage", "arn:aws:sqs:eu-west-1:222222222222:orders-events", "AWS::SQS::Queue"),
                Event(++n, time, AppWorker(), "dynamodb.amazonaws.com", "GetItem", "arn:aws:dynamodb:eu-west-1:222222222222:table/orders", "AWS::DynamoDB::Table"),
                Event(++n, time, AppWorker(), "iam.amazonaws.com", "ListRoles", errorCode: "AccessDenied"),
            };
            var folder = Path.Combine(root, "AWSLogs", "222222222222", "CloudTrail", "eu-west-1", time.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            using var file = File.Create(Path.Combine(folder, $"222222222222_CloudTrail_eu-west-1_{time:yyyyMMdd}T1000Z_abc{day}.json.gz"));
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            JsonSerializer.Serialize(gz, new JsonObject { ["Records"] = records });
        }
        return Path.Combine(root, "AWSLogs");
    }

    [Fact]
    public void ImportCloudTrail_FileTruncatedThenCompleted_EachEventCountedOnce()
    {
        // Given the trail and one more log file still being written: its `Records` array cut after the first event
        using var cli = new CliRunner();
        var trail = WriteTrail(Path.Combine(cli.Home, "trail"));
        var time = AsOf.AddHours(-2);
        var records = new JsonArray
        {
            Event(901, time, AppWorker(), "dynamodb.amazonaws.com", "GetItem", "arn:aws:dynamodb:eu-west-1:222222222222:table/late", "AWS::DynamoDB::Table"),
            Event(902, time, AppWorker(), "dynamodb.amazonaws.com", "GetItem", "arn:aws:dynamodb:eu-west-1:222222222222:table/late", "AWS::DynamoDB::Table"),
        };
        var whole = new JsonObject { ["Records"] = records }.ToJsonString();
        var file = Path.Combine(trail, "222222222222", "CloudTrail", "eu-west-1", "2026", "11", "27",
            "222222222222_CloudTrail_eu-west-1_20261127T2200Z_late.json");
        File.WriteAllText(file, whole[..(whole.IndexOf("},{", StringComparison.Ordinal) + 2)]);

        // When imported, the file then completed, and imported again, and once more
        var first = cli.Run("import", "cloudtrail", trail, "--db", cli.Db, "--format", "json");
        File.WriteAllText(file, whole);
        var second = cli.Run("import", "cloudtrail", trail, "--db", cli.Db, "--format", "json");
        var third = cli.Run("import", "cloudtrail", trail, "--db", cli.Db, "--format", "json");

        // Then the first run stores the 30 whole files and reports the cut one without storing or recording it; the
        // second reads the completed file once, whole; the third skips all 31: the two reads of `table/late` count 2, not 3
        Assert.Equal((0, 0, 0), (first.Code, second.Code, third.Code));
        using var a = JsonDocument.Parse(first.Out);
        Assert.Equal((30, 120L), (a.RootElement.GetProperty("files").GetInt32(), a.RootElement.GetProperty("events").GetInt64()));
        Assert.Contains(a.RootElement.GetProperty("diagnostics").EnumerateArray(), d => d.GetString()!.Contains("_late.json", StringComparison.Ordinal));
        using var b = JsonDocument.Parse(second.Out);
        Assert.Equal((1, 30, 2L), (b.RootElement.GetProperty("files").GetInt32(), b.RootElement.GetProperty("filesSkipped").GetInt32(),
            b.RootElement.GetProperty("events").GetInt64()));
        using var c = JsonDocument.Parse(third.Out);
        Assert.Equal((0, 31), (c.RootElement.GetProperty("files").GetInt32(), c.RootElement.GetProperty("filesSkipped").GetInt32()));
        using var store = Ciem.Storage.SqliteStore.Open(cli.Db);
        var late = store.LoadUsage("aws", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1))
            .Where(u => u.Resource.EndsWith("table/late", StringComparison.Ordinal)).Sum(u => u.Count);
        Assert.Equal(2, late);
    }

    [Fact]
    public void ImportCloudTrail_Twice_SecondRunSkipsEverythingAndCountsStay()
    {
        // Given the trail written once
        using var cli = new CliRunner();
        var trail = WriteTrail(Path.Combine(cli.Home, "trail"));

        // When ingested twice
        var first = cli.Run("import", "cloudtrail", trail, "--db", cli.Db, "--format", "json");
        var second = cli.Run("import", "cloudtrail", trail, "--db", cli.Db, "--format", "json");

        // Then the first counts every call, the second skips every file and adds nothing
        Assert.Equal(0, first.Code);
        using var a = JsonDocument.Parse(first.Out);
        Assert.Equal(30, a.RootElement.GetProperty("files").GetInt32());
        Assert.Equal(120, a.RootElement.GetProperty("events").GetInt64());
        Assert.Equal(30, a.RootElement.GetProperty("attempts").GetInt64());
        using var b = JsonDocument.Parse(second.Out);
        Assert.Equal(0, b.RootElement.GetProperty("files").GetInt32());
        Assert.Equal(30, b.RootElement.GetProperty("filesSkipped").GetInt32());
        Assert.Equal(0, b.RootElement.GetProperty("events").GetInt64());
    }

    [Fact]
    public void GapProposeSweep_SampleEstateWithTrail_ProposesVerifiedReductions()
    {
        // Given the sample estate and a month of usage
        using var cli = new CliRunner();
        cli.ImportSamples();
        var trail = WriteTrail(Path.Combine(cli.Home, "trail"));
        Assert.Equal(0, cli.Run("import", "cloudtrail", trail, "--db", cli.Db).Code);

        // When the gap of app-worker is asked
        var gap = cli.Run("gap", "app-worker", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        Assert.Equal(0, gap.Code);
        using var g = JsonDocument.Parse(gap.Out);
        var row = g.RootElement.GetProperty("identities")[0];
        Assert.Equal(2, row.GetProperty("used").GetInt32());
        Assert.True(row.GetProperty("unused").GetInt32() > 400);

        // And proposals are written for it
        var outDir = Path.Combine(cli.Home, "proposals");
        var propose = cli.Run("propose", "app-worker", "--out", outDir, "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        Assert.True(propose.Code == 0, propose.Err);
        var policy = File.ReadAllText(Path.Combine(outDir, "aws", "222222222222", "app-worker", "policy-1.json"));
        Assert.Contains("sqs:ReceiveMessage", policy, StringComparison.Ordinal);
        Assert.Contains("dynamodb:GetItem", policy, StringComparison.Ordinal);
        Assert.Contains("arn:aws:dynamodb:eu-west-1:222222222222:table/orders", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("s3:DeleteBucket", policy, StringComparison.Ordinal);
        Assert.Contains("resource \"aws_iam_role_policy_attachment\"", File.ReadAllText(Path.Combine(outDir, "aws", "222222222222", "app-worker", "proposal.tf")), StringComparison.Ordinal);
        using var evidence = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "aws", "222222222222", "app-worker", "evidence.json")));
        Assert.True(evidence.RootElement.GetProperty("verification").GetProperty("passed").GetBoolean(), evidence.RootElement.ToString());

        // And the sweep summarises the estate, writes the report and the proposals
        var report = Path.Combine(cli.Home, "report.html");
        var sweep = cli.Run("sweep", "--db", cli.Db, "--as-of", "2026-11-28", "--report", report, "--format", "json");
        Assert.True(sweep.Code == 0, sweep.Err);
        using var s = JsonDocument.Parse(sweep.Out);
        Assert.Equal(14, s.RootElement.GetProperty("summary").GetProperty("identities").GetInt32());
        Assert.True(File.ReadAllText(report).Contains("app-worker", StringComparison.Ordinal));
        Assert.Contains(s.RootElement.GetProperty("proposals").EnumerateArray(), p => p.GetProperty("identity").GetString()!.EndsWith("role/app-worker", StringComparison.Ordinal));
    }

    [Fact]
    public void Propose_WithIacRepo_CommitsTheProposalOnABranchAndWritesThePullRequest()
    {
        // Given the sample estate, a month of usage and a Terraform repository defining app-worker's inline policy
        using var cli = new CliRunner();
        cli.ImportSamples();
        Assert.Equal(0, cli.Run("import", "cloudtrail", WriteTrail(Path.Combine(cli.Home, "trail")), "--db", cli.Db).Code);
        var repo = new Ciem.App.Iac.GitRepository(Directory.CreateDirectory(Path.Combine(cli.Home, "infra")).FullName);
        repo.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(repo.Path, "worker.tf"), "resource \"aws_iam_role\" \"worker\" {\n  name = \"app-worker\"\n}\n\nresource \"aws_iam_role_policy\" \"worker\" {\n  role   = aws_iam_role.worker.name\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }] })\n}\n");
        repo.Run("add", ".");
        repo.Run("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "initial");

        // When proposals are written into it
        var outDir = Path.Combine(cli.Home, "proposals");
        var propose = cli.Run("propose", "app-worker", "--out", outDir, "--db", cli.Db, "--as-of", "2026-11-28", "--iac-repo", repo.Path);

        // Then the default branch has one commit with the proposal and PR.md carries the evidence
        Assert.True(propose.Code == 0, propose.Err);
        Assert.Contains("branch ciem/least-privilege-2026-11-28: 1 commit(s), 1 file(s) changed", propose.Out, StringComparison.Ordinal);
        Assert.Equal("1", repo.Run("rev-list", "--count", "main..ciem/least-privilege-2026-11-28").Trim());
        var worker = repo.Run("show", "ciem/least-privilege-2026-11-28:worker.tf");
        Assert.Contains("sqs:ReceiveMessage", worker, StringComparison.Ordinal);
        Assert.DoesNotContain("Action = \"*\"", worker, StringComparison.Ordinal);
        var pr = File.ReadAllText(Path.Combine(outDir, "PR.md"));
        Assert.Contains("**Window**: 2026-08-31 to 2026-11-28 (90 days)", pr, StringComparison.Ordinal);
        Assert.Contains("| `sqs:ReceiveMessage` | Used |", pr, StringComparison.Ordinal);
        Assert.Contains("passed:", pr, StringComparison.Ordinal);
    }
}
