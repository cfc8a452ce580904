using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Collections;
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
        return ReadRequest(id, req, new ElementInput(root), location, diags, options);
    }

    /// <summary>
    /// Reads one request from its UTF-8 JSON text without building a document of the whole input: each policy
    /// document is found by its bytes and, when the cache holds it, never parsed again. Handles the plain shape (known
    /// properties once each, unescaped names, policy lists as arrays, levels as `{target, policies}`); returns false
    /// for anything else (including text that is not JSON), which <see cref="Read"/> then reads and reports exactly.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> utf8, SourceLocation location, out SimulationCase? result, out ImmutableArray<Diagnostic> diagnostics, SimulationReadOptions? options = null)
    {
        result = null;
        diagnostics = [];
        var raw = new RawInput(utf8);
        JsonDocument? request;
        try
        {
            request = raw.Scan();
        }
        catch (JsonException)
        {
            return false;
        }
        if (request is null) { return false; }
        using (request)
        {
            var diags = new DiagnosticBag();
            result = ReadRequest(raw.Id, request.RootElement, raw, location, diags, options ?? SimulationReadOptions.Default);
            diagnostics = diags.ToImmutable();
            return true;
        }
    }

    private static SimulationCase? ReadRequest(string? id, JsonElement req, PolicyInput input, SourceLocation location, DiagnosticBag diags, SimulationReadOptions options)
    {
        SourceLocation At(string path) => location with { JsonPath = path };
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
        if (JsonNames.FirstDuplicate(req) is { } duplicate)
        {
            diags.Error(DiagnosticCodes.PolicyDuplicateKey, $"duplicate property `{duplicate}` in the request", At($"$.request.{duplicate}"));
            return null;
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
            Identity = input.List(reader, "identityPolicies", PolicyKind.Identity),
            Boundaries = input.List(reader, "permissionBoundaries", PolicyKind.Boundary),
            Scps = input.Levels(reader, "scps", PolicyKind.Scp),
            Rcps = input.Levels(reader, "rcps", PolicyKind.Rcp),
            ResourcePolicy = input.Single(reader, "resourcePolicy", RequiresTrust(action) ? PolicyKind.Trust : PolicyKind.Resource),
            SessionPolicy = input.Single(reader, "sessionPolicy", PolicyKind.Session),
            EndpointPolicies = input.List(reader, "vpcEndpointPolicies", PolicyKind.VpcEndpoint),
            IsManagementAccount = input.Flag("isManagementAccount"),
            PrincipalIsServiceLinkedRole = input.Flag("principalIsServiceLinkedRole") || principalText.Contains(":role/aws-service-role/", StringComparison.Ordinal),
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
        var values = new List<KeyValuePair<string, ContextValue>>(8);
        foreach (var p in ctx.EnumerateObject())
        {
            var name = JsonNames.Intern(p);
            if (p.Value.ValueKind == JsonValueKind.Array)
            {
                var items = new List<string>();
                foreach (var item in p.Value.EnumerateArray())
                {
                    if (Scalar(item) is { } s) { items.Add(s); }
                    else { diags.Error(DiagnosticCodes.EvaluationBadRequest, $"context value of `{name}` must hold strings, numbers or booleans", at($"$.request.context.{name}")); }
                }
                values.Add(new(name, ContextValue.Multi(items)));
            }
            else if (Scalar(p.Value) is { } s)
            {
                values.Add(new(name, ContextValue.Single(s)));
            }
            else
            {
                diags.Error(DiagnosticCodes.EvaluationBadRequest, $"context value of `{name}` must be a string, number, boolean or array", at($"$.request.context.{name}"));
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

    /// <summary>Compiles the policies of one request, through the shared cache when there is one.</summary>
    private sealed class PolicyReader(DiagnosticBag diags, SourceLocation location, CompiledPolicyCache? cache)
    {
        public DiagnosticBag Diagnostics => diags;

        public SourceLocation Location => location;

        public CompiledPolicy Compile(JsonElement e, string name, PolicyKind kind) => cache is null
            ? CompileUncached(e, name, kind, location with { JsonPath = "$." + name }, diags)
            : cache.GetOrCompile(e, name, kind, location, CompileUncached, diags);

        public CompiledPolicy Compile(ReadOnlySpan<byte> utf8, string name, PolicyKind kind)
        {
            if (cache is not null) { return cache.GetOrCompile(utf8, name, kind, location, CompileUncached, diags); }
            using var doc = JsonDocument.Parse(utf8.ToArray());
            return CompileUncached(doc.RootElement, name, kind, location with { JsonPath = "$." + name }, diags);
        }

        // Names of the first array items, built once: a request file names the same positions millions of times.
        private static readonly string[][] ListNames = [.. new[] { "identityPolicies", "permissionBoundaries", "vpcEndpointPolicies" }
            .Select(n => Enumerable.Range(0, 16).Select(i => $"{n}[{i}]").ToArray())];

        private static readonly string[][] LevelNames = [.. new[] { "scps", "rcps" }
            .SelectMany(n => Enumerable.Range(0, 8).Select(l => Enumerable.Range(0, 8).Select(j => $"{n}[{l}].policies[{j}]").ToArray()))];

        public static string ItemName(string list, int i)
        {
            var k = list switch { "identityPolicies" => 0, "permissionBoundaries" => 1, "vpcEndpointPolicies" => 2, _ => -1 };
            return k >= 0 && i < 16 ? ListNames[k][i] : $"{list}[{i}]";
        }

        public static string LevelItemName(string list, int level, int j)
        {
            var k = list switch { "scps" => 0, "rcps" => 1, _ => -1 };
            return k >= 0 && level < 8 && j < 8 ? LevelNames[(k * 8) + level][j] : $"{list}[{level}].policies[{j}]";
        }
    }

    /// <summary>Where a request's policies and flags are read from.</summary>
    private abstract class PolicyInput
    {
        public abstract CompiledPolicy? Single(PolicyReader reader, string name, PolicyKind kind);

        public abstract ImmutableArray<CompiledPolicy> List(PolicyReader reader, string name, PolicyKind kind);

        public abstract ImmutableArray<PolicyLevel> Levels(PolicyReader reader, string name, PolicyKind kind);

        public abstract bool Flag(string name);
    }

    /// <summary>The properties of a parsed input object, with a located error for each misshapen one.</summary>
    private sealed class ElementInput(JsonElement root) : PolicyInput
    {
        public override CompiledPolicy? Single(PolicyReader reader, string name, PolicyKind kind)
            => root.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? reader.Compile(e, name, kind) : null;

        public override bool Flag(string name) => root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.True;

        public override ImmutableArray<CompiledPolicy> List(PolicyReader reader, string name, PolicyKind kind)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) { return []; }
            if (e.ValueKind != JsonValueKind.Array)
            {
                reader.Diagnostics.Error(DiagnosticCodes.EvaluationBadRequest, $"`{name}` must be an array of policy documents", reader.Location with { JsonPath = "$." + name });
                return [];
            }
            var b = ImmutableArray.CreateBuilder<CompiledPolicy>(e.GetArrayLength());
            var i = 0;
            foreach (var item in e.EnumerateArray())
            {
                b.Add(reader.Compile(item, PolicyReader.ItemName(name, i), kind));
                i++;
            }
            return b.MoveToImmutable();
        }

        public override ImmutableArray<PolicyLevel> Levels(PolicyReader reader, string name, PolicyKind kind)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) { return []; }
            if (e.ValueKind != JsonValueKind.Array)
            {
                reader.Diagnostics.Error(DiagnosticCodes.EvaluationBadRequest, $"`{name}` must be an array of {{target, policies}} levels from the root to the account", reader.Location with { JsonPath = "$." + name });
                return [];
            }
            var b = ImmutableArray.CreateBuilder<PolicyLevel>();
            var i = 0;
            foreach (var level in e.EnumerateArray())
            {
                if (level.ValueKind != JsonValueKind.Object || !level.TryGetProperty("policies", out var pols) || pols.ValueKind != JsonValueKind.Array)
                {
                    reader.Diagnostics.Error(DiagnosticCodes.EvaluationBadRequest, $"level {i} of `{name}` must be an object with a `policies` array", reader.Location with { JsonPath = $"$.{name}[{i}]" });
                    i++;
                    continue;
                }
                var target = level.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : $"{name}[{i}]";
                var policies = ImmutableArray.CreateBuilder<CompiledPolicy>(pols.GetArrayLength());
                var j = 0;
                foreach (var p in pols.EnumerateArray())
                {
                    policies.Add(reader.Compile(p, PolicyReader.LevelItemName(name, i, j), kind));
                    j++;
                }
                b.Add(new PolicyLevel(target, policies.MoveToImmutable()));
                i++;
            }
            return b.ToImmutable();
        }
    }

    /// <summary>
    /// The input object as UTF-8 text scanned once with a <see cref="Utf8JsonReader"/>: the request is parsed on its
    /// own, each policy document is kept as the range of its bytes (a cache hit never parses it). <see cref="Scan"/>
    /// accepts only the plain shape, where every error <see cref="ElementInput"/> could report cannot arise.
    /// </summary>
    private sealed class RawInput(ReadOnlyMemory<byte> utf8) : PolicyInput
    {
        private const int RequestBit = 1 << 1;
        private static readonly string[] Names =
        [
            "id", "request", "identityPolicies", "permissionBoundaries", "scps", "rcps", "resourcePolicy",
            "sessionPolicy", "vpcEndpointPolicies", "isManagementAccount", "principalIsServiceLinkedRole",
        ];

        private readonly List<Range>?[] _lists = new List<Range>?[Names.Length];
        private readonly Range?[] _singles = new Range?[Names.Length];
        private readonly List<(string? Target, List<Range> Policies)>?[] _levels = new List<(string?, List<Range>)>?[Names.Length];
        private int _flags;

        public string? Id { get; private set; }

        /// <summary>The parsed `request` object, or null when the input is not in the plain shape.</summary>
        public JsonDocument? Scan()
        {
            var r = new Utf8JsonReader(utf8.Span);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) { return null; }
            var seen = 0;
            JsonDocument? request = null;
            try
            {
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    var index = r.ValueIsEscaped ? -1 : IndexOf(r.ValueSpan);
                    if (index < 0 || (seen & (1 << index)) != 0) { return Fail(ref request); }
                    seen |= 1 << index;
                    r.Read();
                    if (!ScanValue(ref r, index, ref request)) { return Fail(ref request); }
                }
                // Anything after the object is an error the full reader reports.
                if (r.TokenType != JsonTokenType.EndObject || r.Read() || (seen & RequestBit) == 0) { return Fail(ref request); }
                var done = request;
                request = null;
                return done;
            }
            finally
            {
                request?.Dispose();
            }
        }

        private static JsonDocument? Fail(ref JsonDocument? request)
        {
            request?.Dispose();
            request = null;
            return null;
        }

        private bool ScanValue(ref Utf8JsonReader r, int index, ref JsonDocument? request)
        {
            var name = Names[index];
            switch (name)
            {
                case "id":
                    if (r.TokenType == JsonTokenType.String) { Id = r.GetString(); return true; }
                    if (r.TokenType != JsonTokenType.Number) { return false; }
                    Id = System.Text.Encoding.UTF8.GetString(r.ValueSpan);
                    return true;
                case "request":
                    if (r.TokenType != JsonTokenType.StartObject) { return false; }
                    // Parsed in place: the document reads the caller's bytes instead of a copy.
                    request = JsonDocument.Parse(utf8[Value(ref r)]);
                    return true;
                case "isManagementAccount" or "principalIsServiceLinkedRole":
                    if (r.TokenType == JsonTokenType.True) { _flags |= 1 << index; }
                    r.Skip();
                    return true;
                case "resourcePolicy" or "sessionPolicy":
                    if (r.TokenType != JsonTokenType.Null) { _singles[index] = Value(ref r); }
                    return true;
                case "scps" or "rcps":
                    return r.TokenType == JsonTokenType.Null || ScanLevels(ref r, index);
                default:
                    if (r.TokenType == JsonTokenType.Null) { return true; }
                    if (r.TokenType != JsonTokenType.StartArray) { return false; }
                    _lists[index] = Items(ref r);
                    return true;
            }
        }

        private bool ScanLevels(ref Utf8JsonReader r, int index)
        {
            if (r.TokenType != JsonTokenType.StartArray) { return false; }
            var levels = new List<(string?, List<Range>)>(4);
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (r.TokenType != JsonTokenType.StartObject) { return false; }
                string? target = null;
                List<Range>? policies = null;
                var seenTarget = false;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (!r.ValueIsEscaped && r.ValueTextEquals("target"u8) && !seenTarget)
                    {
                        seenTarget = true;
                        r.Read();
                        target = r.TokenType == JsonTokenType.String ? r.GetString() : null;
                        r.Skip();
                    }
                    else if (!r.ValueIsEscaped && r.ValueTextEquals("policies"u8) && policies is null)
                    {
                        r.Read();
                        if (r.TokenType != JsonTokenType.StartArray) { return false; }
                        policies = Items(ref r);
                    }
                    else
                    {
                        return false;
                    }
                }
                if (policies is null) { return false; }
                levels.Add((target, policies));
            }
            _levels[index] = levels;
            return true;
        }

        private static List<Range> Items(ref Utf8JsonReader r)
        {
            var items = new List<Range>(4);
            while (r.Read() && r.TokenType != JsonTokenType.EndArray) { items.Add(Value(ref r)); }
            return items;
        }

        /// <summary>The bytes of the value the reader stands on, leaving the reader at its last token.</summary>
        private static Range Value(ref Utf8JsonReader r)
        {
            var start = (int)r.TokenStartIndex;
            r.Skip();
            return new Range(start, (int)r.BytesConsumed);
        }

        private static int IndexOf(ReadOnlySpan<byte> name)
        {
            for (var i = 0; i < Names.Length; i++)
            {
                if (System.Text.Ascii.Equals(name, Names[i])) { return i; }
            }
            return -1;
        }

        private ReadOnlySpan<byte> Bytes(Range range) => utf8.Span[range];

        public override CompiledPolicy? Single(PolicyReader reader, string name, PolicyKind kind)
            => _singles[Array.IndexOf(Names, name)] is { } range ? reader.Compile(Bytes(range), name, kind) : null;

        public override bool Flag(string name) => (_flags & (1 << Array.IndexOf(Names, name))) != 0;

        public override ImmutableArray<CompiledPolicy> List(PolicyReader reader, string name, PolicyKind kind)
        {
            if (_lists[Array.IndexOf(Names, name)] is not { } items) { return []; }
            var b = ImmutableArray.CreateBuilder<CompiledPolicy>(items.Count);
            for (var i = 0; i < items.Count; i++) { b.Add(reader.Compile(Bytes(items[i]), PolicyReader.ItemName(name, i), kind)); }
            return b.MoveToImmutable();
        }

        public override ImmutableArray<PolicyLevel> Levels(PolicyReader reader, string name, PolicyKind kind)
        {
            if (_levels[Array.IndexOf(Names, name)] is not { } levels) { return []; }
            var b = ImmutableArray.CreateBuilder<PolicyLevel>(levels.Count);
            for (var i = 0; i < levels.Count; i++)
            {
                var (target, items) = levels[i];
                var policies = ImmutableArray.CreateBuilder<CompiledPolicy>(items.Count);
                for (var j = 0; j < items.Count; j++) { policies.Add(reader.Compile(Bytes(items[j]), PolicyReader.LevelItemName(name, i, j), kind)); }
                b.Add(new PolicyLevel(target ?? $"{name}[{i}]", policies.MoveToImmutable()));
            }
            return b.MoveToImmutable();
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

/// <summary>Property names read without allocating where a request file repeats them on every line.</summary>
internal static class JsonNames
{
    private const int MaxInterned = 4096;
    private static readonly ConcurrentDictionary<byte[], string> Interned = new(ByteKeyComparer.Instance);

    /// <summary>The property's name, shared with every earlier occurrence of the same unescaped name.</summary>
    public static string Intern(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0) { return property.Name; }
        if (Interned.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(raw, out var name)) { return name; }
        name = property.Name;
        // Bounded: a file of ever-new key names still reads correctly, with an allocation per name.
        if (Interned.Count < MaxInterned) { Interned.TryAdd(raw.ToArray(), name); }
        return name;
    }

    /// <summary>The first property name <paramref name="obj"/> repeats, or null; a JSON reader would keep the last.</summary>
    public static string? FirstDuplicate(JsonElement obj)
    {
        var count = 0;
        var escaped = false;
        foreach (var p in obj.EnumerateObject())
        {
            count++;
            escaped |= JsonMarshal.GetRawUtf8PropertyName(p).IndexOf((byte)'\\') >= 0;
        }
        if (count > 16 || escaped)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in obj.EnumerateObject())
            {
                if (!seen.Add(p.Name)) { return p.Name; }
            }
            return null;
        }
        // A handful of unescaped names: compare their bytes pairwise rather than allocate a set of strings.
        var i = 0;
        foreach (var p in obj.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(p);
            var j = 0;
            foreach (var q in obj.EnumerateObject())
            {
                if (j++ >= i) { break; }
                if (name.SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(q))) { return p.Name; }
            }
            i++;
        }
        return null;
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
