using System.Text;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws;
using Ciem.Import.Aws.CloudTrail;
using Ciem.Import.Azure;
using Ciem.Import.Config;
using Ciem.Import.Directories;
using Ciem.Import.Gcp;
using Ciem.Import.Iac;
using Ciem.Import.Simulation;
using FsCheck.Fluent;

namespace Ciem.Import.Tests.Fuzz;

/// <summary>
/// Byte-level property runs over every reader and parser. Inputs come from FsCheck generators with fixed seeds — so a
/// failure reproduces, and the run is the same on every machine — over three families: mutations of the reader's own
/// seeds (samples, fixtures and the kept corpus in Fuzz/Corpus: byte flips, hostile tokens, deletions, duplications,
/// truncation), token soup in the reader's syntax (JSON, YAML, HCL, CSV tokens and its own field names), and raw
/// bytes. No reader may throw, each must finish within its time bound and allocate a bounded amount, and input that
/// is not the format must give a diagnostic. `CIEM_FUZZ_RUNS=N` multiplies the inputs for a longer session.
/// </summary>
public sealed class ReaderFuzzTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>Bytes one read may allocate on its thread: far above what a valid input of these sizes needs, far below an alias or nesting bomb.</summary>
    private const long AllocationBound = 256L * 1024 * 1024;

    private const int Mutants = 40;
    private const int Soups = 20;
    private const int Garbages = 12;

    private static readonly byte[][] Tokens =
    [
        "{"u8.ToArray(), "["u8.ToArray(), "}"u8.ToArray(), "]"u8.ToArray(), "\""u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "\\ud800"u8.ToArray(), "\\uDFFF"u8.ToArray(), [0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0], "\r"u8.ToArray(), "\n"u8.ToArray(),
        "null"u8.ToArray(), "-1e999"u8.ToArray(), "1e400"u8.ToArray(), "*a"u8.ToArray(), "&a "u8.ToArray(), "${"u8.ToArray(),
        "%{"u8.ToArray(), "<<EOF\n"u8.ToArray(), "\"Statement\":"u8.ToArray(), "\"Effect\":\"Allow\""u8.ToArray(),
        "\"Records\":["u8.ToArray(), "\"Action\":\"*\""u8.ToArray(), "file(\"/dev/zero\")"u8.ToArray(), "\\u001b"u8.ToArray(), "\\U0010FFFF"u8.ToArray(),
        "!!binary "u8.ToArray(), "? "u8.ToArray(), "- "u8.ToArray(), "  "u8.ToArray(), "=\"=1+2\","u8.ToArray(), "jsonencode("u8.ToArray(),
        Encoding.ASCII.GetBytes(new string('[', 300)), Encoding.ASCII.GetBytes(new string('{', 300)),
    ];

    /// <summary>Pieces of the formats' syntax, from which token soup is drawn.</summary>
    private static readonly string[] Syntax =
    [
        "{", "}", "[", "]", ",", ":", "\"", " ", "\n", "\"a\"", "\"*\"", "1", "-0.5e3", "true", "false", "null", "=", "- ", "&x ", "*x", "<<:",
        "---\n", "# c\n", "resource \"aws_iam_policy\" \"p\" {", "policy = ", "jsonencode(", ")", "\"${var.x}\"", "<<EOT\n", "\nEOT\n",
        "!Ref ", "!Sub ", "Fn::Join", "user,arn,user_creation_time\n", "\\u0000", "\\\"", "\"2026-11-28T10:00:00Z\"",
    ];

    private static readonly string[] FieldNames =
    [
        "Version", "Statement", "Effect", "Action", "NotAction", "Resource", "Principal", "Condition", "Records", "eventTime", "eventName",
        "eventSource", "userIdentity", "arn", "UserDetailList", "RoleDetailList", "Policies", "PolicyVersionList", "Document",
        "properties", "roleName", "permissions", "actions", "principalId", "scope", "value", "bindings", "members", "role", "policy",
        "resource", "asset_type", "iamPolicy", "protoPayload", "methodName", "authenticationInfo", "operationName", "identity", "users",
        "groups", "rules", "channels", "exclusions", "Resources", "Type", "Properties", "PolicyDocument", "resource_changes", "after",
    ];

    private sealed record FuzzedReader(string Name, string[] Seeds, Func<byte[], IReadOnlyCollection<Diagnostic>> Read, bool GarbageDiagnosed = true);

    /// <summary>Every reader, fed bytes; a file name that names the format where a reader goes by it.</summary>
    private static readonly FuzzedReader[] Readers =
    [
        new("authorization details", [Sample("aws", "authorization-details.json")], b =>
        {
            var r = new AuthorizationDetailsReader(TestData.TakenAt);
            r.Add(new MemoryStream(b), "fuzz.json");
            return r.Build().Diagnostics;
        }),
        new("organizations", [Sample("aws", "organization.json")], b => OrganizationsReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt).Diagnostics),
        new("resource policies", [Sample("aws", "resource-policies.json")], b => ResourcePoliciesReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("credential report", [Sample("aws", "credential-report.csv")], b => CredentialReportReader.Read(new MemoryStream(b), "fuzz.csv").Diagnostics),
        new("cloudtrail", [Corpus("cloudtrail.json"), Corpus("cloudtrail.jsonl")],
            b => CloudTrailReader.ReadStream(new MemoryStream(b), "fuzz.json", _ => { }).Diagnostics),
        new("azure role definitions", [Sample("azure", "role-definitions.json")], b => RoleDefinitionsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure role assignments", [Sample("azure", "role-assignments.json")], b => RoleAssignmentsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure deny assignments", [Sample("azure", "deny-assignments.json")], b => DenyAssignmentsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure eligible assignments", [Sample("azure", "eligible-assignments.json")],
            b => EligibleAssignmentsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure group memberships", [Sample("azure", "group-memberships.json")], b => GroupMembershipsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure management groups", [Sample("azure", "management-groups.json")], b => ManagementGroupsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure subscriptions", [Sample("azure", "subscriptions.json")], b => SubscriptionsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure resource groups", [Sample("azure", "resource-groups.json")], b => ResourceGroupsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure provider operations", [Corpus("provider-operations.json")], b => ProviderOperationsReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("azure activity log", [Corpus("activity-log.json")],
            b => WithFile(b, path => ActivityLogReader.Read([path], Core.Azure.Catalog.AzureOperationCatalog.Default).Diagnostics)),
        new("gcp assets", [Sample("gcp", "iam-policies.json"), Sample("gcp", "resources.json")], b => GcpAssetReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("gcp deny policies", [Sample("gcp", "deny-policies.json")], b => GcpDenyPolicyReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("gcp groups", [Sample("gcp", "groups.json")], b => GcpGroupReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("gcp roles", [Sample("gcp", "custom-roles.json")], b => GcpRoleReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("gcp service accounts", [Corpus("service-accounts.json")], b => GcpServiceAccountReader.ReadAccounts(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("gcp service account keys", [Corpus("service-account-keys.json")], b => GcpServiceAccountReader.ReadKeys(new MemoryStream(b), "fuzz.json").Diagnostics),
        new("gcp audit log", [Corpus("gcp-audit.json")], b => WithFile(b, path => AuditLogReader.Read([path]).Diagnostics)),
        new("entra", [Sample("directory", "entra.json")], b => EntraReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt).Diagnostics),
        new("google workspace", [Sample("directory", "google.json")], b => GoogleReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt).Diagnostics),
        new("identity center", [Sample("directory", "identity-center.json")],
            b => IdentityCenterReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt).Diagnostics),
        new("okta", [Sample("directory", "okta.json")], b => OktaReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt).Diagnostics),
        new("terraform plan", [Fixture("Iac", "Clouds", "aws-resource-policies-plan.json")], b => TerraformPlanReader.Read(new MemoryStream(b), "fuzz.json").Diagnostics),
        // Any text may be HCL without a resource in it: garbage need not be diagnosed.
        new("terraform hcl", [Corpus("deep-jsonencode.tf"), Fixture("Iac", "Hcl", "app", "main.tf"), Corpus("stray-brace.tf"), Corpus("duplicate-address.tf")],
            b => TerraformHclReader.Read(null, new TerraformModule([("main.tf", Text(b))], _ => null)).Diagnostics, GarbageDiagnosed: false),
        new("cloudformation yaml", [Fixture("Iac", "Templates", "app-after.yaml"), Corpus("alias-bomb.yaml")],
            b => CloudFormationReader.Read(null, null, Text(b), "template.yaml").Diagnostics),
        new("cloudformation json", [Fixture("Iac", "Templates", "ops.json")], b => CloudFormationReader.Read(null, null, Text(b), "template.json").Diagnostics),
        new("policy file", [Corpus("policy.json")], b => PolicyFileReader.Read(null, null, Text(b), "policy.json").Diagnostics),
        new("gate rules", [Corpus("ciem-rules.yml")], b => GateRulesReader.Read(Text(b), "ciem-rules.yml").Diagnostics),
        new("ciem config", [Corpus("ciem.yml")], b => CiemConfigReader.Read(Text(b), "ciem.yml").Diagnostics),
        new("alert rules", [Corpus("alert-rules.yml")], b => AlertRulesReader.Read(Text(b), "alerts.yml").Diagnostics),
        new("simulation requests", [Sample("simulate", "requests.jsonl")], b =>
        {
            var found = new List<Diagnostic>();
            new SimulationPipeline(parallelism: 1).Run(new MemoryStream(b), "fuzz.jsonl", o => { lock (found) { found.AddRange(o.Diagnostics); } });
            return found;
        }),
    ];

    private static readonly string[] HostileSeeds =
        ["deep-array.json", "lone-surrogate.json", "empty-records.json", "utf16-policies.json", "invalid-utf8.json", "alias-bomb.yaml"];

    public static TheoryData<string> ReaderNames() => [.. Readers.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(ReaderNames))]
    public void Read_HostileCorpus_NeverThrows(string reader)
    {
        // Given the reader and every kept hostile seed (and its own seeds) as they are
        var r = Readers.Single(x => x.Name == reader);

        // When each is read, Then nothing throws, and each finishes within the time and allocation bounds
        foreach (var seed in r.Seeds.Concat(HostileSeeds.Select(Corpus)))
        {
            Run(r, seed, File.ReadAllBytes(seed));
        }
    }

    [Theory]
    [MemberData(nameof(ReaderNames))]
    public void Read_GeneratedInputs_DiagnosticsNeverExceptions(string reader)
    {
        // Given inputs generated with the reader's fixed seed: mutations of its seeds, token soup and raw bytes
        var index = Array.FindIndex(Readers, x => x.Name == reader);
        var r = Readers[index];
        var runs = int.TryParse(Environment.GetEnvironmentVariable("CIEM_FUZZ_RUNS"), out var n) && n > 0 ? n : 1;
        var seeds = r.Seeds.Select(File.ReadAllBytes).ToArray();
        var mutants = Gen.Sample(MutationOf(seeds), 50, new FsCheck.Rnd(0x5eed0000UL + (ulong)index), Mutants * runs);
        var soups = Gen.Sample(Soup, 60, new FsCheck.Rnd(0x50de0000UL + (ulong)index), Soups * runs);
        var garbage = Gen.Sample(Garbage, 100, new FsCheck.Rnd(0x6a4b0000UL + (ulong)index), Garbages * runs);

        // When each is read, Then nothing throws, each stays in its bounds, and bytes that are not the format are diagnosed
        for (var i = 0; i < mutants.Length; i++) { Run(r, $"mutant {i} of seed {index}", mutants[i]); }
        for (var i = 0; i < soups.Length; i++) { Run(r, $"token soup {i} of seed {index}", soups[i]); }
        for (var i = 0; i < garbage.Length; i++)
        {
            var diagnostics = Run(r, $"raw bytes {i} of seed {index}", garbage[i]);
            if (r.GarbageDiagnosed)
            {
                Assert.True(diagnostics.Any(d => d.Severity is Severity.Error or Severity.Warning),
                    $"the {r.Name} reader said nothing about raw bytes {i}: {Convert.ToHexString(garbage[i])}");
            }
        }
    }

    /// <summary>One to eight edits of one of the seeds: flip a byte, insert a hostile token, delete or duplicate a range, or truncate.</summary>
    private static FsCheck.Gen<byte[]> MutationOf(byte[][] seeds) =>
        from seed in Gen.Choose(0, seeds.Length - 1)
        from edits in Gen.ArrayOf(Edit, 8)
        from count in Gen.Choose(1, 8)
        select Apply(seeds[seed], edits.Take(count));

    private static readonly FsCheck.Gen<(int Kind, int At, int Length, int Token, byte Value)> Edit =
        from kind in Gen.Choose(0, 4)
        from at in Gen.Choose(0, int.MaxValue - 1)
        from length in Gen.Choose(1, 256)
        from token in Gen.Choose(0, Tokens.Length - 1)
        from value in Gen.Choose(0, 255)
        select (kind, at, length, token, (byte)value);

    private static byte[] Apply(byte[] input, IEnumerable<(int Kind, int At, int Length, int Token, byte Value)> edits)
    {
        var bytes = new List<byte>(input);
        foreach (var (kind, at0, length, token, value) in edits)
        {
            var at = bytes.Count == 0 ? 0 : at0 % bytes.Count;
            switch (kind)
            {
                case 0 when bytes.Count > 0: bytes[at] = value; break;
                case 1: bytes.InsertRange(at, Tokens[token]); break;
                case 2 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(bytes.Count - at, length / 4 + 1)); break;
                case 3 when bytes.Count > 0: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, length))); break;
                default: if (bytes.Count > 0) { bytes.RemoveRange(at, bytes.Count - at); } break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Up to 200 pieces of syntax and field names (quoted or bare), as text.</summary>
    private static readonly FsCheck.Gen<byte[]> Soup =
        Gen.ListOf(Gen.Frequency((3, Gen.Elements(Syntax)), (2, Gen.Elements(FieldNames).Select(f => $"\"{f}\"")), (1, Gen.Elements(FieldNames))))
            .Select(pieces => Encoding.UTF8.GetBytes(string.Concat(pieces.Take(200))));

    /// <summary>1 to 100 arbitrary bytes after one that cannot open any of the formats (`#`, `)`, `@`, `~`, control bytes).</summary>
    private static readonly FsCheck.Gen<byte[]> Garbage =
        from first in Gen.Elements((byte)')', (byte)'~', (byte)1, (byte)0x7F, (byte)0xFE)
        from rest in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
        select (byte[])[first, .. rest.Take(100)];

    private static IReadOnlyCollection<Diagnostic> Run(FuzzedReader reader, string what, byte[] bytes)
    {
        // On a thread of its own, so that a reader that loops for ever fails the test (with the input kept) instead of
        // hanging the suite, and so that the bytes it allocates are counted apart from other tests running in parallel.
        Exception? error = null;
        IReadOnlyCollection<Diagnostic> diagnostics = [];
        long allocated = 0;
        var thread = new Thread(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try { diagnostics = reader.Read(bytes); }
            catch (Exception ex) { error = ex; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true };
        thread.Start();
        if (!thread.Join(Bound)) { Assert.Fail($"the {reader.Name} reader took more than {Bound} on {what} (input kept in {Keep(bytes)})"); }
        if (error is not null) { Assert.Fail($"the {reader.Name} reader threw on {what} (input kept in {Keep(bytes)}): {error}"); }
        if (allocated > AllocationBound)
        {
            Assert.Fail($"the {reader.Name} reader allocated {allocated / (1024 * 1024)} MiB on {what} (input kept in {Keep(bytes)})");
        }
        return diagnostics;
    }

    private static string Keep(byte[] bytes)
    {
        var kept = Path.Combine(Path.GetTempPath(), $"ciem-fuzz-{Guid.NewGuid():N}");
        File.WriteAllBytes(kept, bytes);
        return kept;
    }

    private static T WithFile<T>(byte[] bytes, Func<string, T> read)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ciem-fuzz-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(path, bytes);
        try { return read(path); }
        finally { File.Delete(path); }
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static string Sample(params string[] parts) => TestData.Sample(parts);

    private static string Fixture(params string[] parts) => Path.Combine([TestData.Samples, "..", "tests", "Ciem.Import.Tests", .. parts]);

    private static string Corpus(string name) => Path.Combine(AppContext.BaseDirectory, "Fuzz", "Corpus", name);
}
