using System.Collections.Immutable;
using Ciem.App.Reports;
using Ciem.App.Usage;
using Ciem.Collect;
using Ciem.Collect.Aws;
using Ciem.Collect.Azure;
using Ciem.Collect.Gcp;
using Ciem.Collect.Okta;
using Ciem.Collect.Usage;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Inventory;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.Collect.Tests;

/// <summary>
/// The collectors' `--format json` documents, enveloped as the CLI writes them, byte for byte: property names, their order,
/// nulls and number forms are what consumers read (snapshots in Snapshots/collect-*.expected.txt).
/// </summary>
public sealed class CollectJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Elapsed = TimeSpan.FromMilliseconds(12_345.678);
    private static readonly ImportCounts Counts = new(41, 2, 1);

    private static readonly ImmutableArray<Diagnostic> Diagnostics =
    [
        Diagnostic.Error("CIEM1203", "unknown condition operator `StringLikee` in statement 2",
            new SourceLocation(File: "roles.json", Line: 7, JsonPath: "$.value[3]")),
        new(Severity.Warning, "CIEM4101", "subscription `sub-2` not read: 403"),
    ];

    private static readonly SnapshotWrite Write = new("azure", "tenant-1", 17, SnapshotOutcome.AddedAsHistory);

    private static string Enveloped(string name, object document) =>
        JsonEnvelope.For(name, 1, "0.1.0", At).Wrap(document, ReportJson.Options).ToJsonString(ReportJson.Options);

    [Fact]
    public void Azure_ReadAndWritten_WrittenAsBefore()
    {
        // Given a collection that read one subscription and not another, and wrote a snapshot
        var result = new AzureCollectResult("tenant-1",
            [
                new SubscriptionCoverage("sub-1", "Prod", AccountStatus.Read, null, 12, 3),
                new SubscriptionCoverage("sub-2", null, AccountStatus.NotRead, "403", 0, 0),
            ],
            AzureInventory.Empty, Write, Counts, Diagnostics, 9, Elapsed, []);

        // When it is written / Then it matches the snapshot
        Snapshot.Match(Enveloped("collect-azure", CollectJson.Azure(result, "/tmp/ciem.db")), "collect-azure", "Ciem.Collect.Tests");
    }

    [Fact]
    public void Azure_DryRun_NoContentsNoSnapshots()
    {
        var result = new AzureCollectResult(null, [new SubscriptionCoverage("sub-1", null, AccountStatus.Planned, null, 0, 0)],
            null, null, default, [], 1, TimeSpan.Zero, ["GET /subscriptions", "GET roleAssignments"]);
        Snapshot.Match(Enveloped("collect-azure", CollectJson.Azure(result, null)), "collect-azure-dry-run", "Ciem.Collect.Tests");
    }

    [Fact]
    public void Gcp_ReadAndWritten_WrittenAsBefore()
    {
        var result = new GcpCollectResult("organizations/123",
            [
                new ProjectCoverage("p-1", AccountStatus.Read, null, 4, 2),
                new ProjectCoverage("p-2", AccountStatus.NotRead, "denied", 0, 0),
            ],
            GcpInventory.Empty, Write with { Kind = "gcp" }, Counts, Diagnostics, 22, Elapsed, [])
        {
            DenyPoliciesNotRead = ["p-2"], GroupsNotRead = true,
        };
        Snapshot.Match(Enveloped("collect-gcp", CollectJson.Gcp(result, "/tmp/ciem.db")), "collect-gcp", "Ciem.Collect.Tests");
    }

    [Fact]
    public void Directory_TwoWrites_WrittenAsBefore()
    {
        var result = new DirectoryCollectResult("example.okta.com", DirectorySnapshot.Empty(DirectorySource.Okta, "example", At),
            [Write with { Kind = "directory" }, Write with { Kind = "directory", Scope = "other", Outcome = SnapshotOutcome.Unchanged }],
            Counts, Diagnostics, 5, Elapsed, []);
        Snapshot.Match(Enveloped("collect-directory", CollectJson.Directory(result, "/tmp/ciem.db")), "collect-directory",
            "Ciem.Collect.Tests");
    }

    [Fact]
    public void Aws_WithCloudTrail_WrittenAsBefore()
    {
        var ingested = new UsageIngestResult(new IngestCounts(3, 1, 100, 80, 5, 2, 10, 3, 0), 7, [], Elapsed, 0);
        var result = new AwsCollectResult("111111111111", "arn:aws:iam::111111111111:user/reader", "o-abc123def4",
            [new AccountCoverage("111111111111", "mgmt", AccountStatus.Read, null, 2, 1, 5, 3)], AwsInventory.Empty,
            new AwsImportSummary([Write with { Kind = "aws" }]), Counts, Diagnostics,
            new TrailCollectResult(["trail-bucket"], 12, 4, 1, ingested), Elapsed, []);
        Snapshot.Match(Enveloped("collect-aws", CollectJson.Aws(result, "/tmp/ciem.db")), "collect-aws", "Ciem.Collect.Tests");
    }

    [Fact]
    public void Log_OneStream_WrittenAsBefore()
    {
        var result = new LogCollectResult("azure",
            [new LogStreamCoverage("sub-1", AccountStatus.Read, null, At.AddDays(-1), At, 3, 250)],
            new IngestCounts(1, 0, 250, 200, 4, 0, 30, 16, 0), 12, Diagnostics, 3, Elapsed, []);
        Snapshot.Match(Enveloped("collect-usage", CollectJson.Log(result, "/tmp/ciem.db")), "collect-usage", "Ciem.Collect.Tests");
    }
}
