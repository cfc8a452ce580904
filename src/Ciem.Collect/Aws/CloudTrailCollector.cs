using System.Collections.Immutable;
using Amazon.S3;
using Amazon.S3.Model;
using Ciem.App;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws.CloudTrail;
using Ciem.Storage;

namespace Ciem.Collect.Aws;

/// <summary>
/// CloudTrail straight from each trail's S3 bucket, incrementally: every object under `AWSLogs/` is named by its
/// `s3://bucket/key` and checked against the store's already-ingested files (same name, size and time) before it is
/// downloaded; the new ones go through the one usage-ingestion pipeline (which also skips a copy with the same content)
/// and are recorded under their `s3://` name, so the next run skips them without reading them again.
/// </summary>
internal static class CloudTrailCollector
{
    public static async Task<TrailCollectResult> CollectAsync(CiemSession session, AwsConnection connection, AwsCollectOptions options,
        DateTimeOffset now,
        List<Diagnostic> diagnostics, IProgress<CollectProgress>? progress, CancellationToken cancellationToken)
    {
        var trails = new SortedSet<(string Bucket, string Prefix)>();
        foreach (var region in options.Regions)
        {
            try
            {
                var answer = await connection.Caller.JsonAsync(AwsService.CloudTrail,
                    "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "DescribeTrails",
                    new System.Text.Json.Nodes.JsonObject { ["includeShadowTrails"] = true }, cancellationToken, region)
                        .ConfigureAwait(false);
                if (answer.TryGetProperty("trailList", out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array)
                {
                    foreach (var trail in list.EnumerateArray())
                    {
                        if (trail.TryGetProperty("S3BucketName", out var b) && b.GetString() is { Length: > 0 } bucket)
                        {
                            var prefix = trail.TryGetProperty("S3KeyPrefix", out var p) && p.GetString() is { Length: > 0 } kp
                                ? kp.TrimEnd('/') + "/" : "";
                            trails.Add((bucket, prefix + "AWSLogs/"));
                        }
                    }
                }
            }
            catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
            {
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CollectCloudTrail,
                    $"the trails of `{region}` were not listed: {ex.Message}"));
            }
        }

        var provider = CloudTrailLog.Default.Provider.Name;
        var store = session.Store;
        var known = store.IngestedFileHashes(provider);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var folder = Directory.CreateTempSubdirectory("ciem-collect-cloudtrail-");
        try
        {
            var files = new List<(string Path, IngestedFile File)>();
            int listed = 0, skipped = 0, later = 0;
            foreach (var (bucket, prefix) in trails)
            {
                IAmazonS3 s3;
                var objects = new List<S3Object>();
                try
                {
                    s3 = await BucketClientAsync(connection, bucket, cancellationToken).ConfigureAwait(false);
                    string? token = null;
                    do
                    {
                        var page = await AwsConnection.Sdk("s3:ListObjectsV2", null, () => s3.ListObjectsV2Async(
                            new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token },
                                cancellationToken)).ConfigureAwait(false);
                        objects.AddRange((page.S3Objects ?? []).Where(o => IsLog(o.Key)));
                        token = page.IsTruncated == true ? page.NextContinuationToken : null;
                    }
                    while (token is not null);
                }
                catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
                {
                    diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CollectCloudTrail,
                        $"the trail bucket `{bucket}` was not listed: {ex.Message}"));
                    continue;
                }
                listed += objects.Count;
                foreach (var item in objects.OrderBy(o => o.Key, StringComparer.Ordinal))
                {
                    var name = $"s3://{bucket}/{item.Key}";
                    var modified = new DateTimeOffset(DateTime.SpecifyKind(item.LastModified ?? DateTime.UnixEpoch, DateTimeKind.Utc));
                    var size = item.Size ?? 0;
                    if (store.IsFileIngested(provider, name, size, modified)) { skipped++; continue; }
                    if (options.MaxTrailObjects is { } max && files.Count >= max) { later++; continue; }
                    var local = Path.Combine(folder.FullName, $"{files.Count:D7}-{Path.GetFileName(item.Key)}");
                    try
                    {
                        using var response = await AwsConnection.Sdk("s3:GetObject", null, ()
                            => s3.GetObjectAsync(bucket, item.Key, cancellationToken)).ConfigureAwait(false);
                        using (var output = OwnerOnly.Open(local))
                        {
                            await response.ResponseStream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
                    {
                        diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CollectCloudTrail,
                            $"`{name}` was not read; a later run tries it again: {ex.Message}"));
                        continue;
                    }
                    var sha = UsageIngestion.Sha256(local);
                    if (known.Contains(sha) || !seen.Add(sha)) { skipped++; continue; }
                    files.Add((local, new IngestedFile(name, sha, size, modified, 0)));
                }
            }
            UsageIngestResult? ingested = null;
            if (files.Count > 0)
            {
                progress?.Report(new CollectProgress("ingesting CloudTrail", 0, files.Count));
                var plan = new UsageIngestPlan(files, skipped, new DiagnosticBag());
                ingested = UsageIngestion.Ingest(session, CloudTrailLog.Default, plan, now,
                    progress is null ? null : new Progress<Ciem.Import.Usage.UsageReadProgress>(p
                        => progress.Report(new CollectProgress("ingesting CloudTrail", p.FilesDone, files.Count))));
            }
            if (later > 0)
            {
                diagnostics.Add(Diagnostic.Info(DiagnosticCodes.CollectCloudTrail,
                    $"{later} new CloudTrail object(s) are left for the next run (`--max-trail-objects`)"));
            }
            return new TrailCollectResult([.. trails.Select(t => $"s3://{t.Bucket}/{t.Prefix}")], listed, skipped, later, ingested);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A CloudTrail log object (not a digest) in the documented layout.</summary>
    internal static bool IsLog(string key) =>
        key.Contains("/CloudTrail/", StringComparison.Ordinal) && !CloudTrailReader.IsDigest(key)
        && (key.EndsWith(".json.gz", StringComparison.Ordinal) || key.EndsWith(".json", StringComparison.Ordinal));

    private static async Task<IAmazonS3> BucketClientAsync(AwsConnection connection, string bucket, CancellationToken cancellationToken)
    {
        var home = connection.S3(connection.Credentials, connection.Region);
        var location = await AwsConnection.Sdk("s3:GetBucketLocation", null, ()
            => home.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, cancellationToken))
            .ConfigureAwait(false);
        var region = location.Location?.Value switch { null or "" => "us-east-1", "EU" => "eu-west-1", var r => r };
        return connection.S3(connection.Credentials, region);
    }
}
