using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Bench;

/// <summary>
/// `eval`: single-request evaluations per second with <see cref="AwsAuthorizer.Evaluate"/> on a typical policy set —
/// an assumed-role session whose role has four real AWS-managed policies and an inline policy with conditions, a
/// permissions boundary (PowerUserAccess) and a three-level SCP chain (root, OU with a region guard, account with a
/// conditional deny). Requests are prepared once (<see cref="AwsRequest.Create"/> outside the timed loop) and mix
/// allowed, explicitly denied, implicitly denied and condition-dependent cases.
/// </summary>
internal static class EvalBench
{
    private const string Account = "111111111111";

    private static readonly string[] ManagedPolicies = ["AmazonS3ReadOnlyAccess", "AmazonEC2ReadOnlyAccess", "CloudWatchReadOnlyAccess", "AmazonDynamoDBFullAccess"];

    private const string Inline = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"WriteOwnPrefix","Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::bench-data/${aws:PrincipalTag/team}/*"},
          {"Sid":"QueueInRegion","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:111111111111:orders-*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}},
          {"Sid":"NoBucketDeletes","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}
        ]}
        """;

    private const string FullAwsAccess = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private const string RegionGuard = """
        {"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideRegions","Effect":"Deny",
          "NotAction":["iam:*","organizations:*","sts:*","cloudfront:*","route53:*","support:*"],"Resource":"*",
          "Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1","us-east-1"]}}}]}
        """;

    private const string AccountGuard = """
        {"Version":"2012-10-17","Statement":[{"Sid":"ProtectTables","Effect":"Deny","Action":["dynamodb:DeleteTable","dynamodb:DeleteBackup"],"Resource":"*",
          "Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin-*"}}}]}
        """;

    /// <summary>The policy set and the prepared requests; built outside any timing.</summary>
    public static (AwsPolicySet Policies, ImmutableArray<AwsRequest> Requests) Workload()
    {
        var diags = new DiagnosticBag();
        var identity = ImmutableArray.CreateBuilder<CompiledPolicy>();
        foreach (var name in ManagedPolicies) { identity.Add(Compile($"arn:aws:iam::aws:policy/{name}", ManagedDocument(name), PolicyKind.Identity, diags)); }
        identity.Add(Compile("app#inline", Inline, PolicyKind.Identity, diags));
        var policies = new AwsPolicySet
        {
            Identity = identity.ToImmutable(),
            Boundaries = [Compile("arn:aws:iam::aws:policy/PowerUserAccess", ManagedDocument("PowerUserAccess"), PolicyKind.Boundary, diags)],
            Scps =
            [
                new PolicyLevel("r-root", [Compile("FullAWSAccess@root", FullAwsAccess, PolicyKind.Scp, diags)]),
                new PolicyLevel("ou-workloads", [Compile("FullAWSAccess@ou", FullAwsAccess, PolicyKind.Scp, diags), Compile("RegionGuard", RegionGuard, PolicyKind.Scp, diags)]),
                new PolicyLevel(Account, [Compile("FullAWSAccess@account", FullAwsAccess, PolicyKind.Scp, diags), Compile("AccountGuard", AccountGuard, PolicyKind.Scp, diags)]),
            ],
        };
        if (diags.Any(d => d.Severity == Severity.Error)) { throw new InvalidOperationException("benchmark policies do not parse: " + string.Join("; ", diags)); }

        if (!AwsPrincipal.TryParse($"arn:aws:sts::{Account}:assumed-role/app-orders/session-1", out var principal, out var error))
        {
            throw new InvalidOperationException(error);
        }
        AwsRequest Request(string action, string resource, string region = "eu-west-1") => AwsRequest.Create(
            principal, action, resource, context: RequestContext.Create(
            [
                new("aws:RequestedRegion", ContextValue.Single(region)),
                new("aws:PrincipalTag/team", ContextValue.Single("orders")),
            ]));
        ImmutableArray<AwsRequest> requests =
        [
            Request("s3:GetObject", "arn:aws:s3:::bench-data/orders/2026/01/report.csv"),           // allow (managed)
            Request("s3:ListBucket", "arn:aws:s3:::bench-data"),                                    // allow (managed)
            Request("ec2:DescribeInstances", "*"),                                                  // allow (managed)
            Request("cloudwatch:GetMetricData", "*", "us-east-1"),                                  // allow (managed)
            Request("dynamodb:PutItem", $"arn:aws:dynamodb:eu-west-1:{Account}:table/orders"),      // allow (managed)
            Request("dynamodb:DeleteTable", $"arn:aws:dynamodb:eu-west-1:{Account}:table/orders"),  // explicit deny (SCP, condition)
            Request("s3:PutObject", "arn:aws:s3:::bench-data/orders/in/1.json"),                    // allow (inline, policy variable)
            Request("s3:PutObject", "arn:aws:s3:::bench-data/billing/in/1.json"),                   // implicit deny (variable mismatch)
            Request("s3:DeleteBucket", "arn:aws:s3:::bench-data"),                                  // explicit deny (inline)
            Request("sqs:SendMessage", $"arn:aws:sqs:eu-west-1:{Account}:orders-in"),              // allow (inline, condition)
            Request("sqs:SendMessage", $"arn:aws:sqs:ap-south-1:{Account}:orders-in", "ap-south-1"), // explicit deny (SCP region guard)
            Request("iam:CreateUser", $"arn:aws:iam::{Account}:user/mallory"),                      // implicit deny (nothing allows)
            Request("lambda:InvokeFunction", $"arn:aws:lambda:eu-west-1:{Account}:function:f"),     // implicit deny
            Request("ec2:RunInstances", $"arn:aws:ec2:eu-west-1:{Account}:instance/*"),             // implicit deny (read-only)
        ];
        return (policies, requests);
    }

    /// <summary>Decisions of one pass over the workload, by kind (for the report and the smoke test).</summary>
    public static IReadOnlyDictionary<Decision, int> Decisions(AwsPolicySet policies, ImmutableArray<AwsRequest> requests) =>
        requests.Select(r => AwsAuthorizer.Evaluate(r, policies).Decision).CountBy(d => d).ToDictionary();

    public static IReadOnlyList<Figure> Run(TimeSpan duration, int repetitions)
    {
        var (policies, requests) = Workload();
        Loop(policies, requests, Math.Max(1, requests.Length * 2_000)); // warm-up: tier-1 JIT and PGO

        var single = new List<double>();
        var perCpu = new List<double>();
        var allocated = new List<double>();
        for (var r = 0; r < repetitions; r++)
        {
            var (rate, cpuRate, bytes) = TimedLoop(policies, requests, duration);
            single.Add(rate);
            perCpu.Add(cpuRate);
            allocated.Add(bytes);
        }
        var threads = Math.Max(2, Environment.ProcessorCount);
        var parallel = new List<double>();
        for (var r = 0; r < repetitions; r++)
        {
            var rates = new double[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => rates[t] = TimedLoop(policies, requests, duration).Rate);
            parallel.Add(rates.Sum());
        }
        var perSecond = Measure.Median(single);
        var decisions = Decisions(policies, requests);
        return
        [
            new("eval.single", perSecond, "evaluations/s (1 thread)"),
            new("eval.cpu", Measure.Median(perCpu), "evaluations per CPU-second of the evaluating thread"),
            new("eval.ns", 1e9 / perSecond, "ns/evaluation"),
            new("eval.alloc", Measure.Median(allocated), "bytes allocated/evaluation"),
            new("eval.parallel", Measure.Median(parallel), $"evaluations/s ({threads} threads)"),
            new("eval.requests", requests.Length, "requests in the mix"),
            new("eval.allowed", decisions.GetValueOrDefault(Decision.Allow), "allowed in the mix"),
            new("eval.denied", decisions.GetValueOrDefault(Decision.ExplicitDeny) + decisions.GetValueOrDefault(Decision.ImplicitDeny), "denied in the mix"),
            new("eval.statements", policies.Identity.Concat(policies.Boundaries).Concat(policies.Scps.SelectMany(l => l.Policies)).Sum(p => p.Statements.Length), "statements in the policy set"),
        ];
    }

    /// <summary>
    /// Evaluates the requests round-robin for about <paramref name="duration"/>: evaluations per wall-clock second,
    /// per second of this thread's CPU time (on a shared machine, time spent descheduled does not count), and
    /// bytes allocated per evaluation.
    /// </summary>
    private static (double Rate, double CpuRate, double BytesPerEvaluation) TimedLoop(AwsPolicySet policies, ImmutableArray<AwsRequest> requests, TimeSpan duration)
    {
        var batch = requests.Length * 1_000;
        long done = 0;
        var cpuBefore = ThreadCpu.Now();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        do
        {
            Loop(policies, requests, batch);
            done += batch;
        }
        while (sw.Elapsed < duration);
        sw.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        var cpu = ThreadCpu.Now() - cpuBefore;
        return (done / sw.Elapsed.TotalSeconds, done / cpu.TotalSeconds, (double)bytes / done);
    }

    private static void Loop(AwsPolicySet policies, ImmutableArray<AwsRequest> requests, int count)
    {
        var sink = 0;
        for (var i = 0; i < count; i++)
        {
            sink += (int)AwsAuthorizer.Evaluate(requests[i % requests.Length], policies).Decision;
        }
        GC.KeepAlive(sink);
    }

    private static CompiledPolicy Compile(string name, string json, PolicyKind kind, DiagnosticBag diags)
    {
        var parsed = PolicyParser.Parse(json, name, kind);
        diags.AddRange(parsed.Diagnostics);
        return CompiledPolicy.Compile(parsed.Document ?? throw new InvalidOperationException($"policy `{name}` does not parse"), diags);
    }

    private static string ManagedDocument(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Inputs.ManagedPolicyFile(name)));
        return doc.RootElement.GetProperty("PolicyVersion").GetProperty("Document").GetRawText();
    }
}
