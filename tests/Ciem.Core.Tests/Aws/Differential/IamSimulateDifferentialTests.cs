using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Tests;

namespace Ciem.Core.Tests.Aws.Differential;

/// <summary>
/// Differential testing of AWS decisions: generated identity policies and requests are decided by the engine and by
/// an independent implementation, `@cloud-copilot/iam-simulate`, run as a separate Node process. The package is
/// installed with npm at test time into a cache folder (`CIEM_NPM_CACHE`, default `~/.cache/ciem/npm`), never
/// vendored. Where npm or the registry is out of reach the test says so and passes, unless `CIEM_REQUIRE_DIFFERENTIAL`
/// is set (as `.ci/run` does), where it fails. Disagreements are listed in full; triaged ones are golden cases.
/// </summary>
[Trait("Category", "Differential")]
public sealed class IamSimulateDifferentialTests
{
    private const string Package = "@cloud-copilot/iam-simulate@0.1.173";
    private const string Account = "111111111111";

    private static readonly (string Action, string Resource)[] Requests =
    [
        ("s3:GetObject", "arn:aws:s3:::b/k"), ("s3:GetObject", "arn:aws:s3:::b/alice/x"), ("s3:PutObject", "arn:aws:s3:::c/z"),
        ("s3:ListBucket", "arn:aws:s3:::b"), ("iam:PassRole", $"arn:aws:iam::{Account}:role/app"),
        ("ec2:TerminateInstances", $"arn:aws:ec2:eu-west-1:{Account}:instance/i-0abc"), ("sqs:SendMessage", $"arn:aws:sqs:eu-west-1:{Account}:q"),
    ];

    private static readonly string[] Actions =
        ["s3:GetObject", "s3:PutObject", "s3:*", "s3:Get*", "S3:getobject", "s3:?etObject", "ec2:*", "*", "iam:PassRole", "sqs:Send*", "s3:List*"];

    private static readonly string[] Resources =
        ["*", "arn:aws:s3:::b/*", "arn:aws:s3:::b", "arn:aws:s3:::b/k", "arn:aws:s3:::c/*", "arn:aws:s3:::b/${aws:username}/*",
         $"arn:aws:iam::{Account}:role/*", $"arn:aws:ec2:*:{Account}:instance/*", "arn:aws:sqs:eu-west-1:*:q"];

    private static readonly Func<Random, JsonObject?>[] Conditions =
    [
        _ => null,
        r => Condition("StringEquals", "aws:username", r.Next(2) == 0 ? "alice" : "bob"),
        _ => Condition("StringLike", "aws:PrincipalTag/team", "dev*"),
        _ => Condition("StringNotEquals", "aws:PrincipalTag/team", "ops"),
        _ => Condition("StringEqualsIfExists", "aws:PrincipalTag/team", "dev"),
        r => Condition("Null", "aws:PrincipalTag/team", r.Next(2) == 0 ? "true" : "false"),
        _ => Condition("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "DEV"),
    ];

    private static readonly string?[] Teams = [null, "dev", "devops", "ops"];

    [Fact]
    public void Evaluate_GeneratedPoliciesAndRequests_SameDecisionAsIamSimulate()
    {
        // Given the independent simulator, installed for this run
        if (Install() is not { } folder) { return; }

        // And 400 generated cases (a fixed seed, so a disagreement reproduces)
        var random = new Random(1303);
        var cases = Enumerable.Range(0, 400).Select(_ => Generate(random)).ToList();

        // When both decide every case
        var theirs = RunReference(folder, cases);
        var disagreements = new List<string>();
        var compared = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var ours = Decide(cases[i]);
            if (ours == Decision.Indeterminate || theirs[i] is not { } their) { continue; }
            compared++;
            if (Map(ours) != their)
            {
                disagreements.Add($"case {i}: ours {ours}, iam-simulate {their}: {cases[i].ToJsonString()}");
            }
        }

        // Then they agree on every case both could decide, and most cases were decidable by both
        Assert.True(compared >= 300, $"only {compared} of {cases.Count} cases were compared");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    private static JsonObject Condition(string op, string key, string value) => new() { [op] = new JsonObject { [key] = value } };

    private static JsonObject Generate(Random random)
    {
        var statements = new JsonArray();
        var count = random.Next(1, 5);
        for (var s = 0; s < count; s++)
        {
            var statement = new JsonObject
            {
                ["Effect"] = random.Next(4) == 0 ? "Deny" : "Allow",
                [random.Next(6) == 0 ? "NotAction" : "Action"] = Pick(random, Actions, 3),
                [random.Next(8) == 0 ? "NotResource" : "Resource"] = Pick(random, Resources, 2),
            };
            if (Conditions[random.Next(Conditions.Length)](random) is { } condition) { statement["Condition"] = condition; }
            statements.Add(statement);
        }
        var (action, resource) = Requests[random.Next(Requests.Length)];
        var user = random.Next(2) == 0 ? "alice" : "bob";
        var context = new JsonObject { ["aws:username"] = user };
        if (Teams[random.Next(Teams.Length)] is { } team) { context["aws:PrincipalTag/team"] = team; }
        return new JsonObject
        {
            ["policies"] = new JsonArray(new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }),
            ["principal"] = $"arn:aws:iam::{Account}:user/{user}",
            ["account"] = Account,
            ["action"] = action,
            ["resource"] = resource,
            ["context"] = context,
        };
    }

    private static JsonArray Pick(Random random, string[] values, int max) =>
        [.. Enumerable.Range(0, random.Next(1, max + 1)).Select(_ => (JsonNode)JsonValue.Create(values[random.Next(values.Length)])!)];

    private static Decision Decide(JsonObject c)
    {
        var policies = c["policies"]!.AsArray().Select((p, i) =>
            CompiledPolicy.Compile(PolicyParser.Parse(p!.ToJsonString(), $"p{i}", PolicyKind.Identity).Document!, new DiagnosticBag())).ToList();
        Assert.True(AwsPrincipal.TryParse((string)c["principal"]!, out var principal, out _));
        var values = c["context"]!.AsObject().Select(kv => KeyValuePair.Create(kv.Key, ContextValue.Single((string)kv.Value!)));
        var request = AwsRequest.Create(principal, (string)c["action"]!, (string)c["resource"]!, Account, RequestContext.Create(values));
        return AwsAuthorizer.Evaluate(request, new AwsPolicySet { Identity = [.. policies] }).Decision;
    }

    private static string Map(Decision decision) => decision switch
    {
        Decision.Allow => "Allowed",
        Decision.ExplicitDeny => "ExplicitlyDenied",
        _ => "ImplicitlyDenied",
    };

    /// <summary>The folder the package is installed in (with the driver script), or null when it cannot be installed.</summary>
    private static string? Install()
    {
        var (folder, code, output) = NpmPackages.Install(Package, "iam-simulate-0.1.173", skipWhenPresent: true);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Aws", "Differential", "simulate.mjs"), Path.Combine(folder, "simulate.mjs"), overwrite: true);
        if (code == 0) { return folder; }
        var why = $"@cloud-copilot/iam-simulate could not be installed (npm exit {code}): {output}";
        Assert.True(Environment.GetEnvironmentVariable("CIEM_REQUIRE_DIFFERENTIAL") is null, why);
        Console.Error.WriteLine($"differential test not run: {why}");
        return null;
    }

    private static List<string?> RunReference(string folder, List<JsonObject> cases)
    {
        var (code, output) = NpmPackages.Run("node", ["simulate.mjs"], folder, new JsonArray([.. cases.Select(c => (JsonNode)c.DeepClone())]).ToJsonString(), TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"the simulator failed ({code}): {output}");
        return [.. JsonNode.Parse(output)!.AsArray().Select(r => (string?)r!["result"])];
    }
}
