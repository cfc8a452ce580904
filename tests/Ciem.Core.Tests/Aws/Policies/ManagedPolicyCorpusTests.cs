using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Conditions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Tests;

namespace Ciem.Core.Tests.Aws.Policies;

/// <summary>Every AWS managed policy (two public snapshots) parses, compiles and expands without an unexplained diagnostic.</summary>
[Trait("Category", "SharedData")]
public sealed class ManagedPolicyCorpusTests
{
    public static TheoryData<string> Corpora() => ["mamip", "iam-dataset"];

    [Theory]
    [MemberData(nameof(Corpora))]
    public void ParseAndCompile_EveryManagedPolicy_NoUnexplainedDiagnostics(string corpus)
    {
        // Given every managed policy document of the corpus
        var documents = Load(corpus).ToList();
        Assert.True(documents.Count > 1300, $"only {documents.Count} documents in {corpus}");
        var unexplained = new List<string>();
        var statements = 0;
        var empty = 0;
        foreach (var (name, json) in documents)
        {
            if (json is null) { empty++; continue; }

            // When each is parsed and its conditions compiled
            var parsed = PolicyParser.Parse(json, name, PolicyKind.Identity);
            var diags = new DiagnosticBag();
            diags.AddRange(parsed.Diagnostics);
            Assert.NotNull(parsed.Document);
            CompiledPolicy.Compile(parsed.Document, diags);
            statements += parsed.Document.Statements.Length;

            // Then nothing is reported except the explained cases, and no statement is defective
            foreach (var d in diags)
            {
                if (!IsExplained(d)) { unexplained.Add($"{name}: {d}"); }
            }
            Assert.All(parsed.Document.Statements, s => Assert.Null(s.Defect));
        }
        Assert.True(unexplained.Count == 0, string.Join("\n", unexplained.Take(20)));
        Assert.True(statements > 5000, $"only {statements} statements");
        Assert.Equal(corpus == "mamip" ? 2 : 0, empty); // MAMIP ships two empty files (SOURCE.md)
    }

    [Fact]
    public void Expand_EveryManagedPolicyAction_KnownToTheCatalogOrExplained()
    {
        // Given the newer corpus and the shipped catalog
        var catalog = AwsActionCatalog.Default;
        var unknownServices = new SortedSet<string>(StringComparer.Ordinal);
        var total = 0;
        foreach (var (name, json) in Load("iam-dataset"))
        {
            var doc = PolicyParser.Parse(json!, name, PolicyKind.Identity).Document!;
            foreach (var pattern in doc.Statements.SelectMany(s => s.Actions))
            {
                total++;
                // When each action pattern is expanded
                var expansion = catalog.ExpandPattern(pattern);
                if (expansion.Status == ActionPatternStatus.UnknownService) { unknownServices.Add(pattern.Split(':')[0]); }
            }
        }
        // Then (almost) every service prefix AWS writes into its own policies is in the catalog
        Assert.True(total > 20000);
        Assert.True(unknownServices.Count <= 40, "unknown services: " + string.Join(", ", unknownServices));
    }

    private static bool IsExplained(Diagnostic d) =>
        // AWS-managed policies occasionally repeat a Sid within one document; IAM accepts it for managed policies.
        d.Code == DiagnosticCodes.StatementDuplicateSid;

    private static IEnumerable<(string Name, string? Json)> Load(string corpus)
    {
        if (corpus == "mamip")
        {
            foreach (var file in Directory.EnumerateFiles(TestPaths.Shared("mamip-aws-managed-policies", "policies")).Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                if (string.IsNullOrWhiteSpace(text)) { yield return (Path.GetFileName(file), null); continue; }
                using var doc = JsonDocument.Parse(text);
                yield return (Path.GetFileName(file), doc.RootElement.GetProperty("PolicyVersion").GetProperty("Document").GetRawText());
            }
        }
        else
        {
            foreach (var file in Directory.EnumerateFiles(TestPaths.Shared("iam-dataset", "aws", "managedpolicies"), "*.json").Order(StringComparer.Ordinal))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                yield return (Path.GetFileNameWithoutExtension(file), doc.RootElement.GetProperty("document").GetRawText());
            }
        }
    }
}
