using Ciem.Core.Azure.Evaluation;

namespace Ciem.Core.Tests.Azure.Evaluation;

/// <summary>Runs every golden case in `Azure/Evaluation/Cases/*.json` (format in Cases/README.md) through <see cref="AzureAuthorizer"/>.</summary>
[Trait("Category", "SharedData")]
public sealed class AzureCaseTests
{
    private static readonly Dictionary<string, AzureCaseFile> Loaded = new(StringComparer.Ordinal);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in AzureCaseFile.Files())
        {
            foreach (var c in File(file).Cases) { data.Add(file, c.GetProperty("name").GetString()!); }
        }
        return data;
    }

    /// <summary>The cases in `Cases/` today: a file that stops being read, or a case lost, fails here.</summary>
    private const int CaseCount = 140;

    [Fact]
    public void Cases_AllFiles_HaveUniqueNamesAndTheRealCount()
    {
        // Given every case file / When names are collected
        // Then none repeats within a file, and every case on disk is there (a case added or removed updates CaseCount)
        var names = Cases().Select(row => (string)row[0] + "/" + (string)row[1]).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(CaseCount, names.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_GoldenCase_MatchesExpected(string file, string name)
    {
        // Given the estate of the file and the named case
        var caseFile = File(file);
        var c = caseFile.Cases.Single(e => e.GetProperty("name").GetString() == name);

        // When the request is evaluated
        var result = new AzureAuthorizer(caseFile.Estate).Evaluate(AzureCaseFile.Request(c));

        // Then the decision and the deciding assignments are the documented ones
        var got = result.Deciding.Select(d => d.AssignmentId).Distinct().Order(StringComparer.Ordinal).ToList();
        var why = $"{name}: got {result.Decision} [{string.Join(", ", got)}] diagnostics: {string.Join("; ", result.Diagnostics)}";
        Assert.True(c.GetProperty("expected").GetString() == result.Decision.ToString(), why);
        if (c.TryGetProperty("deciding", out var deciding))
        {
            var want = deciding.EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal).ToList();
            Assert.True(want.SequenceEqual(got), why);
        }
    }

    private static AzureCaseFile File(string file)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(file, out var loaded)) { Loaded[file] = loaded = AzureCaseFile.Load(file); }
            return loaded;
        }
    }
}
