using System.Collections.Immutable;
using Ciem.App.Usage;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Storage;

namespace Ciem.Collect.Aws;

/// <summary>What one `ciem collect aws` run read and wrote.</summary>
/// <param name="Caller">the identity the credentials belong to (its ARN; no key or token).</param>
/// <param name="Snapshot">the snapshots written, or null (dry run, or nothing could be read).</param>
/// <param name="Plan">on a dry run, the calls the run would make, one line each.</param>
public sealed record AwsCollectResult(
    string CallerAccount,
    string Caller,
    string? OrganizationId,
    ImmutableArray<AccountCoverage> Accounts,
    AwsInventory? Inventory,
    AwsImportSummary? Snapshot,
    ImportCounts Counts,
    ImmutableArray<Diagnostic> Diagnostics,
    TrailCollectResult? CloudTrail,
    TimeSpan Elapsed,
    ImmutableArray<string> Plan)
{
    public bool DryRun => Snapshot is null && !Plan.IsDefaultOrEmpty;

    public IEnumerable<AccountCoverage> NotRead => Accounts.Where(a => a.Status == AccountStatus.NotRead);
}

public enum AccountStatus
{
    Read,
    NotRead,
    Planned,
}

/// <summary>One account of the run: read (with its counts) or not (with the reason).</summary>
public sealed record AccountCoverage(string Id, string? Name, AccountStatus Status, string? Reason, int Users, int Groups,
    int Roles, int Policies);

/// <summary>The CloudTrail part: the trails' buckets, the objects listed and skipped as already ingested, and the ingestion.</summary>
public sealed record TrailCollectResult(ImmutableArray<string> Buckets, int ObjectsListed, int ObjectsSkipped, int ObjectsLeftForLater,
    UsageIngestResult? Ingested);
