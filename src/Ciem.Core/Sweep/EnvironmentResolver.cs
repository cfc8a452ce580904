using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Azure;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.Core.Sweep;

/// <summary>Where an environment was read from: a tag or label, a name (account, OU, subscription, folder…), or nowhere.</summary>
public enum EnvironmentSource
{
    Tag,
    Name,
    None,
}

/// <summary>
/// The environment (`prod`, `preprod`, `dev` or `other`) of an account, subscription, resource group or project, with
/// where it came from: <see cref="Evidence"/> names the tag (`env=prod on account 111111111111`) or the name read.
/// </summary>
public sealed record ResolvedEnvironment(string Name, EnvironmentSource Source, string Evidence)
{
    public static readonly ResolvedEnvironment Other = new(EnvironmentResolver.OtherName, EnvironmentSource.None, "");

    /// <summary>`tag`, `name` or `none`, as the JSON and the reports print it.</summary>
    public string SourceName => Source switch
    {
        EnvironmentSource.Tag => "tag",
        EnvironmentSource.Name => "name",
        _ => "none",
    };
}

/// <summary>One level of a hierarchy, nearest first: a label for the evidence, its name and its tags or labels.</summary>
public sealed record EnvironmentLevel(string Label, string? Name, IReadOnlyCollection<KeyValuePair<string, string>>? Tags);

/// <summary>
/// One environment resolver for every provider. Tags win over names: the levels are searched nearest first for a tag
/// whose key is one of <see cref="TagKeys"/> (case ignored) and whose value classifies; only then are the names of the
/// same levels classified, nearest first. Values and names classify by their tokens (split on `-_ ./`):
/// `preprod|pre-prod|staging|stage|uat|qa` → preprod, `prod|production|prd` → prod, `dev|development|sandbox|test` →
/// dev; anything else is `other`. A principal that holds grants in several environments takes the most sensitive
/// (<see cref="MostSensitive"/>: prod, preprod, dev, other).
/// </summary>
public static class EnvironmentResolver
{
    public const string Prod = "prod";
    public const string Preprod = "preprod";
    public const string Dev = "dev";
    public const string OtherName = "other";

    /// <summary>The environments in review order (pre-production first: where least privilege is cheapest to try).</summary>
    public static readonly ImmutableArray<string> ReviewOrder = [Preprod, Prod, Dev, OtherName];

    /// <summary>Tag or label keys read as the environment, in this order of preference.</summary>
    public static readonly ImmutableArray<string> TagKeys = ["env", "environment", "stage", "tier"];

    /// <summary>The environment a tag value or a name denotes, or null when it denotes none.</summary>
    public static string? Classify(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) { return null; }
        var tokens = text.ToLowerInvariant().Split(['-', '_', ' ', '.', '/'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Any(t => t is "preprod" or "staging" or "stage" or "uat" or "qa") || text.Contains("pre-prod", StringComparison.OrdinalIgnoreCase)) { return Preprod; }
        if (tokens.Any(t => t is "prod" or "production" or "prd")) { return Prod; }
        if (tokens.Any(t => t is "dev" or "development" or "sandbox" or "test")) { return Dev; }
        return null;
    }

    /// <summary>The environment of a chain of levels, nearest first (tags first, then names).</summary>
    public static ResolvedEnvironment Resolve(IReadOnlyList<EnvironmentLevel> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        foreach (var level in levels)
        {
            if (level.Tags is null) { continue; }
            foreach (var key in TagKeys)
            {
                foreach (var (k, v) in level.Tags)
                {
                    if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase) && Classify(v) is { } env)
                    {
                        return new ResolvedEnvironment(env, EnvironmentSource.Tag, $"{k}={v} on {level.Label}");
                    }
                }
            }
        }
        foreach (var level in levels)
        {
            if (Classify(level.Name) is { } env) { return new ResolvedEnvironment(env, EnvironmentSource.Name, $"name `{level.Name}` of {level.Label}"); }
        }
        return ResolvedEnvironment.Other;
    }

    /// <summary>prod 3, preprod 2, dev 1, other 0.</summary>
    public static int Sensitivity(string environment) => environment switch
    {
        Prod => 3,
        Preprod => 2,
        Dev => 1,
        _ => 0,
    };

    /// <summary>The most sensitive environment of several (ties: the first), or <see cref="ResolvedEnvironment.Other"/> when there are none.</summary>
    public static ResolvedEnvironment MostSensitive(IEnumerable<ResolvedEnvironment> environments)
    {
        ArgumentNullException.ThrowIfNull(environments);
        ResolvedEnvironment? best = null;
        foreach (var e in environments)
        {
            if (best is null || Sensitivity(e.Name) > Sensitivity(best.Name) || (best.Source == EnvironmentSource.None && e.Source != EnvironmentSource.None && e.Name == best.Name)) { best = e; }
        }
        return best ?? ResolvedEnvironment.Other;
    }

    /// <summary>An AWS account: its tags, then the tags of the OUs and root above it; then the same names.</summary>
    public static ResolvedEnvironment ForAwsAccount(AwsOrganization? organization, string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (organization is null) { return ResolvedEnvironment.Other; }
        var levels = new List<EnvironmentLevel>();
        foreach (var id in organization.ChainFor(accountId).Reverse())
        {
            if (organization.Accounts.FirstOrDefault(a => a.Id == id) is { } account) { levels.Add(new($"account {account.Id}", account.Name, account.Tags)); }
            else if (organization.Units.FirstOrDefault(u => u.Id == id) is { } unit) { levels.Add(new($"{(unit.IsRoot ? "root" : "OU")} {unit.Id}", unit.Name, unit.Tags)); }
        }
        if (levels.Count == 0 && organization.Accounts.FirstOrDefault(a => a.Id == accountId) is { } loose)
        {
            // An account listed without a parent still has its own tags and name.
            levels.Add(new($"account {loose.Id}", loose.Name, loose.Tags));
        }
        return Resolve(levels);
    }

    /// <summary>
    /// An Azure scope: the resource group's tags, then the subscription's; then the names of the resource group, the
    /// subscription and the management groups above it. A scope above every subscription (`/`, a management group) is
    /// read from the management group names alone.
    /// </summary>
    public static ResolvedEnvironment ForAzureScope(AzureInventory inventory, string scope)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(scope);
        var levels = new List<EnvironmentLevel>();
        var normalized = AzureScope.Normalize(scope);
        var subscriptionId = AzureScope.SubscriptionId(normalized);
        if (subscriptionId is not null)
        {
            var group = inventory.ResourceGroups.FirstOrDefault(g => AzureScope.Contains(g.Id, normalized));
            if (group is not null) { levels.Add(new($"resource group {group.Name}", group.Name, group.Tags)); }
            var subscription = inventory.Subscriptions.Where(s => string.Equals(s.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(s => s.Tags is not null).FirstOrDefault();
            if (subscription is not null) { levels.Add(new($"subscription {subscription.Name}", subscription.Name, subscription.Tags)); }
            var placed = inventory.Subscriptions.FirstOrDefault(s => string.Equals(s.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase) && s.ManagementGroupId is not null);
            AddManagementGroups(inventory, placed?.ManagementGroupId, levels);
        }
        else if (normalized.Contains("/managementGroups/", StringComparison.OrdinalIgnoreCase))
        {
            AddManagementGroups(inventory, normalized, levels);
        }
        return Resolve(levels);
    }

    /// <summary>A GCP resource: the labels of the nearest labelled node in its ancestry (projects carry labels), then the names.</summary>
    public static ResolvedEnvironment ForGcpResource(GcpPolicySet policies, string resource)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(resource);
        var levels = new List<EnvironmentLevel>();
        foreach (var node in policies.Ancestry(resource))
        {
            var kind = GcpResource.KindOf(node);
            if (kind == GcpResourceKind.Organization) { continue; }
            policies.TryGetResource(node, out var known);
            var label = kind switch
            {
                GcpResourceKind.Project => "project",
                GcpResourceKind.Folder => "folder",
                _ => "resource",
            };
            var shortName = known?.DisplayName ?? known?.Aliases.Select(a => a[(a.LastIndexOf('/') + 1)..]).FirstOrDefault(a => !a.All(char.IsAsciiDigit))
                ?? node[(node.LastIndexOf('/') + 1)..];
            levels.Add(new($"{label} {shortName}", shortName, known?.Labels));
        }
        return Resolve(levels);
    }

    /// <summary>
    /// The environment of Azure principals (cached per scope): the most sensitive environment among the scopes of their
    /// grants; a principal with no grant is `other`.
    /// </summary>
    public static Func<EffectiveAccess, ResolvedEnvironment> ForAzurePrincipals(AzureInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var cache = new ConcurrentDictionary<string, ResolvedEnvironment>(StringComparer.OrdinalIgnoreCase);
        return access => MostSensitive(access.Grants.Select(g => g.Scope).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(s => cache.GetOrAdd(s, x => ForAzureScope(inventory, x))));
    }

    /// <summary>
    /// The environment of GCP members (cached per resource): the most sensitive environment among the resources of their
    /// grants; a service account with no grant takes its own project's.
    /// </summary>
    public static Func<EffectiveAccess, ResolvedEnvironment> ForGcpPrincipals(GcpPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var cache = new ConcurrentDictionary<string, ResolvedEnvironment>(StringComparer.Ordinal);
        return access =>
        {
            var scopes = access.Grants.Select(g => g.Scope).Distinct(StringComparer.Ordinal).ToList();
            if (scopes.Count == 0 && access.Identity.Scope.Length > 0) { scopes.Add(access.Identity.Scope); }
            return MostSensitive(scopes.Select(s => cache.GetOrAdd(s, x => ForGcpResource(policies, x))));
        };
    }

    private static void AddManagementGroups(AzureInventory inventory, string? start, List<EnvironmentLevel> levels)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var current = start;
        while (current is not null && seen.Add(current))
        {
            var group = inventory.ManagementGroups.FirstOrDefault(g => string.Equals(AzureScope.Normalize(g.Id), AzureScope.Normalize(current), StringComparison.OrdinalIgnoreCase));
            if (group is null) { break; }
            levels.Add(new($"management group {group.Name}", group.DisplayName ?? group.Name, null));
            current = group.ParentId;
        }
    }
}
