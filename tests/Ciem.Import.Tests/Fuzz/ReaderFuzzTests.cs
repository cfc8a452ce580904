using System.Text;
using Ciem.Import.Aws;
using Ciem.Import.Aws.CloudTrail;
using Ciem.Import.Azure;
using Ciem.Import.Directories;
using Ciem.Import.Gcp;
using Ciem.Import.Iac;

namespace Ciem.Import.Tests.Fuzz;

/// <summary>
/// Byte-level runs over every reader and parser: seeds from the repository (samples, fixtures and the kept
/// corpus of hostile inputs in Fuzz/Corpus), mutated by flips, truncation, duplication and hostile tokens. No reader
/// may throw on content, and each must finish within its time bound. The run is bounded so that it stays in the
/// normal suite; `CIEM_FUZZ_RUNS` raises it for a longer session.
/// </summary>
public sealed class ReaderFuzzTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static readonly byte[][] Tokens =
    [
        "{"u8.ToArray(), "["u8.ToArray(), "}"u8.ToArray(), "]"u8.ToArray(), "\""u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "\\ud800"u8.ToArray(), "\\uDFFF"u8.ToArray(), [0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0], "\r"u8.ToArray(),
        "null"u8.ToArray(), "-1e999"u8.ToArray(), "1e400"u8.ToArray(), "*a"u8.ToArray(), "&a "u8.ToArray(), "${"u8.ToArray(),
        "%{"u8.ToArray(), "<<EOF\n"u8.ToArray(), "\"Statement\":"u8.ToArray(), "\"Effect\":\"Allow\""u8.ToArray(),
        "\"Records\":["u8.ToArray(), "\"Action\":\"*\""u8.ToArray(), "file(\"/dev/zero\")"u8.ToArray(),
        Encoding.ASCII.GetBytes(new string('[', 300)), Encoding.ASCII.GetBytes(new string('{', 300)),
    ];

    /// <summary>Every reader, fed bytes; a file name that names the format where a reader goes by it.</summary>
    private static readonly (string Name, string[] Seeds, Action<byte[]> Read)[] Readers =
    [
        ("authorization details", [Sample("aws", "authorization-details.json")], b =>
        {
            var r = new AuthorizationDetailsReader(TestData.TakenAt);
            r.Add(new MemoryStream(b), "fuzz.json");
            r.Build();
        }),
        ("organizations", [Sample("aws", "organization.json")], b => OrganizationsReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt)),
        ("resource policies", [Sample("aws", "resource-policies.json")], b => ResourcePoliciesReader.Read(new MemoryStream(b), "fuzz.json")),
        ("credential report", [Sample("aws", "credential-report.csv")], b => CredentialReportReader.Read(new MemoryStream(b), "fuzz.csv")),
        ("cloudtrail", [Corpus("cloudtrail.json")], b => CloudTrailReader.ReadStream(new MemoryStream(b), "fuzz.json", _ => { })),
        ("azure role definitions", [Sample("azure", "role-definitions.json")], b => RoleDefinitionsReader.Read(new MemoryStream(b), "fuzz.json")),
        ("azure role assignments", [Sample("azure", "role-assignments.json")], b => RoleAssignmentsReader.Read(new MemoryStream(b), "fuzz.json")),
        ("azure deny assignments", [Sample("azure", "deny-assignments.json")], b => DenyAssignmentsReader.Read(new MemoryStream(b), "fuzz.json")),
        ("azure eligible assignments", [Sample("azure", "eligible-assignments.json")], b => EligibleAssignmentsReader.Read(new MemoryStream(b), "fuzz.json")),
        ("azure group memberships", [Sample("azure", "group-memberships.json")], b => GroupMembershipsReader.Read(new MemoryStream(b), "fuzz.json")),
        ("azure management groups", [Sample("azure", "management-groups.json")], b => ManagementGroupsReader.Read(new MemoryStream(b), "fuzz.json")),
        ("azure subscriptions", [Sample("azure", "subscriptions.json")], b => SubscriptionsReader.Read(new MemoryStream(b), "fuzz.json")),
        ("azure resource groups", [Sample("azure", "resource-groups.json")], b => ResourceGroupsReader.Read(new MemoryStream(b), "fuzz.json")),
        ("azure activity log", [Corpus("activity-log.json")], b => WithFile(b, path => ActivityLogReader.Read([path], Core.Azure.Catalog.AzureOperationCatalog.Default))),
        ("gcp assets", [Sample("gcp", "iam-policies.json"), Sample("gcp", "resources.json")], b => GcpAssetReader.Read(new MemoryStream(b), "fuzz.json")),
        ("gcp deny policies", [Sample("gcp", "deny-policies.json")], b => GcpDenyPolicyReader.Read(new MemoryStream(b), "fuzz.json")),
        ("gcp groups", [Sample("gcp", "groups.json")], b => GcpGroupReader.Read(new MemoryStream(b), "fuzz.json")),
        ("gcp roles", [Sample("gcp", "custom-roles.json")], b => GcpRoleReader.Read(new MemoryStream(b), "fuzz.json")),
        ("gcp audit log", [Corpus("gcp-audit.json")], b => WithFile(b, path => AuditLogReader.Read([path]))),
        ("entra", [Sample("directory", "entra.json")], b => EntraReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt)),
        ("google workspace", [Sample("directory", "google.json")], b => GoogleReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt)),
        ("identity center", [Sample("directory", "identity-center.json")], b => IdentityCenterReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt)),
        ("okta", [Sample("directory", "okta.json")], b => OktaReader.Read(new MemoryStream(b), "fuzz.json", TestData.TakenAt)),
        ("terraform plan", [Fixture("Iac", "Clouds", "aws-resource-policies-plan.json")], b => TerraformPlanReader.Read(new MemoryStream(b), "fuzz.json")),
        ("terraform hcl", [Corpus("deep-jsonencode.tf"), Fixture("Iac", "Hcl", "app", "main.tf"), Corpus("stray-brace.tf"), Corpus("duplicate-address.tf")], b =>
            TerraformHclReader.Read(null, new TerraformModule([("main.tf", Text(b))], _ => null))),
        ("cloudformation", [Fixture("Iac", "Templates", "app-after.yaml"), Fixture("Iac", "Templates", "ops.json"), Corpus("alias-bomb.yaml")],
            b => CloudFormationReader.Read(null, null, Text(b), "template.yaml")),
        ("gate rules", [Corpus("ciem-rules.yml")], b => GateRulesReader.Read(Text(b), "ciem-rules.yml")),
    ];

    private static readonly string[] HostileSeeds =
        ["deep-array.json", "lone-surrogate.json", "empty-records.json", "utf16-policies.json", "invalid-utf8.json", "alias-bomb.yaml"];

    public static TheoryData<string> ReaderNames() => [.. Readers.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(ReaderNames))]
    public void Read_HostileCorpus_NeverThrows(string reader)
    {
        // Given the reader and every kept hostile seed (and its own seeds) as they are
        var (name, seeds, read) = Readers.Single(r => r.Name == reader);

        // When each is read, Then nothing throws and each finishes within the bound
        foreach (var seed in seeds.Concat(HostileSeeds.Select(Corpus)))
        {
            Run(name, seed, File.ReadAllBytes(seed), read);
        }
    }

    /// <summary>Fixed seeds keep the normal suite deterministic; `CIEM_FUZZ_RUNS` multiplies the mutants per seed.</summary>
    public static TheoryData<int> MutationSeeds() => [.. Enumerable.Range(0, 12)];

    [Theory]
    [MemberData(nameof(MutationSeeds))]
    public void Read_MutatedSeeds_NeverThrow(int seed)
    {
        // Given a mutation of each reader's seeds, derived from the seed (reproducible)
        var runs = int.TryParse(Environment.GetEnvironmentVariable("CIEM_FUZZ_RUNS"), out var n) ? n : 1;
        var random = new Random(seed);
        foreach (var (name, seeds, read) in Readers)
        {
            for (var run = 0; run < runs; run++)
            {
                var source = seeds[random.Next(seeds.Length)];
                var bytes = Mutate(File.ReadAllBytes(source), random);

                // When it is read, Then nothing throws and it finishes within the bound
                Run(name, $"{source} mutated with seed {seed}", bytes, read);
            }
        }
    }

    private static void Run(string name, string what, byte[] bytes, Action<byte[]> read)
    {
        // On a thread of its own, so that a reader that loops for ever fails the test (with the input kept) instead
        // of hanging the suite.
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { read(bytes); }
            catch (Exception ex) { error = ex; }
        }) { IsBackground = true };
        thread.Start();
        if (!thread.Join(Bound))
        {
            var kept = Path.Combine(Path.GetTempPath(), $"ciem-fuzz-hang-{Guid.NewGuid():N}");
            File.WriteAllBytes(kept, bytes);
            Assert.Fail($"the {name} reader took more than {Bound} on {what} (input kept in {kept})");
        }
        if (error is not null) { Assert.Fail($"the {name} reader threw on {what}: {error}"); }
    }

    /// <summary>One to eight edits: flip a byte, insert a hostile token, delete or duplicate a range, or truncate.</summary>
    internal static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        var edits = random.Next(1, 9);
        for (var e = 0; e < edits; e++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 64)));
                    break;
                case 3 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 256));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    if (bytes.Count > 0) { bytes.RemoveRange(at, bytes.Count - at); }
                    break;
            }
        }
        return [.. bytes];
    }

    private static object WithFile(byte[] bytes, Func<string, object> read)
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
