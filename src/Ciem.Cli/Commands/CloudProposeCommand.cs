using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Cli.Proposals;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.LeastPrivilege;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem propose --provider azure|gcp PRINCIPAL --out DIR`: a verified least-privilege role for one principal from the
/// usage of the window (`store.LoadUsage`, as `ciem gap --provider` reads it), written as JSON and Terraform — with the
/// seasonal operations of the lookback, the `--keep` exceptions and, unless `--drop-unknown`, the granted permissions
/// the logs cannot show used, each marked, and a confidence with its reason.
/// </summary>
public static class CloudProposeCommand
{
    /// <summary>The lookback in days (seasonal use), the exceptions always kept when granted, and whether unknown permissions are left out.</summary>
    public sealed record Settings(int LookbackDays = 400, IReadOnlyCollection<string>? Keep = null, bool DropUnknown = false);

    public static int Run(CliHost host, string provider, string? query, string output, int windowDays, DateTimeOffset? asOf, string? db, string format, Settings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        settings ??= new Settings();
        if (query is null)
        {
            host.Error.WriteLine($"error: `ciem propose --provider {provider}` needs a principal");
            return ExitCodes.InvalidInput;
        }
        var when = asOf ?? host.Clock.GetUtcNow();
        var window = UsageWindow.Of(when, windowDays, settings.LookbackDays);
        string principal, name, scope, json, terraform, extension, summary;
        ImmutableArray<string> removed;
        int before, after;
        IEnumerable<string> failures;
        ProposalConfidence? confidence = null;
        IReadOnlyList<(string Permission, KeepReason Reason, long Count)> kept = [];
        // What the window's logs record (unknown permissions) and the days with usage; the lookback is read per principal below.
        CloudSweepEvidence evidence;
        var store = StoreAccess.Open(host, db);
        {
            evidence = CloudGapCommand.Evidence(store, provider, when, windowDays, windowDays, []);
        }
        var keep = settings.Keep ?? [];
        if (provider == Providers.Azure)
        {
            var inventory = Providers.LoadAzure(host, db);
            if (inventory is null) { return ExitCodes.Failure; }
            var estate = inventory.ToEstate();
            // The same resolver as every other command: a principal whose access comes through a group is found too.
            var resolved = AzureCommands.Resolver(host, db, estate).Resolve(query);
            if (resolved.Found is not { } found) { return Unknown(host, provider, query, resolved); }
            principal = found.Id;
            var identity = AzureEffectiveAccess.IdentityOf(principal, found.Type, estate);
            static AzureObservedOperation Observed(UsageTotal u) => new(u.Action, u.Resource, u.Count,
                AzureOperationCatalog.Default.TryGetOperation(u.Action, AzurePlane.Control, out _) || !AzureOperationCatalog.Default.TryGetOperation(u.Action, AzurePlane.Data, out _)
                    ? AzurePlane.Control : AzurePlane.Data);
            var used = Usage(host, db, provider, window.Start, window.EndExclusive, identity).Select(Observed);
            var options = new AzureProposalOptions
            {
                Lookback = [.. Usage(host, db, provider, window.LookbackStart, window.Start, identity).Select(Observed)],
                KeepOperations = [.. keep],
                Recording = evidence.AzureRecording,
                DropUnknown = settings.DropUnknown,
                WindowDays = windowDays,
                ObservedDays = evidence.ObservedDays,
            };
            var result = AzureRoleProposer.Propose(estate, principal, used, when, null, options);
            failures = result.Failures;
            var p = result.Proposal;
            (json, terraform, extension, before, after, summary) = p is null ? ("", "", "", 0, 0, "")
                : (p.RoleDefinitionJson, p.Terraform, "role.json", p.GrantedBefore, p.GrantedAfter, $"custom role `{p.Role.RoleName}` at `{p.Scope}`");
            (name, scope, removed) = (identity.Name, p?.Scope ?? "", p?.Removed ?? []);
            confidence = p?.Confidence;
            kept = p is null ? [] : [.. p.Evidence.Select(e => (e.Operation, e.Reason, e.Count))];
        }
        else
        {
            var inventory = Providers.LoadGcp(host, db);
            if (inventory is null) { return ExitCodes.Failure; }
            var policies = GcpPolicySet.Create(inventory);
            // A bare email is a user (or a service account): the forms every command accepts, most specific first.
            var member = Ciem.App.Identities.IdentityResolver.GcpForms(query).FirstOrDefault(m => GcpEffectiveAccess.Compute(policies, m).Identity.Id.Length > 0);
            if (member is null) { return Unknown(host, provider, query); }
            var identity = GcpEffectiveAccess.Compute(policies, member).Identity;
            principal = member;
            var used = Usage(host, db, provider, window.Start, window.EndExclusive, identity).Select(u => new GcpObservedPermission(u.Action, u.Resource, u.Count));
            var options = new GcpProposalOptions
            {
                Lookback = [.. Usage(host, db, provider, window.LookbackStart, window.Start, identity).Select(u => new GcpObservedPermission(u.Action, u.Resource, u.Count))],
                KeepPermissions = [.. keep],
                Recording = evidence.GcpRecording,
                DropUnknown = settings.DropUnknown,
                WindowDays = windowDays,
                ObservedDays = evidence.ObservedDays,
            };
            var result = GcpRoleProposer.Propose(policies, member, used, when, options);
            failures = result.Failures;
            var p = result.Proposal;
            (json, terraform, extension, before, after, summary) = p is null ? ("", "", "", 0, 0, "")
                : (p.Json, p.Terraform, p.IsPredefined ? "binding.json" : "role.json", p.GrantedBefore, p.GrantedAfter, $"{p.Note}; `{p.Role}` on `{p.Resource}`");
            (name, scope, removed) = (identity.Name, p?.Resource ?? "", p?.Removed ?? []);
            confidence = p?.Confidence;
            kept = p is null ? [] : [.. p.Evidence.Select(e => (e.Permission, e.Reason, e.Count))];
        }
        var failureList = failures.ToList();
        string? stem = null;
        if (failureList.Count == 0)
        {
            stem = Write(new ProposalFileWriter(output), provider, principal, json, extension, terraform);
            ReductionRecorder.RecordCloud(host, db, [new ReductionRecorder.CloudDelivery(provider, principal, name, scope, removed, before, after, ProposalFileNames.CloudFiles(provider, principal, extension))], output);
        }
        if (format == "json")
        {
            host.Out.WriteLine(JsonSerializer.Serialize(new
            {
                provider, principal, emitted = stem is not null, grantedBefore = before, grantedAfter = after, summary, files = stem, failures = failureList,
                confidence = confidence is null ? null : new { score = confidence.Score, level = confidence.Level, reason = confidence.Reason },
                kept = kept.Select(k => new { permission = k.Permission, reason = ReasonName(k.Reason), calls = k.Count }),
            }, CliJson.Options));
        }
        else if (stem is null)
        {
            foreach (var f in failureList) { host.Error.WriteLine($"error {Core.Diagnostics.DiagnosticCodes.CliNothingProduced}: no proposal for `{principal}`: {f}"); }
        }
        else
        {
            host.Out.WriteLine($"{principal}: {summary}; granted {before:N0} → {after:N0}; every observed call allowed on replay");
            host.Out.WriteLine("kept: " + string.Join(", ", kept.GroupBy(k => k.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count():N0} {ReasonName(g.Key)}")));
            if (confidence is not null) { host.Out.WriteLine($"confidence {confidence.Level} ({confidence.Score:0.00}): {confidence.Reason}"); }
            host.Out.WriteLine($"written to {Path.GetFullPath(output)} ({stem}/)");
        }
        // Nothing written is a failure for a script, whatever the format: the reasons are in the output.
        return stem is null ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>Writes `{provider}/{principal}/{extension}` (`role.json`, …) and `proposal.tf` through the writer; returns the folder.</summary>
    public static string Write(ProposalFileWriter writer, string provider, string principal, string document, string extension, string terraform)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(principal);
        var files = ProposalFileNames.CloudFiles(provider, principal, extension);
        writer.Write(files[0], document);
        writer.Write(files[1], terraform);
        return ProposalFileNames.CloudFolder(provider, principal);
    }

    /// <summary>`used`, `seasonal`, `exception`, `unknown` (not recorded by the logs).</summary>
    public static string ReasonName(KeepReason reason) => reason switch
    {
        KeepReason.Used => "used",
        KeepReason.Seasonal => "seasonal",
        KeepReason.Exception => "exception",
        _ => "unknown",
    };

    private static List<UsageTotal> Usage(CliHost host, string? db, string provider, DateOnly from, DateOnly to, Identity identity)
    {
        if (from >= to) { return []; }
        var store = StoreAccess.Open(host, db);
        return [.. store.LoadUsage(provider, from, to)
            .Where(u => (Same(u.Identity, identity.Id) || Same(u.Identity, identity.Name)) && u.Action != Import.Azure.ActivityLogReader.SignInAction)];
    }

    private static int Unknown(CliHost host, string provider, string query, Ciem.App.Identities.IdentityResolution? resolution = null)
    {
        host.Error.WriteLine($"error {Core.Diagnostics.DiagnosticCodes.CliUnknownIdentity}: "
            + (resolution?.Problem(provider, query) ?? $"no {provider} principal `{query}` in the store (see `ciem identities --provider {provider}`)"));
        return ExitCodes.InvalidInput;
    }

    private static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
