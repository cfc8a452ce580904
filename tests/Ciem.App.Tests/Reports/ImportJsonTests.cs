using System.Collections.Immutable;
using Ciem.App.Reports;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.App.Tests.Reports;

/// <summary>
/// The imports' `--format json` documents, enveloped as the CLI writes them, byte for byte: property names, their order,
/// nulls and number forms are what consumers read (snapshots in Snapshots/import-*.expected.txt).
/// </summary>
public sealed class ImportJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    private static readonly ImmutableArray<Diagnostic> Diagnostics =
    [
        Diagnostic.Error("CIEM1203", "unknown condition operator `StringLikee` in statement 2",
            new SourceLocation(File: "gaad.json", Line: 7, JsonPath: "$.Policies[3]")),
        new(Severity.Warning, "CIEM1301", "role `ops` has no trust policy"),
    ];

    private static readonly SnapshotWrite[] Writes =
    [
        new("aws", "111111111111", 3, SnapshotOutcome.Added),
        new("aws", "222222222222", 4, SnapshotOutcome.Unchanged),
    ];

    private static readonly UsageIngestResult Ingested = new(new IngestCounts(3, 1, 100, 80, 5, 2, 10, 3, 1), 7,
        [Diagnostics[0]], TimeSpan.FromMilliseconds(2_345.678), 1);

    private static string Enveloped(string name, object document) =>
        JsonEnvelope.For(name, 1, "0.1.0", At).Wrap(document, ReportJson.Options).ToJsonString(ReportJson.Options);

    [Fact]
    public void Snapshots_WithoutContents_WrittenAsBefore()
    {
        // Given an AWS import (no contents) / When it is written / Then it matches the snapshot
        var json = ImportJson.Snapshots("/tmp/ciem.db", new ImportCounts(41, 2, 1), Writes, Diagnostics);
        Snapshot.Match(Enveloped("import-aws", json), "import-aws", "Ciem.App.Tests");
    }

    [Fact]
    public void Snapshots_WithContents_ContentsBeforeDiagnostics()
    {
        var json = ImportJson.Snapshots("/tmp/ciem.db", new ImportCounts(9, 0, 0), [Writes[0] with { Kind = "azure" }], [],
            [("roleDefinitions", 4), ("roleAssignments", 5)]);
        Snapshot.Match(Enveloped("import-cloud", json), "import-cloud", "Ciem.App.Tests");
    }

    [Fact]
    public void CloudTrail_Ingested_WrittenAsBefore() =>
        Snapshot.Match(Enveloped("import-cloudtrail", ImportJson.CloudTrail(Ingested)), "import-cloudtrail", "Ciem.App.Tests");

    [Fact]
    public void Usage_Ingested_InTheRecordsOwnWords() =>
        Snapshot.Match(Enveloped("usage-import", ImportJson.Usage("gcp", Ingested)), "usage-import", "Ciem.App.Tests");
}
