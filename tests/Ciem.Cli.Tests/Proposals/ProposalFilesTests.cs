using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Cli.Commands;
using Ciem.App.Proposals;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.Cli.Tests.Proposals;

public sealed class ProposalFilesTests
{
    private static readonly string[] Twins = ["a+b", "a=b", "a,b", "a@b", "a_b"];
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static PolicyProposal Proposal(string name, int documents)
    {
        var id = new Identity("aws", $"arn:aws:iam::222222222222:role/{name}", name, IdentityKind.ServiceIdentity, "222222222222", [], null, null);
        var json = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        var policies = Enumerable.Range(1, documents).Select(i => new ProposedPolicy(documents == 1 ? $"{name}-least-privilege" : $"{name}-least-privilege-{i}", json.Replace("s3:GetObject", $"s3:GetObject{i}", StringComparison.Ordinal), json.Length));
        return new PolicyProposal(id, [], [.. policies], [], [], ["AdministratorAccess"], 400, 1, 0.8,
            new ProposalVerification(3, 3, 0, []), []);
    }

    [Fact]
    public void Encode_DistinctValidIamNames_NeverTheSameFolder()
    {
        // Given five valid IAM role names that the old stem mapped to one file set, and names with `.` and non-IAM characters
        string[] names = ["a+b", "a=b", "a,b", "a@b", "a_b", "a.b", "..", ".hidden", "a/b", "a%b", "a:b", "ä"];

        // When encoded / Then every one is distinct, even without case, and none is `.`, `..` or hidden
        var encoded = names.Select(ProposalFileNames.Encode).ToList();
        Assert.Equal(names.Length, encoded.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(encoded, e => Assert.False(e.StartsWith('.'), e));
        Assert.Equal(["a+b", "a=b", "a,b", "a@b", "a_b", "a.b", "%2E.", "%2Ehidden", "a%2Fb", "a%25b", "a%3Ab", "%C3%A4"], encoded);
    }

    [Fact]
    public void WriteProposals_TwoDocumentsBesideAnIdentityNamedNameDash2_EveryFileKept()
    {
        // Given `NAME` with two documents (the old layout wrote NAME-2.json) and an identity called `NAME-2`, plus the five twins
        var folder = Directory.CreateTempSubdirectory("ciem-files-").FullName;
        try
        {
            PolicyProposal[] proposals = [Proposal("NAME", 2), Proposal("NAME-2", 1), .. Twins.Select(n => Proposal(n, 1))];

            // When written
            var count = ProposalFiles.WriteProposals(folder, proposals);

            // Then every file exists on its own, and each identity's folder holds its own documents
            var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
            Assert.Equal(count, files.Length);
            Assert.Equal(2 + 3 + 6 * 4, count);
            Assert.Contains("GetObject2", File.ReadAllText(Path.Combine(folder, "aws", "222222222222", "NAME", "policy-2.json")), StringComparison.Ordinal);
            Assert.Contains("GetObject1", File.ReadAllText(Path.Combine(folder, "aws", "222222222222", "NAME-2", "policy.json")), StringComparison.Ordinal);
            foreach (var p in proposals)
            {
                Assert.All(ProposalFileNames.Files(p), f => Assert.True(File.Exists(Path.Combine(folder, f)), f));
                using var evidence = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ProposalFileNames.Folder(p), "evidence.json")));
                Assert.Equal(p.Identity.Id, evidence.RootElement.GetProperty("identity").GetString());
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Write_SameFileTwiceInOneRun_RefusedAndNothingOverwritten()
    {
        // Given a writer that wrote one proposal's files
        var folder = Directory.CreateTempSubdirectory("ciem-files-").FullName;
        try
        {
            using var writer = new ProposalFileWriter(folder);
            ProposalFiles.WriteProposals(writer, [Proposal("job", 1)]);
            var before = Proposal("job", 1).Policies[0].Json + "\n";

            // When a second proposal maps to the same files (same identity twice), or to one differing only in case
            var again = Assert.Throws<InvalidOperationException>(() => ProposalFiles.WriteProposals(writer, [Proposal("job", 1) with { Policies = [new ProposedPolicy("x", "{}", 2)] }]));
            var cased = Assert.Throws<InvalidOperationException>(() => writer.Write("aws/222222222222/JOB/policy.json", "{}"));

            // Then both are refused with the collision code, and the first file is unchanged
            writer.Commit();
            Assert.StartsWith("CIEM6510", again.Message, StringComparison.Ordinal);
            Assert.Contains("already written", cased.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllText(Path.Combine(folder, "aws", "222222222222", "job", "policy.json")));
            Assert.Throws<InvalidOperationException>(() => writer.Write("../escape.json", "{}"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Propose_TrailWithAccessDeniedCalls_DeniedActionNeverInUsageOrProposal()
    {
        // Given the sample estate and a month of CloudTrail where app-worker is denied iam:ListRoles every day
        using var cli = new CliRunner();
        cli.ImportSamples();
        var trail = Usage.UsageCommandsTests.WriteTrail(Path.Combine(cli.Home, "trail"));
        var import = cli.Run("import", "cloudtrail", trail, "--db", cli.Db, "--format", "json");
        using (var counts = JsonDocument.Parse(import.Out)) { Assert.Equal(30, counts.RootElement.GetProperty("attempts").GetInt64()); }

        // When the gap and the proposal of app-worker are computed
        var outDir = Path.Combine(cli.Home, "out");
        var propose = cli.Run("propose", "app-worker", "--out", outDir, "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        Assert.True(propose.Code == 0, propose.Err);

        // Then the denied attempts are neither usage nor part of the proposal
        var folder = Path.Combine(outDir, "aws", "222222222222", "app-worker");
        Assert.DoesNotContain("iam:ListRoles", File.ReadAllText(Path.Combine(folder, "policy-1.json")), StringComparison.Ordinal);
        using var evidence = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "evidence.json")));
        Assert.DoesNotContain(evidence.RootElement.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("action").GetString() == "iam:ListRoles");
        Assert.Contains(evidence.RootElement.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("action").GetString() == "sqs:ReceiveMessage");
        var gap = cli.Run("gap", "app-worker", "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        Assert.DoesNotContain("iam:ListRoles", gap.Out, StringComparison.Ordinal);
    }
}
