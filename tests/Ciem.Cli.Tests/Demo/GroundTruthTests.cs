using System.Text.Json;
using Ciem.Demo;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Cli.Tests.Demo;

/// <summary>Proposals measured against an account whose truth is known (docs/least-privilege.md, "Ground truth").</summary>
public sealed class GroundTruthTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Propose_GroundTruthAccount_KeepsUsedAndSeasonalGrantsNothingElseNeverADeniedAttempt()
    {
        // Given a generated account: 12 roles with known granted, used, seasonal and denied actions, imported as a user would
        using var cli = new CliRunner();
        var truth = GroundTruthEstate.Generate(Path.Combine(cli.Home, "gt"), AsOf);
        Assert.Equal(0, cli.Run("import", "aws", truth.InventoryFile, "--db", cli.Db).Code);
        var import = cli.Run("import", "cloudtrail", truth.CloudTrailFolder, "--db", cli.Db, "--format", "json");
        Assert.True(import.Code == 0, import.Err);
        using (var counts = JsonDocument.Parse(import.Out))
        {
            Assert.Equal(truth.Roles.Sum(r => r.Denied.Length), counts.RootElement.GetProperty("attempts").GetInt64());
        }

        // (and the data-event path is exercised: granted data actions that were not used exist, and only the trail's
        // data events make them unused rather than unknown)
        var coverage = Ciem.Core.Aws.Usage.CloudTrailCoverage.Default;
        Assert.Contains(truth.Roles, r => r.Granted.Except(r.Used).Except(r.Seasonal).Any(a => coverage.IsRecorded(a) == Ciem.Core.Aws.Usage.CloudTrailRecording.DataEvent));

        // When every role gets a proposal
        var outDir = Path.Combine(cli.Home, "out");
        var propose = cli.Run("propose", "--out", outDir, "--db", cli.Db, "--as-of", "2026-11-28", "--format", "json");
        Assert.True(propose.Code == 0, propose.Err);
        using var doc = JsonDocument.Parse(propose.Out);
        var proposals = doc.RootElement.GetProperty("proposals").EnumerateArray().ToDictionary(p => p.GetProperty("identity").GetString()!, p => p);

        // Then every role has one, verified by replay, and its documents allow exactly its used and seasonal actions
        Assert.Equal(truth.Roles.Length, proposals.Count);
        Assert.Empty(doc.RootElement.GetProperty("failures").EnumerateArray());
        var catalog = AwsActionCatalog.Default;
        foreach (var role in truth.Roles)
        {
            var p = proposals[role.Arn];
            Assert.Equal("passed", p.GetProperty("verification").GetString());
            var allowed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in p.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).Where(f => f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith("evidence.json", StringComparison.Ordinal)))
            {
                using var policy = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, file)));
                foreach (var statement in policy.RootElement.GetProperty("Statement").EnumerateArray())
                {
                    Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
                    var actions = statement.GetProperty("Action");
                    var names = actions.ValueKind == JsonValueKind.Array ? actions.EnumerateArray().Select(a => a.GetString()!) : [actions.GetString()!];
                    foreach (var a in catalog.ExpandMany(names)) { allowed.Add(a.FullName); }
                }
            }
            var expected = role.Used.Concat(role.Seasonal).ToHashSet(StringComparer.Ordinal);
            Assert.True(expected.IsSubsetOf(allowed), $"{role.Name} lost {string.Join(", ", expected.Except(allowed))}");
            Assert.True(allowed.IsSubsetOf(expected), $"{role.Name} keeps unused {string.Join(", ", allowed.Except(expected))}");
            Assert.Empty(allowed.Intersect(role.Denied));
        }
    }
}
