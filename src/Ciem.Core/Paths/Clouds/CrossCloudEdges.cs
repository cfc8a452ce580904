using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Directories;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Model;

namespace Ciem.Core.Paths.Clouds;

/// <summary>
/// Edges between clouds: GCP workload identity pool principals that name an AWS role's sessions or an Azure principal's
/// object id, AWS roles whose trust lets a Google service account or an Entra service principal in with a web identity
/// token (decided by <see cref="AwsAuthorizer"/> with the token's claims as context keys), and people: a person signs in
/// to every cloud identity linked to them, and an Entra user to the AWS and GCP identities its own federation reaches.
/// </summary>
internal static class CrossCloudEdges
{
    private const string Pools = "/workloadIdentityPools/";
    private const string AwsRoleAttribute = "/attribute.aws_role/";
    private const string Subject = "/subject/";
    private const string Google = "accounts.google.com";

    private const string MappingNote = "the pool's provider (the AWS account it trusts, its attribute mapping) is not imported: "
        + "Google's default AWS mapping (`attribute.aws_role` = the assumed-role ARN, `google.subject` = the session ARN) is assumed";

    /// <summary>
    /// The GCP actors federated from AWS and Azure (members of bindings that name an AWS role's sessions or an Azure object
    /// id), with the edges into them; the GCP edge builder then decides what each can do.
    /// </summary>
    public static List<GcpActor> WorkloadIdentityActors(CloudGraphDraft g, GcpPolicySet gcp, AwsEstate? aws, ISet<string> azurePrincipals)
    {
        var actors = new List<GcpActor>();
        var members = gcp.Inventory.Policies.SelectMany(p => p.Bindings).SelectMany(b => b.Members)
            .Where(m => m.Contains(Pools, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var roles = aws?.Identities.Where(i => i.Principal.Kind == AwsPrincipalKind.Role)
            .GroupBy(i => (i.Identity.Scope, i.Identity.Name)).ToDictionary(x => x.Key, x => x.First()) ?? [];
        foreach (var member in members)
        {
            var set = member.StartsWith("principalSet://", StringComparison.Ordinal);
            var at = set ? member.IndexOf(AwsRoleAttribute, StringComparison.Ordinal) : member.IndexOf(Subject, StringComparison.Ordinal);
            if (at < 0) { continue; }
            var value = member[(at + (set ? AwsRoleAttribute.Length : Subject.Length))..];
            if (AssumedRole(value) is { } role)
            {
                if (!roles.TryGetValue(role, out var who))
                {
                    g.Note($"gcp: workload identity member `{member}` names AWS role `{role.Name}` of account `{role.Account}`, "
                        + "which is not in the imported AWS estate");
                    continue;
                }
                var from = g.Node(CloudNodeKind.Principal, Provider.AwsName, who.Identity.Id, who.Identity.Id);
                var actor = set
                    ? new GcpActor(member, new GcpPrincipal(member[..at] + Subject + value + "/ciem-session", [member]),
                        $"sessions of AWS role `{role.Name}` in GCP")
                    : new GcpActor(GcpMembers.Canonical(member), new GcpPrincipal(member));
                if (set) { actors.Add(actor); }
                var to = g.Node(CloudNodeKind.Principal, Provider.GcpName, actor.Id, actor.Name ?? actor.Id);
                g.Edge(new CloudEdge(from, to, CloudTechniques.WorkloadIdentityFromAws, EdgeCertainty.Indeterminate,
                    [$"a binding names `{member}`", MappingNote]));
            }
            else if (!set && Guid.TryParse(value, out _) && azurePrincipals.Contains(value))
            {
                var from = g.Node(CloudNodeKind.Principal, Provider.AzureName, value);
                var to = g.Node(CloudNodeKind.Principal, Provider.GcpName, GcpMembers.Canonical(member));
                g.Edge(new CloudEdge(from, to, CloudTechniques.WorkloadIdentityFromAzure, EdgeCertainty.Indeterminate,
                    [$"a binding names `{member}`, whose subject is the Azure principal's object id",
                     "the pool's provider (its issuer — which Entra tenant — and attribute mapping) is not imported: "
                        + "`google.subject` = the token's `sub` is assumed"]));
            }
        }
        return actors;
    }

    /// <summary>(account, role name) of `arn:aws:sts::ACCOUNT:assumed-role/ROLE[/SESSION]` or `arn:aws:iam::ACCOUNT:role/ROLE`.</summary>
    private static (string Account, string Name)? AssumedRole(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn") { return null; }
        var resource = parts[5].Split('/');
        if (resource.Length >= 2 && resource[0] is "assumed-role" or "role") { return (parts[4],
            resource[0] == "role" ? resource[^1] : resource[1]); }
        return null;
    }

    /// <summary>
    /// AWS roles whose trust names `accounts.google.com` (service accounts by unique id) or an Entra tenant's issuer
    /// (service principals and managed identities by object id): each candidate decided by the AWS engine.
    /// </summary>
    public static void WebIdentity(CloudGraphDraft g, AwsEstate aws, IReadOnlyList<GcpServiceAccountNode> accounts,
        IReadOnlyList<(string Id, string? Tenant)> azureServicePrincipals)
    {
        foreach (var role in aws.Identities.Where(i => i.TrustPolicy is not null && !i.IsServiceLinked))
        {
            var federated = role.TrustPolicy!.Statements
                .Where(s => s.Statement.Principal is not null && s.MatchesAction("sts:AssumeRoleWithWebIdentity"))
                .SelectMany(s => s.Statement.Principal!.Values.Where(v => v.Type == PrincipalType.Federated).Select(v => v.Value))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            foreach (var provider in federated)
            {
                var host = provider.Contains(":oidc-provider/",
                    StringComparison.Ordinal) ? provider[(provider.IndexOf(":oidc-provider/", StringComparison.Ordinal) + 15)..] : provider;
                if (string.Equals(host, Google, StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var sa in accounts.Where(a => a.UniqueId is not null))
                    {
                        Decide(g, aws, role, provider, host, sa.UniqueId!, CloudTechniques.AwsWebIdentityFromGoogle,
                            g.Node(CloudNodeKind.Principal, Provider.GcpName, sa.Member, sa.Email),
                                $"a Google ID token of `{sa.Email}` (sub and azp `{sa.UniqueId}`)");
                    }
                }
                else if (EntraTenant(host) is { } tenant)
                {
                    foreach (var (id, spTenant) in azureServicePrincipals.Where(s => s.Tenant is null || string.Equals(s.Tenant,
                        tenant, StringComparison.OrdinalIgnoreCase)))
                    {
                        Decide(g, aws, role, provider, host, id, CloudTechniques.AwsWebIdentityFromEntra,
                            g.Node(CloudNodeKind.Principal, Provider.AzureName, id),
                                $"an Entra ID token of `{id}` from tenant `{tenant}`"
                                    + (spTenant is null ? " (the principal's tenant is not imported)" : ""));
                    }
                }
            }
        }
    }

    /// <summary>`TENANT` of `sts.windows.net/TENANT/` or `login.microsoftonline.com/TENANT/v2.0`.</summary>
    private static string? EntraTenant(string host)
    {
        foreach (var prefix in new[] { "sts.windows.net/", "login.microsoftonline.com/" })
        {
            if (!host.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { continue; }
            var tenant = host[prefix.Length..].Split('/')[0];
            return Guid.TryParse(tenant, out _) ? tenant : null;
        }
        return null;
    }

    private static void Decide(CloudGraphDraft g, AwsEstate aws, AwsIdentityContext role, string provider, string host,
        string subject, CloudTechnique technique, int from, string token)
    {
        if (!AwsPrincipal.TryParse(provider, out var principal, out _)) { return; }
        // The caller chooses the token's audience: each audience the trust names is tried (none when it names none).
        var keys = role.TrustPolicy!.Statements.SelectMany(s => s.Statement.Conditions)
            .Where(c => c.Key.Equals(host + ":aud", StringComparison.OrdinalIgnoreCase) || c.Key.Equals(host + ":oaud",
                StringComparison.OrdinalIgnoreCase))
            .SelectMany(c => c.Values.Select(v => (c.Key, Value: v))).Distinct().ToList();
        var audiences = keys.Count == 0 ? [((string, string)?)null] : keys.Select(k => ((string, string)?)k).ToList();
        EvaluationResult? best = null;
        string? bestAudience = null;
        foreach (var audience in audiences)
        {
            var context = new List<KeyValuePair<string, ContextValue>> { new(host + ":sub", ContextValue.Single(subject)) };
            if (string.Equals(host, Google, StringComparison.OrdinalIgnoreCase))
            {
                // Google: `aud` is the token's azp (the service account's unique id), `oaud` its audience.
                context.Add(new(host + ":aud", ContextValue.Single(subject)));
                if (audience is { } a && a.Item1.EndsWith(":oaud",
                    StringComparison.OrdinalIgnoreCase)) { context.Add(new(host + ":oaud", ContextValue.Single(a.Item2))); }
            }
            else if (audience is { } a && a.Item1.EndsWith(":aud", StringComparison.OrdinalIgnoreCase))
            {
                context.Add(new(host + ":aud", ContextValue.Single(a.Item2)));
            }
            var request = AwsRequest.Create(principal, "sts:AssumeRoleWithWebIdentity", role.Identity.Id, role.Identity.Scope,
                RequestContext.Create(context));
            var policies = aws.PolicySetFor(role, request);
            if (policies.ResourcePolicy is null) { policies = policies with { ResourcePolicy = role.TrustPolicy }; }
            var result = AwsAuthorizer.Evaluate(request, policies);
            if (result.Decision == Decision.Allow) { best = result; bestAudience = audience?.Item2; break; }
            if (result.Decision == Decision.Indeterminate && best is null) { best = result; bestAudience = audience?.Item2; }
        }
        if (best is null) { return; }
        var to = g.Node(CloudNodeKind.Principal, Provider.AwsName, role.Identity.Id, role.Identity.Id);
        var statements = string.Join("; ",
            best.Statements.Select(s => $"{s.Policy} statement {s.Statement}{(s.Sid is null ? "" : $" ({s.Sid})")}"));
        g.Edge(new CloudEdge(from, to, technique, best.Decision == Decision.Allow ? EdgeCertainty.Certain : EdgeCertainty.Indeterminate,
            [$"{token}{(bestAudience is null ? "" : $", audience `{bestAudience}` (chosen by the caller)")}",
             $"`sts:AssumeRoleWithWebIdentity` on `{role.Identity.Id}`: "
                + $"{(best.Decision == Decision.Allow ? "allowed" : "indeterminate")} by {statements}"]));
    }

    /// <summary>A person signs in to each linked identity; an Entra user, to what its own federation reaches.</summary>
    public static void People(CloudGraphDraft g, IdentityLinkResult links, ISet<string> azurePrincipals)
    {
        foreach (var person in links.People)
        {
            var node = g.Node(CloudNodeKind.Person, CloudTechniques.CrossCloud, person.Person.Key,
                $"{person.Person.DisplayName} <{person.Person.Key}>");
            foreach (var link in person.Links)
            {
                if (Target(g, link) is not { } to) { continue; }
                var evidence = $"{link.Cloud} identity through {link.ViaText} (matched by {link.Match})";
                g.Edge(new CloudEdge(node, to, CloudTechniques.PersonFederation, EdgeCertainty.Certain, [evidence]));
                var first = link.Via.FirstOrDefault();
                if (first is { Kind: "entra user" } && link.Cloud != Provider.AzureName && azurePrincipals.Contains(first.Id))
                {
                    g.Edge(new CloudEdge(g.Node(CloudNodeKind.Principal, Provider.AzureName, first.Id), to,
                        CloudTechniques.PersonFederation,
                        EdgeCertainty.Certain, [$"the Entra account signs in to it: {link.ViaText}"]));
                }
            }
        }
    }

    private static int? Target(CloudGraphDraft g, IdentityLink link) => link.Cloud switch
    {
        Provider.AwsName => g.Node(CloudNodeKind.Principal, Provider.AwsName, link.IdentityId),
        Provider.AzureName => g.Node(CloudNodeKind.Principal, Provider.AzureName, link.IdentityId),
        Provider.GcpName when GcpMembers.KindOf(link.IdentityId) is GcpMemberKind.User or GcpMemberKind.ServiceAccount =>
            g.Node(CloudNodeKind.Principal, Provider.GcpName, GcpMembers.Canonical(link.IdentityId)),
        _ => null,
    };
}
