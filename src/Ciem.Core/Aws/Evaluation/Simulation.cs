using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>How a request resource with `*` or `?` is read (docs/effective-permissions.md, "Resource patterns in requests").</summary>
public enum ResourcePatternMode
{
    /// <summary>Refuse the request with a located error: a pattern is ambiguous (some matching resource, or all?).</summary>
    Refuse,

    /// <summary>The characters are part of the resource's name (an S3 key may contain `*`): match it literally.</summary>
    Literal,
}

/// <summary>Options of <see cref="SimulationReader"/>: a shared policy cache and the default reading of resource patterns.</summary>
public sealed record SimulationReadOptions(CompiledPolicyCache? Cache = null, ResourcePatternMode ResourcePatterns = ResourcePatternMode.Refuse)
{
    public static readonly SimulationReadOptions Default = new();
}

/// <summary>A self-contained request with every policy that bears on it, as read by `ciem aws simulate`.</summary>
public sealed record SimulationCase(string? Id, AwsRequest Request, AwsPolicySet Policies, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>
/// Reads the simulate input object (<c>{"id", "request": {...}, "identityPolicies": [...], "permissionBoundaries",
/// "scps", "rcps", "resourcePolicy", "sessionPolicy", "vpcEndpointPolicies", "isManagementAccount",
/// "principalIsServiceLinkedRole"}</c>). Never throws on content: problems come back as located diagnostics, and a
/// case that cannot be evaluated at all comes back null.
/// </summary>
public static class SimulationReader
{
    private static readonly HashSet<string> KnownProperties = new(StringComparer.Ordinal)
    {
        "id", "request", "identityPolicies", "permissionBoundaries", "scps", "rcps", "resourcePolicy",
        "sessionPolicy", "vpcEndpointPolicies", "isManagementAccount", "principalIsServiceLinkedRole",
    };

    public static SimulationCase? Read(JsonElement root, SourceLocation location, out ImmutableArray<Diagnostic> diagnostics, SimulationReadOptions? options = null)
    {
        var diags = new DiagnosticBag();
        var result = ReadCore(root, location, diags, options ?? SimulationReadOptions.Default);
        diagnostics = diags.ToImmutable();
        return result;
    }

    private static SimulationCase? ReadCore(JsonElement root, SourceLocation location, DiagnosticBag diags, SimulationReadOptions options)
    {
        SourceLocation At(string path) => location with { JsonPath = path };
        if (root.ValueKind != JsonValueKind.Object)
        {
            diags.Error(DiagnosticCodes.EvaluationBadRequest, "a simulate input must be a JSON object", At("$"));
            return null;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (!KnownProperties.Contains(p.Name))
            {
                diags.Error(DiagnosticCodes.EvaluationBadRequest, $"unknown property `{p.Name}` in simulate input", At($"$.{p.Name}"));
            }
            if (!seen.Add(p.Name))
            {
                // A JSON reader would keep the last one silently: the request is refused instead.
                diags.Error(DiagnosticCodes.PolicyDuplicateKey, $"duplicate property `{p.Name}` in simulate input", At($"$.{p.Name}"));
                return null;
            }
        }
        string? id = root.TryGetProperty("id", out var idEl) ? (idEl.ValueKind == JsonValueKind.String ? idEl.GetString() : idEl.GetRawText()) : null;
        if (!root.TryGetProperty("request", out var req) || req.ValueKind != JsonValueKind.Object)
        {
            diags.Error(DiagnosticCodes.EvaluationBadRequest, "simulate input has no `request` object", At("$.request"));
            return null;
        }
        var principalText = RequiredString(req, "principal", "$.request.principal", diags, At);
        var action = RequiredString(req, "action", "$.request.action", diags, At);
        var resource = req.TryGetProperty("resource", out var resEl) && resEl.ValueKind == JsonValueKind.String ? resEl.GetString()! : "*";
        string? resourceAccount = null;
        if (req.TryGetProperty("resourceAccount", out var raEl))
        {
            if (raEl.ValueKind == JsonValueKind.String && AwsPrincipal.IsAccountId(raEl.GetString())) { resourceAccount = raEl.GetString(); }
            else { diags.Error(DiagnosticCodes.EvaluationBadRequest, $"`resourceAccount` must be a 12-digit account id, found `{raEl}`", At("$.request.resourceAccount")); }
        }
        var context = ReadContext(req, diags, At);
        var requestSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in req.EnumerateObject())
        {
            if (!requestSeen.Add(p.Name))
            {
                diags.Error(DiagnosticCodes.PolicyDuplicateKey, $"duplicate property `{p.Name}` in the request", At($"$.request.{p.Name}"));
                return null;
            }
        }
        var alwaysSentUnknown = false;
        if (req.TryGetProperty("alwaysSentKeys", out var keysEl))
        {
            switch (keysEl.ValueKind == JsonValueKind.String ? keysEl.GetString() : null)
            {
                case "absent": break;
                case "unknown": alwaysSentUnknown = true; break;
                default:
                    diags.Error(DiagnosticCodes.EvaluationBadRequest, $"`alwaysSentKeys` must be `absent` or `unknown`, found `{keysEl}`", At("$.request.alwaysSentKeys"));
                    return null;
            }
        }
        // A simulate request carries its own context, complete by default (keys it does not give are absent, as in
        // the IAM policy simulator); `"alwaysSentKeys": "unknown"` reads it the way `can` and `who-can` do.
        if (alwaysSentUnknown) { context = AlwaysSentKeys.Apply(context, asOf: null); }
        var mode = options.ResourcePatterns;
        if (req.TryGetProperty("resourcePattern", out var modeEl))
        {
            switch (modeEl.ValueKind == JsonValueKind.String ? modeEl.GetString() : null)
            {
                case "literal": mode = ResourcePatternMode.Literal; break;
                case "refuse": mode = ResourcePatternMode.Refuse; break;
                default:
                    diags.Error(DiagnosticCodes.EvaluationBadRequest, $"`resourcePattern` must be `literal` or `refuse`, found `{modeEl}`", At("$.request.resourcePattern"));
                    return null;
            }
        }
        if (principalText is null || action is null) { return null; }
        if (mode == ResourcePatternMode.Refuse && IsPattern(resource, action))
        {
            diags.Error(DiagnosticCodes.EvaluationResourcePattern,
                $"request resource `{resource}` is a pattern: say whether `*` and `?` are part of the name with `\"resourcePattern\": \"literal\"` (or `--resource-pattern literal`); a pattern is not evaluated as some or all matching resources",
                At("$.request.resource"));
            return null;
        }
        if (!AwsPrincipal.TryParse(principalText, out var principal, out var error))
        {
            diags.Error(DiagnosticCodes.EvaluationUnknownPrincipal, error!, At("$.request.principal"));
            return null;
        }
        if (action != "*" && action.IndexOf(':', StringComparison.Ordinal) <= 0)
        {
            diags.Error(DiagnosticCodes.EvaluationBadRequest, $"action `{action}` is not `service:action`", At("$.request.action"));
            return null;
        }

        var reader = new PolicyReader(diags, location, options.Cache);
        var set = new AwsPolicySet
        {
            Identity = reader.List(root, "identityPolicies", PolicyKind.Identity),
            Boundaries = reader.List(root, "permissionBoundaries", PolicyKind.Boundary),
            Scps = reader.Levels(root, "scps", PolicyKind.Scp),
            Rcps = reader.Levels(root, "rcps", PolicyKind.Rcp),
            ResourcePolicy = reader.Single(root, "resourcePolicy", RequiresTrust(action) ? PolicyKind.Trust : PolicyKind.Resource),
            SessionPolicy = reader.Single(root, "sessionPolicy", PolicyKind.Session),
            EndpointPolicies = reader.List(root, "vpcEndpointPolicies", PolicyKind.VpcEndpoint),
            IsManagementAccount = Flag(root, "isManagementAccount"),
            PrincipalIsServiceLinkedRole = Flag(root, "principalIsServiceLinkedRole") || principalText.Contains(":role/aws-service-role/", StringComparison.Ordinal),
        };
        var request = AwsRequest.Create(principal, action, resource, resourceAccount, context);
        return new SimulationCase(id, request, set, diags.ToImmutable());
    }

    /// <summary>
    /// Whether a request resource is a pattern: `*` or `?` anywhere, except the bare `*` of an action that has no
    /// resource type (AWS itself evaluates those requests against `*`).
    /// </summary>
    private static bool IsPattern(string resource, string action)
    {
        if (resource.AsSpan().IndexOfAny('*', '?') < 0) { return false; }
        if (resource != "*") { return true; }
        return Catalog.AwsActionCatalog.Default.TryGetAction(action, out var known) && !known.ResourceTypes.IsEmpty;
    }

    private static bool RequiresTrust(string action) => action.StartsWith("sts:", StringComparison.OrdinalIgnoreCase);

    private static bool Flag(JsonElement root, string name) => root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.True;

    private static string? RequiredString(JsonElement obj, string name, string path, DiagnosticBag diags, Func<string, SourceLocation> at)
    {
        if (obj.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s) { return s; }
        diags.Error(DiagnosticCodes.EvaluationBadRequest, $"request needs a non-empty string `{name}`", at(path));
        return null;
    }

    private static RequestContext ReadContext(JsonElement req, DiagnosticBag diags, Func<string, SourceLocation> at)
    {
        if (!req.TryGetProperty("context", out var ctx) || ctx.ValueKind == JsonValueKind.Null) { return RequestContext.Empty; }
        if (ctx.ValueKind != JsonValueKind.Object)
        {
            diags.Error(DiagnosticCodes.EvaluationBadRequest, "`context` must be an object of condition keys", at("$.request.context"));
            return RequestContext.Empty;
        }
        var values = new List<KeyValuePair<string, ContextValue>>();
        foreach (var p in ctx.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Array)
            {
                var items = new List<string>();
                foreach (var item in p.Value.EnumerateArray())
                {
                    if (Scalar(item) is { } s) { items.Add(s); }
                    else { diags.Error(DiagnosticCodes.EvaluationBadRequest, $"context value of `{p.Name}` must hold strings, numbers or booleans", at($"$.request.context.{p.Name}")); }
                }
                values.Add(new(p.Name, ContextValue.Multi(items)));
            }
            else if (Scalar(p.Value) is { } s)
            {
                values.Add(new(p.Name, ContextValue.Single(s)));
            }
            else
            {
                diags.Error(DiagnosticCodes.EvaluationBadRequest, $"context value of `{p.Name}` must be a string, number, boolean or array", at($"$.request.context.{p.Name}"));
            }
        }
        return RequestContext.Create(values);
    }

    private static string? Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => e.GetRawText(),
        _ => null,
    };

    /// <summary>Reads the policies of one request, through the shared cache when there is one.</summary>
    private sealed class PolicyReader(DiagnosticBag diags, SourceLocation location, CompiledPolicyCache? cache)
    {
        private CompiledPolicy Compile(JsonElement e, string name, PolicyKind kind) => cache is null
            ? CompileUncached(e, name, kind, location with { JsonPath = "$." + name }, diags)
            : cache.GetOrCompile(e, name, kind, location, CompileUncached, diags);

        // Names of the first array items, built once: a request file names the same positions millions of times.
        private static readonly string[][] ListNames = [.. new[] { "identityPolicies", "permissionBoundaries", "vpcEndpointPolicies" }
            .Select(n => Enumerable.Range(0, 16).Select(i => $"{n}[{i}]").ToArray())];

        private static readonly string[][] LevelNames = [.. new[] { "scps", "rcps" }
            .SelectMany(n => Enumerable.Range(0, 8).Select(l => Enumerable.Range(0, 8).Select(j => $"{n}[{l}].policies[{j}]").ToArray()))];

        private static string ItemName(string list, int i)
        {
            var k = list switch { "identityPolicies" => 0, "permissionBoundaries" => 1, "vpcEndpointPolicies" => 2, _ => -1 };
            return k >= 0 && i < 16 ? ListNames[k][i] : $"{list}[{i}]";
        }

        private static string LevelItemName(string list, int level, int j)
        {
            var k = list switch { "scps" => 0, "rcps" => 1, _ => -1 };
            return k >= 0 && level < 8 && j < 8 ? LevelNames[(k * 8) + level][j] : $"{list}[{level}].policies[{j}]";
        }

        public CompiledPolicy? Single(JsonElement root, string name, PolicyKind kind)
            => root.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? Compile(e, name, kind) : null;

        public ImmutableArray<CompiledPolicy> List(JsonElement root, string name, PolicyKind kind)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) { return []; }
            if (e.ValueKind != JsonValueKind.Array)
            {
                diags.Error(DiagnosticCodes.EvaluationBadRequest, $"`{name}` must be an array of policy documents", location with { JsonPath = "$." + name });
                return [];
            }
            var b = ImmutableArray.CreateBuilder<CompiledPolicy>(e.GetArrayLength());
            var i = 0;
            foreach (var item in e.EnumerateArray())
            {
                b.Add(Compile(item, ItemName(name, i), kind));
                i++;
            }
            return b.MoveToImmutable();
        }

        public ImmutableArray<PolicyLevel> Levels(JsonElement root, string name, PolicyKind kind)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) { return []; }
            if (e.ValueKind != JsonValueKind.Array)
            {
                diags.Error(DiagnosticCodes.EvaluationBadRequest, $"`{name}` must be an array of {{target, policies}} levels from the root to the account", location with { JsonPath = "$." + name });
                return [];
            }
            var b = ImmutableArray.CreateBuilder<PolicyLevel>();
            var i = 0;
            foreach (var level in e.EnumerateArray())
            {
                var path = $"{name}[{i}]";
                if (level.ValueKind != JsonValueKind.Object || !level.TryGetProperty("policies", out var pols) || pols.ValueKind != JsonValueKind.Array)
                {
                    diags.Error(DiagnosticCodes.EvaluationBadRequest, $"level {i} of `{name}` must be an object with a `policies` array", location with { JsonPath = "$." + path });
                    i++;
                    continue;
                }
                var target = level.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : path;
                var policies = ImmutableArray.CreateBuilder<CompiledPolicy>();
                var j = 0;
                foreach (var p in pols.EnumerateArray())
                {
                    policies.Add(Compile(p, LevelItemName(name, i, j), kind));
                    j++;
                }
                b.Add(new PolicyLevel(target, policies.ToImmutable()));
                i++;
            }
            return b.ToImmutable();
        }
    }

    private static CompiledPolicy CompileUncached(JsonElement e, string name, PolicyKind kind, SourceLocation location, DiagnosticBag diags)
    {
        var parsed = PolicyParser.Parse(e, name, kind, location);
        diags.AddRange(parsed.Diagnostics);
        if (parsed.Document is null)
        {
            // An unreadable policy is kept as one defective statement so that evaluation reports it, never skips it.
            var defect = new Statement(0, null, Effect.Deny, ["*"], false, ["*"], false, true, null, false, [], "$." + name)
            {
                Defect = $"policy `{name}` could not be read",
            };
            return CompiledPolicy.Compile(new PolicyDocument(name, kind, PolicyLanguageVersion.V20121017, null, [defect with { Effect = Effect.Allow }, defect]), diags);
        }
        return CompiledPolicy.Compile(parsed.Document, diags);
    }
}

/// <summary>Writes a simulate result as one JSON object: <c>{"id", "decision", "blockedBy", "statements", "diagnostics"}</c>.</summary>
public static class SimulationWriter
{
    public static void Write(Utf8JsonWriter writer, string? id, EvaluationResult result, IEnumerable<Diagnostic> inputDiagnostics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        if (id is null) { writer.WriteNull("id"); } else { writer.WriteString("id", id); }
        writer.WriteString("decision", DecisionName(result.Decision));
        if (result.BlockedBy is { } b) { writer.WriteString("blockedBy", LayerName(b)); } else { writer.WriteNull("blockedBy"); }
        if (result.Rule is { } rule)
        {
            writer.WriteStartObject("rule");
            writer.WriteString("id", rule.Id);
            writer.WriteString("source", rule.Source);
            writer.WriteEndObject();
        }
        if (!result.Conditions.IsEmpty)
        {
            // "allowed when": Allow statements' conditions must hold, Deny statements' must not.
            writer.WriteBoolean("conditional", result.IsConditional);
            writer.WriteStartArray("conditions");
            foreach (var c in result.Conditions)
            {
                writer.WriteStartObject();
                writer.WriteString("policy", c.Statement.Policy);
                writer.WriteNumber("statement", c.Statement.Statement);
                writer.WriteString("effect", c.Statement.Effect == Effect.Allow ? "Allow" : "Deny");
                writer.WriteString("condition", c.Text);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteStartArray("statements");
        foreach (var s in result.Statements)
        {
            writer.WriteStartObject();
            writer.WriteString("policy", s.Policy);
            writer.WriteString("layer", LayerName(s.Layer));
            writer.WriteNumber("statement", s.Statement);
            if (s.Sid is not null) { writer.WriteString("sid", s.Sid); }
            writer.WriteString("effect", s.Effect == Effect.Allow ? "Allow" : "Deny");
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        var diags = inputDiagnostics.Concat(result.Diagnostics).ToList();
        if (diags.Count > 0)
        {
            writer.WriteStartArray("diagnostics");
            foreach (var d in diags) { writer.WriteStringValue(d.ToString()); }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    public static string DecisionName(Decision d) => d.ToString();

    public static string LayerName(AwsLayer layer) => layer switch
    {
        AwsLayer.Rcp => "rcp",
        AwsLayer.Scp => "scp",
        AwsLayer.Resource => "resource",
        AwsLayer.Identity => "identity",
        AwsLayer.Boundary => "boundary",
        AwsLayer.Session => "session",
        AwsLayer.Endpoint => "endpoint",
        AwsLayer.Protected => "protected",
        _ => layer.ToString().ToLowerInvariant(),
    };
}
