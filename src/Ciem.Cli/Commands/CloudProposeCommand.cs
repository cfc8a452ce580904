using System.Text.Json;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.LeastPrivilege;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem propose --provider azure|gcp PRINCIPAL --out DIR`: a verified least-privilege role for one principal from the
/// usage of the window (`store.LoadUsage`, as `ciem gap --provider` reads it), written as JSON and Terraform.
/// </summary>
public static class CloudProposeCommand
{
    public static int Run(CliHost host, string provider, string? query, string output, int windowDays, DateTimeOffset? asOf, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (query is null)
        {
            host.Error.WriteLine($"error: `ciem propose --provider {provider}` needs a principal");
            return ExitCodes.InvalidInput;
        }
        var when = asOf ?? host.Clock.GetUtcNow();
        var end = DateOnly.FromDateTime(when.UtcDateTime).AddDays(1);
        string principal, json, terraform, extension, summary;
        int before, after;
        IEnumerable<string> failures;
        if (provider == Providers.Azure)
        {
            var inventory = Providers.LoadAzure(host, db);
            if (inventory is null) { return ExitCodes.Failure; }
            var estate = inventory.ToEstate();
            var assignment = estate.RoleAssignments.FirstOrDefault(a => Same(a.PrincipalId, query) || Same(a.PrincipalName, query));
            if (assignment is null) { return Unknown(host, provider, query); }
            principal = assignment.PrincipalId;
            var identity = AzureEffectiveAccess.IdentityOf(principal, assignment.PrincipalType, estate);
            var used = Usage(host, db, provider, end, windowDays, identity)
                .Select(u => new AzureObservedOperation(u.Action, u.Resource, u.Count,
                    AzureOperationCatalog.Default.TryGetOperation(u.Action, AzurePlane.Control, out _) || !AzureOperationCatalog.Default.TryGetOperation(u.Action, AzurePlane.Data, out _)
                        ? AzurePlane.Control : AzurePlane.Data));
            var result = AzureRoleProposer.Propose(estate, principal, used, when);
            failures = result.Failures;
            var p = result.Proposal;
            (json, terraform, extension, before, after, summary) = p is null ? ("", "", "", 0, 0, "")
                : (p.RoleDefinitionJson, p.Terraform, "role.json", p.GrantedBefore, p.GrantedAfter, $"custom role `{p.Role.RoleName}` at `{p.Scope}`");
        }
        else
        {
            var inventory = Providers.LoadGcp(host, db);
            if (inventory is null) { return ExitCodes.Failure; }
            var policies = GcpPolicySet.Create(inventory);
            var member = GcpMembers.Canonical(query);
            var identity = GcpEffectiveAccess.Compute(policies, member).Identity;
            if (identity.Id.Length == 0) { return Unknown(host, provider, query); }
            principal = member;
            var used = Usage(host, db, provider, end, windowDays, identity).Select(u => new GcpObservedPermission(u.Action, u.Resource, u.Count));
            var result = GcpRoleProposer.Propose(policies, member, used, when);
            failures = result.Failures;
            var p = result.Proposal;
            (json, terraform, extension, before, after, summary) = p is null ? ("", "", "", 0, 0, "")
                : (p.Json, p.Terraform, p.IsPredefined ? "binding.json" : "role.json", p.GrantedBefore, p.GrantedAfter, $"{p.Note}; `{p.Role}` on `{p.Resource}`");
        }
        var failureList = failures.ToList();
        string? stem = null;
        if (failureList.Count == 0) { stem = Write(output, provider, principal, json, extension, terraform); }
        if (format == "json")
        {
            host.Out.WriteLine(JsonSerializer.Serialize(new { provider, principal, emitted = stem is not null, grantedBefore = before, grantedAfter = after, summary, files = stem, failures = failureList }, CliJson.Options));
        }
        else if (stem is null)
        {
            foreach (var f in failureList) { host.Out.WriteLine($"not emitted for {principal}: {f}"); }
        }
        else
        {
            host.Out.WriteLine($"{principal}: {summary}; granted {before:N0} → {after:N0}; every observed call allowed on replay");
            host.Out.WriteLine($"written to {Path.GetFullPath(output)} ({stem}.*)");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Writes `{provider}-{principal}.{extension}` and `.tf` into <paramref name="output"/>; returns the file stem.</summary>
    public static string Write(string output, string provider, string principal, string document, string extension, string terraform)
    {
        ArgumentNullException.ThrowIfNull(principal);
        Directory.CreateDirectory(output);
        var stem = provider + "-" + new string([.. principal.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')]);
        File.WriteAllText(Path.Combine(output, $"{stem}.{extension}"), document);
        File.WriteAllText(Path.Combine(output, $"{stem}.tf"), terraform);
        return stem;
    }

    private static List<UsageTotal> Usage(CliHost host, string? db, string provider, DateOnly end, int windowDays, Identity identity)
    {
        using var store = StoreAccess.Open(host, db);
        return [.. store.LoadUsage(provider, end.AddDays(-windowDays), end)
            .Where(u => (Same(u.Identity, identity.Id) || Same(u.Identity, identity.Name)) && u.Action != Import.Azure.ActivityLogReader.SignInAction)];
    }

    private static int Unknown(CliHost host, string provider, string query)
    {
        host.Error.WriteLine($"error: no {provider} principal `{query}` in the store");
        return ExitCodes.InvalidInput;
    }

    private static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
