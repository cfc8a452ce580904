using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import;
using Ciem.Import.Aws;
using Ciem.Storage;

namespace Ciem.Collect.Aws;

/// <summary>
/// `ciem collect aws`: reads the caller's organization and every member account (through a named read-only role,
/// several accounts at once) from the AWS APIs, hands every answer to the same readers `ciem import aws` uses, and
/// writes the result with the same store request in one transaction — then ingests the trails' CloudTrail objects
/// not yet ingested through the usage pipeline. An account that cannot be read is reported and listed on the
/// snapshots' sources; the others are still written. Nothing is written when nothing could be read.
/// </summary>
public static class AwsCollector
{
    public static async Task<AwsCollectResult> CollectAsync(CiemSession? session, AwsCollectOptions options, DateTimeOffset now,
        IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (session is null && !options.DryRun) { throw new ArgumentNullException(nameof(session),
            "a store session is needed unless it is a dry run"); }
        var watch = Stopwatch.StartNew();
        using var connection = AwsConnection.Open(options);
        var regions = options.Regions.Count > 0 ? options.Regions : [connection.Region];
        options = options with { Regions = regions };
        var diagnostics = new List<Diagnostic>();

        progress?.Report(new CollectProgress("identifying the caller", 0, 0));
        var (callerAccount, callerArn) = await connection.WhoAmIAsync(cancellationToken).ConfigureAwait(false);

        progress?.Report(new CollectProgress("reading the organization", 0, 0));
        OrganizationBundle? organization = null;
        try
        {
            organization = await new OrganizationsCollector(connection.Caller).ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CollectException ex) when (OrganizationsCollector.NotInOrganization(ex))
        {
            diagnostics.Add(Diagnostic.Info(DiagnosticCodes.CollectNoOrganization,
                $"account `{callerAccount}` is not in an organization; only it is read"));
        }
        catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CollectNoOrganization,
                $"the organization could not be read, so its snapshot is not replaced and only account "
                    + $"`{callerAccount}` is read: {ex.Message}"));
        }

        var targets = Targets(organization, callerAccount, options);
        if (options.DryRun)
        {
            return new AwsCollectResult(callerAccount, callerArn, OrganizationId(organization),
                [.. targets.Select(t => new AccountCoverage(t.Id, t.Name, AccountStatus.Planned, null, 0, 0, 0, 0))],
                null, null, default, [.. diagnostics], null, watch.Elapsed,
                    Plan(targets, callerAccount, organization is not null, options));
        }

        var reads = new ConcurrentDictionary<string, AccountRead>(StringComparer.Ordinal);
        var failures = new ConcurrentDictionary<string, CollectException>(StringComparer.Ordinal);
        var done = 0;
        progress?.Report(new CollectProgress("reading accounts", 0, targets.Count));
        await Parallel.ForEachAsync(targets, new ParallelOptions
            { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken },
            async (target, token) =>
            {
                try
                {
                    var caller = target.Id == callerAccount
                        ? connection.Caller.For(connection.Credentials, target.Id)
                        : connection.Caller.For(await connection.AssumeAsync(RoleArn(target.Id, options.MemberRole!, connection.Region),
                            target.Id, token).ConfigureAwait(false), target.Id);
                    var reader = new AwsAccountReader(caller, region => connection.S3(caller.Credentials, region), options);
                    reads[target.Id] = await reader.ReadAsync(target.Id, token).ConfigureAwait(false);
                }
                catch (CollectException ex) when (!(ex.Code == DiagnosticCodes.CollectCredentials && target.Id == callerAccount))
                {
                    failures[target.Id] = ex;
                }
                progress?.Report(new CollectProgress("reading accounts", Interlocked.Increment(ref done), targets.Count));
            }).ConfigureAwait(false);

        foreach (var (id, failure) in failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.CollectAccountNotRead,
                $"account `{id}` was not read; its snapshot is not replaced: {failure.Message}"));
        }
        if (reads.IsEmpty && organization is null)
        {
            throw new CollectException(failures.Values.FirstOrDefault()?.Code ?? DiagnosticCodes.CollectAccountNotRead,
                $"nothing could be read, so the store was not changed: {string.Join("; ", failures.Values.Select(f => f.Message))}");
        }

        var (inventory, counts, sources, readerDiagnostics) = Read(reads.Values.OrderBy(r => r.Account, StringComparer.Ordinal).ToList(),
            organization, callerAccount, now,
            options, failures.Keys.Order(StringComparer.Ordinal).ToList(), diagnostics);
        diagnostics.AddRange(reads.Values.OrderBy(r => r.Account, StringComparer.Ordinal).SelectMany(r => r.Diagnostics));
        diagnostics.AddRange(readerDiagnostics);
        foreach (var (id, failure) in failures) { sources.Add($"not read: account {id} ({failure.ServiceCode ?? failure.Code})"); }

        progress?.Report(new CollectProgress("writing the snapshot", 0, 0));
        var summary = session!.Store.ImportAws(new AwsImportRequest(inventory, now, [.. sources], counts));
        session.Imported();

        TrailCollectResult? trail = null;
        if (options.CloudTrail)
        {
            progress?.Report(new CollectProgress("reading CloudTrail", 0, 0));
            trail = await CloudTrailCollector.CollectAsync(session, connection, options, now, diagnostics, progress, cancellationToken)
                .ConfigureAwait(false);
        }

        var coverage = targets.Select(t => reads.ContainsKey(t.Id)
            ? Covered(t, inventory)
            : new AccountCoverage(t.Id, t.Name, AccountStatus.NotRead, failures.TryGetValue(t.Id, out var f) ? f.Message
                : null, 0, 0, 0, 0));
        return new AwsCollectResult(callerAccount, callerArn, OrganizationId(organization), [.. coverage], inventory, summary, counts,
            [.. diagnostics], trail,
            watch.Elapsed, []);
    }

    /// <summary>
    /// The collected answers through the file readers: one authorization-details reader over every account's pages,
    /// the Organizations bundle, the credential reports and — only when every account's were read — the resource policies.
    /// </summary>
    private static (AwsInventory Inventory, ImportCounts Counts, List<string> Sources, List<Diagnostic> Diagnostics) Read(
        List<AccountRead> reads, OrganizationBundle? organization, string callerAccount, DateTimeOffset now, AwsCollectOptions options,
        List<string> notRead, List<Diagnostic> collectDiagnostics)
    {
        var diagnostics = new List<Diagnostic>();
        var counts = default(ImportCounts);
        var sources = new List<string>();
        var authz = new AuthorizationDetailsReader(now);
        foreach (var (name, json) in reads.SelectMany(r => r.AuthorizationPages))
        {
            using var stream = new MemoryStream(json, writable: false);
            authz.Add(stream, name);
        }
        var details = authz.Build();
        Take(details, diagnostics, ref counts, sources);
        var inventory = details.Value.ToInventory();

        if (organization is not null)
        {
            using var stream = new MemoryStream(organization.Json, writable: false);
            var org = OrganizationsReader.Read(stream, $"aws-api://organizations/{callerAccount}", now);
            Take(org, diagnostics, ref counts, sources);
            inventory = inventory with { Organization = org.Value };
        }

        var reports = new List<AwsCredentialReport>();
        foreach (var (name, json) in reads.Select(r => r.CredentialReport).OfType<(string, byte[])>())
        {
            using var stream = new MemoryStream(json, writable: false);
            var report = CredentialReportReader.Read(stream, name);
            Take(report, diagnostics, ref counts, sources);
            reports.AddRange(report.Value.Select(r => r with { GeneratedAt = r.GeneratedAt ?? now }));
        }
        inventory = inventory with { CredentialReports = [.. reports] };

        if (options.ResourcePolicies.Count > 0)
        {
            var incomplete = notRead.Concat(reads.Where(r => !r.ResourcePoliciesComplete).Select(r => r.Account))
                .Order(StringComparer.Ordinal).ToList();
            if (incomplete.Count > 0)
            {
                collectDiagnostics.Add(Diagnostic.Warning(DiagnosticCodes.CollectResourcePoliciesKept,
                    $"the resource policies of account(s) {string.Join(", ", incomplete.Select(a => $"`{a}`"))} were not all read, so the "
                        + "resource-policy snapshot is not replaced"));
            }
            else
            {
                var all = new JsonObject();
                foreach (var (arn, value) in reads.SelectMany(r => r.ResourcePolicies).OrderBy(p => p.Key, StringComparer.Ordinal))
                    { all[arn] = value.DeepClone(); }
                using var stream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(all), writable: false);
                var policies = ResourcePoliciesReader.Read(stream,
                    $"aws-api://resource-policies/{string.Join(",", options.ResourcePolicies)}");
                Take(policies, diagnostics, ref counts, sources);
                inventory = inventory with { ResourcePolicies = policies.Value, ResourcePoliciesTakenAt = now };
            }
        }
        return (inventory, counts, sources, diagnostics);
    }

    private static void Take<T>(ImportResult<T> result, List<Diagnostic> diagnostics, ref ImportCounts counts, List<string> sources)
    {
        diagnostics.AddRange(result.Diagnostics);
        counts += result.Counts;
        sources.AddRange(result.SourceFiles);
    }

    /// <summary>The accounts to read: the organization's active ones (the caller's included), filtered; else the caller's.</summary>
    private static List<(string Id, string? Name)> Targets(OrganizationBundle? organization, string callerAccount,
        AwsCollectOptions options)
    {
        var all = organization?.Accounts.Where(a => a.Status is null or "ACTIVE").Select(a => (a.Id, a.Name)).ToList()
            ?? [(callerAccount, null)];
        if (options.MemberRole is null) { all = [.. all.Where(a => a.Id == callerAccount)]; }
        if (all.All(a => a.Id != callerAccount) && (options.Accounts.Count == 0 || options.Accounts.Contains(callerAccount)))
            { all.Add((callerAccount, null)); }
        if (options.Accounts.Count > 0) { all = [.. all.Where(a => options.Accounts.Contains(a.Id))]; }
        return [.. all.DistinctBy(a => a.Id).OrderBy(a => a.Id, StringComparer.Ordinal)];
    }

    private static string RoleArn(string account, string role, string region)
    {
        var partition = region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
            : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
        return $"arn:{partition}:iam::{account}:role/{role}";
    }

    private static string? OrganizationId(OrganizationBundle? organization)
    {
        if (organization is null) { return null; }
        using var json = JsonDocument.Parse(organization.Json);
        return json.RootElement.TryGetProperty(OrganizationsReader.DescribeOrganization, out var d)
            && d.TryGetProperty("Organization", out var o)
            && o.TryGetProperty("Id", out var id) ? id.GetString() : null;
    }

    private static AccountCoverage Covered((string Id, string? Name) target, AwsInventory inventory)
    {
        var account = inventory.Accounts.FirstOrDefault(a => a.AccountId == target.Id);
        return new AccountCoverage(target.Id, target.Name, AccountStatus.Read, null, account?.Users.Length ?? 0,
            account?.Groups.Length ?? 0,
            account?.Roles.Length ?? 0, account?.Policies.Length ?? 0);
    }

    private static ImmutableArray<string> Plan(List<(string Id, string? Name)> targets, string callerAccount, bool organization,
        AwsCollectOptions options)
    {
        var plan = ImmutableArray.CreateBuilder<string>();
        if (organization)
        {
            plan.Add($"organizations: DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent, "
                + $"ListPolicies (SCP, RCP), DescribePolicy, ListTargetsForPolicy, ListTagsForResource (from `{callerAccount}`)");
        }
        foreach (var (id, _) in targets)
        {
            var how = id == callerAccount ? "with the caller's credentials"
                : $"as `{RoleArn(id, options.MemberRole!, options.Regions[0])}`";
            var what = new List<string> { "iam:GetAccountAuthorizationDetails" };
            if (options.CredentialReport) { what.Add("iam:GenerateCredentialReport, iam:GetCredentialReport"); }
            if (options.ResourcePolicies.Count > 0)
                { what.Add($"resource policies of {string.Join(", ", options.ResourcePolicies)} in {string.Join(", ", options.Regions)}"); }
            plan.Add($"account {id} {how}: {string.Join("; ", what)}");
        }
        if (options.CloudTrail)
        {
            plan.Add($"cloudtrail: DescribeTrails in {string.Join(", ", options.Regions)}, then the objects of each trail's bucket not yet "
                + $"ingested (from `{callerAccount}`)");
        }
        return plan.ToImmutable();
    }
}
