using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Policies;

/// <summary>The outcome of parsing a policy: the document (null only when the text is not a JSON object) and diagnostics.</summary>
public sealed record PolicyParseResult(PolicyDocument? Document, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>
/// Parses IAM policy JSON into <see cref="PolicyDocument"/>. Never throws on content: every problem becomes a
/// located diagnostic, and a statement that cannot be understood is kept with a <see cref="Statement"/>
/// defect so that evaluation reports it as indeterminate instead of silently ignoring it.
/// </summary>
public static class PolicyParser
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>
    /// Documents longer than this are not evaluated: AWS caps a customer managed policy at 6,144 characters, a role's
    /// inline policies at 10,240 and a bucket policy at 20 KB; the largest AWS managed policy (`ReadOnlyAccess`) is
    /// about 200 KB pretty-printed. A document of a megabyte is no policy AWS holds — and one of 100,000 statements
    /// would otherwise take minutes in every evaluation.
    /// </summary>
    public const int MaxDocumentChars = 1024 * 1024;

    public static PolicyParseResult Parse(string json, string name, PolicyKind kind, SourceLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var diags = new DiagnosticBag();
        var baseLocation = location ?? new SourceLocation(JsonPath: "$");
        if (json.Length > MaxDocumentChars)
        {
            diags.Warning(DiagnosticCodes.InputPolicyOversized,
                $"policy `{name}` has {json.Length} characters, far above AWS's policy size limits (6,144 for a managed policy, 20 KB " +
                $"for a bucket policy): it is not evaluated, and what it allows or denies is indeterminate", baseLocation);
            return new PolicyParseResult(PolicyDocument.Unknown(name, $"the document has {json.Length} characters, above the {MaxDocumentChars} evaluated") with { Kind = kind },
                diags.ToImmutable());
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            var loc = baseLocation with { Line = ex.LineNumber is { } l ? l + 1 : null };
            diags.Error(DiagnosticCodes.PolicyNotJson, $"policy `{name}` is not valid JSON: {Lower(ex.Message)}", loc);
            return new PolicyParseResult(null, diags.ToImmutable());
        }
        using (doc)
        {
            return Parse(doc.RootElement, name, kind, baseLocation, diags);
        }
    }

    public static PolicyParseResult Parse(JsonElement root, string name, PolicyKind kind, SourceLocation? location = null)
        => Parse(root, name, kind, location ?? new SourceLocation(JsonPath: "$"), new DiagnosticBag());

    private static PolicyParseResult Parse(JsonElement root, string name, PolicyKind kind, SourceLocation baseLocation, DiagnosticBag diags)
    {
        var basePath = baseLocation.JsonPath ?? "$";
        if (root.ValueKind == JsonValueKind.String)
        {
            // Some exports carry the document as a JSON string (possibly URL-encoded): unwrap one level.
            var text = root.GetString() ?? "";
            if (text.StartsWith('%')) { text = Uri.UnescapeDataString(text); }
            return Parse(text, name, kind, baseLocation);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            diags.Error(DiagnosticCodes.PolicyNotObject, $"policy `{name}` must be a JSON object, found {Kind(root)}", baseLocation);
            return new PolicyParseResult(null, diags.ToImmutable());
        }
        var ctx = new Ctx(name, kind, baseLocation, diags);
        if (FirstDuplicate(root) is { } dupRoot)
        {
            // JSON readers keep the last of two equal names; IAM rejects the document, so nothing in it decides.
            diags.Error(DiagnosticCodes.PolicyDuplicateKey, $"duplicate element `{dupRoot}` in policy `{name}`; the policy language rejects duplicate names", ctx.At($"{basePath}.{dupRoot}"));
            ctx.DocumentDefect = $"duplicate element `{dupRoot}` in the policy";
            ctx.DuplicateNames = true;
        }
        PolicyLanguageVersion? version = null;
        string? id = null;
        JsonElement? statementElement = null;
        foreach (var prop in root.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "Version":
                    if (prop.Value.ValueKind == JsonValueKind.String && prop.Value.GetString() is "2012-10-17")
                    {
                        version = PolicyLanguageVersion.V20121017;
                    }
                    else if (prop.Value.ValueKind == JsonValueKind.String && prop.Value.GetString() is "2008-10-17")
                    {
                        version = PolicyLanguageVersion.V20081017;
                    }
                    else
                    {
                        diags.Error(DiagnosticCodes.PolicyBadVersion, $"policy `{name}` has unsupported Version `{Text(prop.Value)}` (expected `2012-10-17` or `2008-10-17`)", ctx.At($"{basePath}.Version"));
                        version = PolicyLanguageVersion.V20121017;
                        ctx.DocumentDefect = $"unsupported Version `{Text(prop.Value)}`";
                    }
                    break;
                case "Id":
                    id = prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString() : Text(prop.Value);
                    break;
                case "Statement":
                    statementElement = prop.Value;
                    break;
                default:
                    diags.Error(DiagnosticCodes.PolicyUnknownElement, $"unknown policy element `{prop.Name}` in policy `{name}`", ctx.At($"{basePath}.{prop.Name}"));
                    ctx.DocumentDefect = $"unknown policy element `{prop.Name}`";
                    break;
            }
        }
        // AWS: a policy without Version is evaluated as 2008-10-17 (no policy variables).
        ctx.Version = version ?? PolicyLanguageVersion.V20081017;
        var statements = ImmutableArray.CreateBuilder<Statement>();
        if (statementElement is null)
        {
            diags.Error(DiagnosticCodes.PolicyMissingStatement, $"policy `{name}` has no Statement", baseLocation);
        }
        else if (statementElement.Value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var s in statementElement.Value.EnumerateArray())
            {
                statements.Add(ParseStatement(s, i, $"{basePath}.Statement[{i}]", ctx));
                i++;
            }
        }
        else
        {
            statements.Add(ParseStatement(statementElement.Value, 0, $"{basePath}.Statement", ctx));
        }
        var sids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var st in statements)
        {
            if (st.Sid is { Length: > 0 } sid && !sids.Add(sid))
            {
                diags.Warning(DiagnosticCodes.StatementDuplicateSid, $"duplicate Sid `{sid}` in policy `{name}`", ctx.At(st.JsonPath));
            }
        }
        var document = new PolicyDocument(name, kind, ctx.Version, id, statements.ToImmutable());
        return new PolicyParseResult(document, diags.ToImmutable());
    }

    private sealed class Ctx(string name, PolicyKind kind, SourceLocation location, DiagnosticBag diags)
    {
        public string Name { get; } = name;
        public PolicyKind Kind { get; } = kind;
        public DiagnosticBag Diags { get; } = diags;
        public PolicyLanguageVersion Version { get; set; }
        public string? DocumentDefect { get; set; }
        public bool DuplicateNames { get; set; }

        public SourceLocation At(string path) => location with { JsonPath = path };
    }

    private static Statement ParseStatement(JsonElement s, int index, string path, Ctx ctx)
    {
        var defects = new List<string>();
        if (ctx.DocumentDefect is not null) { defects.Add(ctx.DocumentDefect); }
        string? sid = null;
        Effect effect = Effect.Allow;
        var effectSeen = false;
        var effectUnknown = false;
        ImmutableArray<string>? action = null, notAction = null, resource = null, notResource = null;
        PrincipalElement? principal = null, notPrincipal = null;
        var conditions = ImmutableArray<ConditionEntry>.Empty;
        var where = $"statement {index} of policy `{ctx.Name}`";

        void Defect(string code, string message, string at)
        {
            ctx.Diags.Error(code, $"{message} in {where}", ctx.At(at));
            defects.Add(message);
        }

        if (s.ValueKind != JsonValueKind.Object)
        {
            Defect(DiagnosticCodes.StatementNotObject, $"statement must be a JSON object, found {Kind(s)}", path);
            return new Statement(index, null, Effect.Deny, [], false, [], false, false, null, false, [], path) { Defect = defects[0], EffectUnknown = true, PrincipalUnknown = true };
        }
        var duplicates = DuplicatePaths(s, path);
        var principalUnknown = false;
        foreach (var dup in duplicates)
        {
            // `{"Effect":"Allow",…,"Effect":"Deny"}`: a JSON reader keeps the last value, IAM rejects the policy.
            Defect(DiagnosticCodes.PolicyDuplicateKey, $"duplicate name `{dup[(dup.LastIndexOf('.') + 1)..]}` in statement (the policy language rejects it; a JSON reader would silently keep the last value)", dup);
            if (dup == $"{path}.Effect") { effectUnknown = true; }
            if (dup.StartsWith($"{path}.Principal", StringComparison.Ordinal) || dup.StartsWith($"{path}.NotPrincipal", StringComparison.Ordinal)) { principalUnknown = true; }
        }
        foreach (var prop in s.EnumerateObject())
        {
            var at = $"{path}.{prop.Name}";
            switch (prop.Name)
            {
                case "Sid":
                    if (prop.Value.ValueKind == JsonValueKind.String) { sid = prop.Value.GetString(); }
                    else { ctx.Diags.Warning(DiagnosticCodes.StatementBadValue, $"Sid must be a string in {where}", ctx.At(at)); sid = Text(prop.Value); }
                    break;
                case "Effect":
                    effectSeen = true;
                    if (prop.Value.ValueKind == JsonValueKind.String && prop.Value.GetString() is "Allow") { effect = Effect.Allow; }
                    else if (prop.Value.ValueKind == JsonValueKind.String && prop.Value.GetString() is "Deny") { effect = Effect.Deny; }
                    else
                    {
                        // An unreadable Effect could be either: the statement counts as a possible allow and a possible deny.
                        effect = Effect.Deny;
                        effectUnknown = true;
                        Defect(DiagnosticCodes.StatementBadEffect, $"Effect must be `Allow` or `Deny`, found `{Text(prop.Value)}`", at);
                    }
                    break;
                case "Action":
                    action = StringList(prop.Value, at, "Action", Defect);
                    break;
                case "NotAction":
                    notAction = StringList(prop.Value, at, "NotAction", Defect);
                    break;
                case "Resource":
                    resource = StringList(prop.Value, at, "Resource", Defect);
                    break;
                case "NotResource":
                    notResource = StringList(prop.Value, at, "NotResource", Defect);
                    break;
                case "Principal":
                    var before = defects.Count;
                    principal = ParsePrincipal(prop.Value, at, "Principal", Defect);
                    principalUnknown |= defects.Count > before;
                    break;
                case "NotPrincipal":
                    var beforeNot = defects.Count;
                    notPrincipal = ParsePrincipal(prop.Value, at, "NotPrincipal", Defect);
                    principalUnknown |= defects.Count > beforeNot;
                    break;
                case "Condition":
                    conditions = ParseConditions(prop.Value, at, Defect);
                    break;
                default:
                    Defect(DiagnosticCodes.PolicyUnknownElement, $"unknown statement element `{prop.Name}`", at);
                    break;
            }
        }
        if (!effectSeen)
        {
            effectUnknown = true;
            Defect(DiagnosticCodes.StatementBadEffect, "statement has no Effect", path);
        }
        if (action is not null && notAction is not null) { Defect(DiagnosticCodes.StatementActionConflict, "statement has both Action and NotAction", path); }
        if (action is null && notAction is null) { Defect(DiagnosticCodes.StatementMissingAction, "statement has neither Action nor NotAction", path); }
        if (resource is not null && notResource is not null) { Defect(DiagnosticCodes.StatementResourceConflict, "statement has both Resource and NotResource", path); }
        if (principal is not null && notPrincipal is not null) { Defect(DiagnosticCodes.StatementPrincipalConflict, "statement has both Principal and NotPrincipal", path); }

        var hasPrincipal = principal is not null || notPrincipal is not null;
        switch (ctx.Kind)
        {
            case PolicyKind.Identity or PolicyKind.Boundary or PolicyKind.Session or PolicyKind.Scp:
                if (hasPrincipal) { Defect(DiagnosticCodes.StatementUnexpectedPrincipal, $"{KindName(ctx.Kind)} policies cannot have Principal or NotPrincipal", path); }
                break;
            case PolicyKind.Resource or PolicyKind.Trust or PolicyKind.Rcp:
                if (!hasPrincipal) { Defect(DiagnosticCodes.StatementMissingPrincipal, $"{KindName(ctx.Kind)} policies need Principal or NotPrincipal", path); }
                break;
            default:
                break;
        }
        var hasResource = resource is not null || notResource is not null;
        if (!hasResource && ctx.Kind is PolicyKind.Identity or PolicyKind.Boundary or PolicyKind.Session or PolicyKind.Resource or PolicyKind.Rcp)
        {
            Defect(DiagnosticCodes.StatementMissingResource, "statement has neither Resource nor NotResource", path);
        }

        foreach (var a in action ?? notAction ?? [])
        {
            if (a != "*" && (a.IndexOf(':', StringComparison.Ordinal) <= 0 || a.EndsWith(':')))
            {
                Defect(DiagnosticCodes.ActionMalformed, $"action `{a}` is not `service:action` or `*`", $"{path}.{(action is not null ? "Action" : "NotAction")}");
            }
        }

        return new Statement(
            index, sid, effect,
            action ?? notAction ?? [], notAction is not null && action is null,
            resource ?? notResource ?? [], notResource is not null && resource is null, hasResource,
            principal ?? notPrincipal, notPrincipal is not null && principal is null,
            conditions, path)
        {
            Defect = defects.Count == 0 ? null : string.Join("; ", defects),
            EffectUnknown = effectUnknown,
            PrincipalUnknown = principalUnknown,
            HasDuplicateNames = duplicates.Count > 0 || ctx.DuplicateNames,
        };
    }

    /// <summary>The first property name that occurs twice in <paramref name="obj"/> (an object), or null.</summary>
    private static string? FirstDuplicate(JsonElement obj)
    {
        HashSet<string>? seen = null;
        foreach (var p in obj.EnumerateObject())
        {
            if (!(seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(p.Name)) { return p.Name; }
        }
        return null;
    }

    /// <summary>
    /// JSON paths of every repeated property name in a statement and the objects nested in it (Principal, Condition
    /// and its operators), e.g. `$.Statement[0].Effect` or `$.Statement[0].Condition.StringEquals.aws:username`.
    /// </summary>
    private static List<string> DuplicatePaths(JsonElement obj, string path)
    {
        var result = new List<string>();
        Collect(obj, path, result, 0);
        return result;

        static void Collect(JsonElement e, string at, List<string> into, int depth)
        {
            if (e.ValueKind != JsonValueKind.Object || depth > 3) { return; }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject())
            {
                if (!seen.Add(p.Name)) { into.Add($"{at}.{p.Name}"); continue; }
                Collect(p.Value, $"{at}.{p.Name}", into, depth + 1);
            }
        }
    }

    private static ImmutableArray<string> StringList(JsonElement value, string at, string element, Action<string, string, string> defect)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [value.GetString()!];
            case JsonValueKind.Array:
                var b = ImmutableArray.CreateBuilder<string>(value.GetArrayLength());
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String) { b.Add(item.GetString()!); }
                    else { defect(DiagnosticCodes.StatementBadValue, $"{element} values must be strings, found {Kind(item)}", $"{at}[{i}]"); }
                    i++;
                }
                if (value.GetArrayLength() == 0) { defect(DiagnosticCodes.StatementBadValue, $"{element} is an empty list", at); }
                return b.ToImmutable();
            default:
                defect(DiagnosticCodes.StatementBadValue, $"{element} must be a string or a list of strings, found {Kind(value)}", at);
                return [];
        }
    }

    private static PrincipalElement? ParsePrincipal(JsonElement value, string at, string element, Action<string, string, string> defect)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            if (value.GetString() == "*") { return new PrincipalElement(true, []); }
            defect(DiagnosticCodes.StatementBadPrincipal, $"{element} string must be `*`, found `{value.GetString()}`", at);
            return new PrincipalElement(false, []);
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            defect(DiagnosticCodes.StatementBadPrincipal, $"{element} must be `*` or an object, found {Kind(value)}", at);
            return new PrincipalElement(false, []);
        }
        var values = ImmutableArray.CreateBuilder<PrincipalValue>();
        var wildcard = false;
        foreach (var prop in value.EnumerateObject())
        {
            PrincipalType? type = prop.Name switch
            {
                "AWS" => PrincipalType.Aws,
                "Service" => PrincipalType.Service,
                "Federated" => PrincipalType.Federated,
                "CanonicalUser" => PrincipalType.CanonicalUser,
                _ => null,
            };
            if (type is null)
            {
                defect(DiagnosticCodes.StatementBadPrincipal, $"unknown principal type `{prop.Name}` in {element}", $"{at}.{prop.Name}");
                continue;
            }
            foreach (var v in StringList(prop.Value, $"{at}.{prop.Name}", $"{element}.{prop.Name}", defect))
            {
                if (v == "*" && type == PrincipalType.Aws) { wildcard = true; }
                else if (v.Length == 0) { defect(DiagnosticCodes.StatementBadPrincipal, $"empty principal in {element}.{prop.Name}", $"{at}.{prop.Name}"); }
                else { values.Add(new PrincipalValue(type.Value, v)); }
            }
        }
        return new PrincipalElement(wildcard, values.ToImmutable());
    }

    private static ImmutableArray<ConditionEntry> ParseConditions(JsonElement value, string at, Action<string, string, string> defect)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            defect(DiagnosticCodes.StatementBadCondition, $"Condition must be an object, found {Kind(value)}", at);
            return [];
        }
        var entries = ImmutableArray.CreateBuilder<ConditionEntry>();
        foreach (var op in value.EnumerateObject())
        {
            var opAt = $"{at}.{op.Name}";
            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                defect(DiagnosticCodes.StatementBadCondition, $"condition operator `{op.Name}` must map to an object of keys, found {Kind(op.Value)}", opAt);
                continue;
            }
            foreach (var key in op.Value.EnumerateObject())
            {
                var keyAt = $"{opAt}.{key.Name}";
                var values = ImmutableArray.CreateBuilder<string>();
                if (key.Value.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var item in key.Value.EnumerateArray())
                    {
                        if (ScalarText(item) is { } t) { values.Add(t); }
                        else { defect(DiagnosticCodes.StatementBadCondition, $"condition value for `{key.Name}` must be a string, number or boolean, found {Kind(item)}", $"{keyAt}[{i}]"); }
                        i++;
                    }
                }
                else if (ScalarText(key.Value) is { } t)
                {
                    values.Add(t);
                }
                else
                {
                    defect(DiagnosticCodes.StatementBadCondition, $"condition value for `{key.Name}` must be a string, number, boolean or a list of them, found {Kind(key.Value)}", keyAt);
                    continue;
                }
                entries.Add(new ConditionEntry(op.Name, key.Name, values.ToImmutable(), keyAt));
            }
        }
        return entries.ToImmutable();
    }

    private static string? ScalarText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => e.GetRawText(),
        _ => null,
    };

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText();

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string KindName(PolicyKind kind) => kind switch
    {
        PolicyKind.Identity => "identity",
        PolicyKind.Boundary => "permission-boundary",
        PolicyKind.Session => "session",
        PolicyKind.Scp => "service control",
        PolicyKind.Rcp => "resource control",
        PolicyKind.Resource => "resource-based",
        PolicyKind.Trust => "role trust",
        PolicyKind.VpcEndpoint => "VPC endpoint",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Lower(string message)
    {
        var m = message.TrimEnd('.');
        return m.Length > 0 ? char.ToLowerInvariant(m[0]) + m[1..] : m;
    }
}
