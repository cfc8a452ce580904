using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.LeastPrivilege;

/// <summary>What kind of guardrail a proposal keeps.</summary>
public enum GuardrailKind
{
    /// <summary>A policy without Allow statements (Deny-only, e.g. `RequireMFA`): stays attached, unchanged.</summary>
    RestrictingPolicy,
    /// <summary>The Deny statements of a policy that also allows: kept verbatim in a document of the proposal.</summary>
    DenyStatements,
    /// <summary>The permissions boundary: never part of a proposal.</summary>
    PermissionsBoundary,
}

/// <summary>One guardrail a proposal keeps: the original policy, how, and (for split policies) the kept document's name.</summary>
public sealed record KeptGuardrail(string Policy, GuardrailKind Kind, int Statements, string? Document = null)
{
    /// <summary>The policy's short name: the inline name after `#`, or the last segment of a managed policy's ARN.</summary>
    public string ShortName => Guardrails.ShortName(Policy);
}

/// <summary>
/// The identity's policies split for a proposal: those whose Allow grants the proposal replaces, the guardrails
/// that stay in place (compiled, for the replay), the documents holding Deny statements of mixed policies verbatim,
/// and the list shown to the reviewer.
/// </summary>
public sealed record GuardrailSplit(
    ImmutableArray<CompiledPolicy> Replaced,
    ImmutableArray<CompiledPolicy> KeptAttached,
    ImmutableArray<ProposedPolicy> DenyDocuments,
    ImmutableArray<KeptGuardrail> Kept);

/// <summary>
/// A proposal only ever replaces Allow grants. Policies without an Allow statement (Deny-only guardrails such as
/// `RequireMFA`, or empty ones) stay attached as they are; a policy mixing Allow and Deny is split and its Deny
/// statements are kept verbatim (their raw JSON) in a document of the proposal; the permissions boundary is never
/// touched. A statement whose Effect cannot be read may be a Deny, so it is kept with the Deny statements.
/// </summary>
public static class Guardrails
{
    public static GuardrailSplit Split(AwsEstate estate, AwsIdentityContext identity)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(identity);
        var replaced = ImmutableArray.CreateBuilder<CompiledPolicy>();
        var attached = ImmutableArray.CreateBuilder<CompiledPolicy>();
        var documents = ImmutableArray.CreateBuilder<ProposedPolicy>();
        var kept = ImmutableArray.CreateBuilder<KeptGuardrail>();
        foreach (var policy in identity.IdentityPolicies)
        {
            var statements = policy.Document.Statements;
            var restricting = statements.Where(IsRestricting).ToList();
            if (restricting.Count == statements.Length)
            {
                attached.Add(policy);
                kept.Add(new KeptGuardrail(policy.Name, GuardrailKind.RestrictingPolicy, statements.Length));
                continue;
            }
            replaced.Add(policy);
            if (restricting.Count == 0) { continue; }
            var json = DenyDocument(estate.Inventory, policy, restricting);
            var name = $"{identity.Identity.Name}-{ShortName(policy.Name)}-deny";
            documents.Add(new ProposedPolicy(name, json, json.Count(c => !char.IsWhiteSpace(c))));
            kept.Add(new KeptGuardrail(policy.Name, GuardrailKind.DenyStatements, restricting.Count, name));
        }
        foreach (var boundary in identity.Boundaries)
        {
            kept.Add(new KeptGuardrail(boundary.Name, GuardrailKind.PermissionsBoundary, boundary.Document.Statements.Length));
        }
        return new GuardrailSplit(replaced.ToImmutable(), attached.ToImmutable(), documents.ToImmutable(), kept.ToImmutable());
    }

    /// <summary>Compiles kept deny documents (our own JSON built from parsed policies: it always parses).</summary>
    public static ImmutableArray<CompiledPolicy> Compile(IEnumerable<ProposedPolicy> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var diags = new DiagnosticBag();
        return [.. documents.Select(d => CompiledPolicy.Compile(PolicyParser.Parse(d.Json, d.Name, PolicyKind.Identity).Document!, diags))];
    }

    /// <summary>A statement that can only take access away (or may, when its Effect is unreadable).</summary>
    public static bool IsRestricting(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.Effect == Effect.Deny || statement.EffectUnknown;
    }

    /// <summary>`arn:…:role/app#inline` → `inline`; `arn:aws:iam::aws:policy/job/AdministratorAccess` → `AdministratorAccess`.</summary>
    public static string ShortName(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var hash = policy.LastIndexOf('#');
        if (hash >= 0) { return policy[(hash + 1)..]; }
        var slash = policy.LastIndexOf('/');
        return slash >= 0 ? policy[(slash + 1)..] : policy;
    }

    /// <summary>The Deny statements as they are written in the original document, under its `Version`.</summary>
    private static string DenyDocument(AwsInventory inventory, CompiledPolicy policy, List<Statement> statements)
    {
        var raw = RawDocument(inventory, policy.Name);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("Version", policy.Document.Version == PolicyLanguageVersion.V20121017 ? "2012-10-17" : "2008-10-17");
            w.WriteStartArray("Statement");
            using var doc = raw is null ? null : TryParse(raw);
            var source = doc?.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("Statement", out var st) ? st : default;
            foreach (var s in statements)
            {
                var element = source.ValueKind switch
                {
                    JsonValueKind.Array when s.Index < source.GetArrayLength() => source[s.Index],
                    JsonValueKind.Object => source,
                    _ => default,
                };
                if (element.ValueKind == JsonValueKind.Object) { element.WriteTo(w); }
                else { WriteParsed(w, s); }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonDocument? TryParse(string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { return null; }
    }

    /// <summary>The statement from its parsed form, when the raw document is not in the inventory.</summary>
    private static void WriteParsed(Utf8JsonWriter w, Statement s)
    {
        w.WriteStartObject();
        if (s.Sid is not null) { w.WriteString("Sid", s.Sid); }
        w.WriteString("Effect", "Deny");
        PolicyProposer.WriteList(w, s.NotAction ? "NotAction" : "Action", s.Actions);
        if (s.HasResourceElement) { PolicyProposer.WriteList(w, s.NotResource ? "NotResource" : "Resource", s.Resources); }
        PolicyProposer.WriteConditions(w, s.Conditions);
        w.WriteEndObject();
    }

    /// <summary>The raw JSON of an identity policy as the estate names it (`OWNER-ARN#inline` or a managed ARN).</summary>
    private static string? RawDocument(AwsInventory inventory, string name)
    {
        var hash = name.LastIndexOf('#');
        if (hash < 0)
        {
            return inventory.FindManagedPolicy(name)?.Document
                ?? inventory.Accounts.SelectMany(a => a.Policies).FirstOrDefault(p => p.Arn == name)?.Document;
        }
        var owner = name[..hash];
        var inline = name[(hash + 1)..];
        foreach (var account in inventory.Accounts)
        {
            var policies = account.Roles.FirstOrDefault(r => r.Arn == owner)?.InlinePolicies
                ?? account.Users.FirstOrDefault(u => u.Arn == owner)?.InlinePolicies
                ?? account.Groups.FirstOrDefault(g => g.Arn == owner)?.InlinePolicies;
            if (policies is { } found) { return found.FirstOrDefault(p => p.Name == inline)?.Document; }
        }
        return null;
    }
}
