using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Review;
using Ciem.Core.Sweep;

namespace Ciem.App.Review;

/// <summary>A file of a proposal: its name (`policy-1.json`, `role.json`, `binding.json`) and content.</summary>
public sealed record ProposalDocument(string Name, string Content);

/// <summary>
/// An identity as the campaign reviews it: the provider-neutral candidate, one line saying what is proposed, the
/// proposal's files and the evidence lines the notice shows (used actions, last use, seasonal and unknown keeps).
/// Stored as the item's JSON, so what was noticed and approved is exactly what is applied.
/// </summary>
public sealed record ReviewEntry(ReviewCandidate Candidate, string Summary, ImmutableArray<ProposalDocument> Documents, ImmutableArray<string> Evidence)
{
    /// <summary>
    /// What a change script needs beyond the documents, per provider (ReviewScripts): AWS `principal` (role or user),
    /// `name`, `replaced` (policy names, `|`-separated), `guardrails` (restricting policies kept, `|`-separated),
    /// `permission-set` (the Identity Center permission set changed instead of the role); Azure `principal`, `scope`, `role`; GCP `member`, `role`,
    /// `resource`, `project`, `predefined`; for both, `terraform` (the proposer's Terraform, what the IaC apply writes).
    /// </summary>
    public ImmutableDictionary<string, string> Target { get; init; } = ImmutableDictionary<string, string>.Empty;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReviewEntry FromJson(string json) => JsonSerializer.Deserialize<ReviewEntry>(json, Json)
        ?? throw new InvalidDataException("a review item holds no entry");

    /// <summary>`sha256:` and the hex SHA-256 of the documents (name, length and content of each, in order).</summary>
    public static string HashOf(IEnumerable<ProposalDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var sb = new StringBuilder();
        foreach (var d in documents)
        {
            sb.Append(d.Name.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(d.Name)
                .Append(d.Content.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(d.Content);
        }
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}

/// <summary>Turns a sweep of every provider into review entries: one per verified proposal and one per failed proposal.</summary>
public static class ReviewEntries
{
    /// <summary>AWS services, Azure resource providers and GCP services whose removals count as sensitive (as the gate's rule).</summary>
    private static readonly string[] AzureSensitive = ["microsoft.authorization/", "microsoft.keyvault/", "microsoft.managedidentity/", "microsoft.storage/"];
    private static readonly string[] GcpSensitive = ["iam.", "resourcemanager.", "cloudkms.", "secretmanager.", "storage."];

    public static ImmutableArray<ReviewEntry> FromSweep(EstateSweepResult sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var rows = sweep.Rows.ToDictionary(r => (r.Provider, r.Id), r => r);
        SweepRow? Row(string provider, string id) => rows.GetValueOrDefault((provider, id));
        var entries = ImmutableArray.CreateBuilder<ReviewEntry>();
        if (sweep.Aws is { } aws)
        {
            foreach (var p in aws.Proposals) { entries.Add(Aws(p, Row("aws", p.Identity.Id))); }
            foreach (var f in aws.Failures)
            {
                entries.Add(Failed(f.Identity, Row("aws", f.Identity.Id), f.Reason));
            }
        }
        foreach (var cloud in new[] { sweep.Azure, sweep.Gcp }.OfType<CloudSweepResult>())
        {
            foreach (var p in cloud.Proposals) { entries.Add(FromCloud(p, Row(cloud.Provider, p.Identity.Id))); }
            foreach (var f in cloud.Failures) { entries.Add(Failed(f.Identity, Row(cloud.Provider, f.Identity.Id), string.Join("; ", f.Reasons))); }
        }
        return entries.ToImmutable();
    }

    public static bool IsSensitive(string provider, string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var lower = permission.ToLowerInvariant();
        return provider switch
        {
            "aws" => lower == "*" || (lower.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon
                && Core.Aws.Gate.AwsGateRules.SensitiveServices.Contains(lower[..colon])),
            "azure" => AzureSensitive.Any(p => lower.StartsWith(p, StringComparison.Ordinal)),
            _ => GcpSensitive.Any(p => lower.StartsWith(p, StringComparison.Ordinal)),
        };
    }

    private static ReviewEntry Aws(PolicyProposal p, SweepRow? row)
    {
        var kept = p.Statements.SelectMany(s => s.Actions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        var documents = p.Policies.Select(d => new ProposalDocument(d.Name + ".json", d.Json)).ToImmutableArray();
        var evidence = p.Evidence.Select(e => Evidence(e.Action, e.Reason, e.Count, e.LastUsed)).ToImmutableArray();
        var candidate = Candidate(p.Identity, row, p.Confidence, kept, p.RemovedActions, p.GrantedBefore, p.GrantedAfter, documents);
        var arn = p.Identity.Id;
        var resource = arn.Contains(":role/", StringComparison.Ordinal) ? "role" : "user";
        var target = ImmutableDictionary<string, string>.Empty.Add("principal", resource).Add("name", arn[(arn.LastIndexOf('/') + 1)..])
            .Add("replaced", string.Join('|', p.OriginalPolicies));
        // The IaC apply (ReviewIacRepository) must leave restricting policies where they are and cannot rewrite permission sets.
        var guardrails = p.Guardrails.Where(g => g.Kind == GuardrailKind.RestrictingPolicy).Select(g => g.Policy).ToList();
        if (guardrails.Count > 0) { target = target.Add("guardrails", string.Join('|', guardrails)); }
        if (p.PermissionSet is { } set) { target = target.Add("permission-set", set.Name); }
        return new ReviewEntry(candidate, $"{p.Policies.Length} policy document(s) replacing {string.Join(", ", p.OriginalPolicies)}", documents, evidence)
        {
            Target = target,
        };
    }

    /// <summary>The entry of one Azure or GCP proposal (its sweep row gives the environment and the administrator flag).</summary>
    public static ReviewEntry FromCloud(CloudProposal p, SweepRow? row)
    {
        var documents = ImmutableArray.Create(new ProposalDocument(p.DocumentExtension, p.Document));
        ImmutableArray<string> kept;
        ImmutableArray<string> removed;
        ImmutableArray<string> evidence;
        double confidence;
        if (p.Azure is { } a)
        {
            kept = [.. a.Evidence.Select(e => e.Operation).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];
            removed = a.Removed;
            evidence = [.. a.Evidence.Select(e => Evidence(e.Operation, e.Reason, e.Count, null))];
            confidence = a.Confidence?.Score ?? 0;
        }
        else
        {
            var g = p.Gcp!;
            kept = g.Permissions;
            removed = g.Removed;
            evidence = [.. g.Evidence.Select(e => Evidence(e.Permission, e.Reason, e.Count, null))];
            confidence = g.Confidence?.Score ?? 0;
        }
        // An Entra principal belongs to the tenant: the subscription its proposed role is assigned in is where it is reviewed.
        var identity = p.Azure is { } az && string.IsNullOrEmpty(p.Identity.Scope) ? p.Identity with { Scope = Subscription(az.Scope) } : p.Identity;
        var candidate = Candidate(identity, row, confidence, kept, removed, p.GrantedBefore, p.GrantedAfter, documents);
        var target = p.Azure is { } r
            ? ImmutableDictionary<string, string>.Empty.Add("principal", r.PrincipalId).Add("scope", r.Scope).Add("role", r.Role.RoleName)
                .Add("terraform", r.Terraform)
            : ImmutableDictionary<string, string>.Empty.Add("member", p.Gcp!.Member).Add("role", p.Gcp.Role).Add("resource", p.Gcp.Resource)
                .Add("project", p.Gcp.Project).Add("predefined", p.Gcp.IsPredefined ? "true" : "false").Add("terraform", p.Gcp.Terraform);
        return new ReviewEntry(candidate, p.Summary, documents, evidence) { Target = target };
    }

    /// <summary>`/subscriptions/ID` of an Azure scope (the scope itself when it is above a subscription).</summary>
    public static string Subscription(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var parts = scope.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ? $"/subscriptions/{parts[1]}" : scope;
    }

    private static ReviewEntry Failed(Identity identity, SweepRow? row, string reason)
    {
        var candidate = new ReviewCandidate(identity.Provider, identity.Id, identity.Name, identity.Kind, identity.Scope,
            row?.Environment.Name ?? EnvironmentResolver.OtherName, identity.Tags, row?.IsAdministrator ?? false, 0, [], [], [], [],
            (int)(row?.Granted ?? 0), (int)(row?.Granted ?? 0), "none", identity.Owner, reason);
        return new ReviewEntry(candidate, "no verified proposal", [], []);
    }

    private static ReviewCandidate Candidate(Identity identity, SweepRow? row, double confidence, ImmutableArray<string> kept,
        ImmutableArray<string> removed, int before, int after, ImmutableArray<ProposalDocument> documents)
    {
        var granted = kept.Concat(removed).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToImmutableArray();
        var sensitive = removed.Where(r => IsSensitive(identity.Provider, r)).ToImmutableArray();
        return new ReviewCandidate(identity.Provider, identity.Id, identity.Name, identity.Kind, identity.Scope,
            row?.Environment.Name ?? EnvironmentResolver.OtherName, identity.Tags, row?.IsAdministrator ?? false, confidence, sensitive,
            granted, removed, kept, before, after, ReviewEntry.HashOf(documents), identity.Owner);
    }

    private static string Evidence(string action, KeepReason reason, long count, DateTimeOffset? lastUsed) => reason switch
    {
        KeepReason.Used => lastUsed is { } last
            ? string.Create(CultureInfo.InvariantCulture, $"{action}: used {count} time(s), last {last:yyyy-MM-dd}")
            : string.Create(CultureInfo.InvariantCulture, $"{action}: used {count} time(s)"),
        _ => $"{action}: kept ({KeepReasonText(reason)})",
    };

    private static string KeepReasonText(KeepReason reason) => reason switch
    {
        KeepReason.Seasonal => "seasonal: used only in the lookback before the window",
        KeepReason.NotRecorded => "unknown: the logs cannot show its use",
        _ => "exception kept by configuration",
    };
}
