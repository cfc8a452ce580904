using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

/// <summary>
/// Reads `terraform show -json PLAN` output: the IAM resources of `resource_changes` (before and after), with
/// `configuration` references used to resolve values known only after apply (a policy attached by `aws_iam_policy.x.arn`,
/// a role named by `aws_iam_role.x.name`, an `aws_iam_policy_document` data source). A value that stays unknown becomes
/// a policy of unknown content (indeterminate), never a skipped one. Every policy keeps its JSON path in the plan.
/// </summary>
public static partial class TerraformPlanReader
{
    private static readonly ImmutableHashSet<string> IamTypes =
    [
        "aws_iam_role", "aws_iam_user", "aws_iam_group", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy",
        "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment",
        "aws_iam_group_membership", "aws_iam_user_group_membership", "aws_iam_policy_document",
    ];

    public static IacReadResult Read(Stream stream, string file)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream);
        return Read(reader.ReadToEnd(), file);
    }

    public static IacReadResult Read(string json, string file)
    {
        ArgumentNullException.ThrowIfNull(json);
        var diags = new DiagnosticBag();
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException ex)
        {
            diags.Error(DiagnosticCodes.GateNotAPlan, $"not json: {ex.Message.TrimEnd('.')}", new SourceLocation(File: file, Line: ex.LineNumber + 1));
            return new IacReadResult([], 0, diags.ToImmutable());
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("resource_changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
            {
                // A plan without changes has no `resource_changes`; anything else without it is not a plan.
                var isPlan = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("format_version", out _);
                if (!isPlan) { diags.Error(DiagnosticCodes.GateNotAPlan, "not a terraform plan: `resource_changes` is missing (use `terraform show -json plan.out`)", new SourceLocation(File: file, JsonPath: "$")); }
                return new IacReadResult([], 0, diags.ToImmutable());
            }
            return new Plan(file, doc.RootElement, changes, diags).Read();
        }
    }

    private sealed partial class Plan(string file, JsonElement root, JsonElement changes, DiagnosticBag diags)
    {
        private readonly Dictionary<string, JsonElement> _expressions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Index, JsonElement Change)> _byAddress = new(StringComparer.Ordinal);
        private readonly Dictionary<(GatePrincipalKind, string), Builder> _principals = [];
        private readonly HashSet<string> _attachedPolicies = new(StringComparer.Ordinal);
        private readonly List<(int Index, bool Before, string Group, string User)> _memberships = [];

        public IacReadResult Read()
        {
            if (root.TryGetProperty("configuration", out var config) && config.TryGetProperty("root_module", out var module)) { IndexModule(module, ""); }
            var iam = 0;
            var i = 0;
            foreach (var rc in changes.EnumerateArray())
            {
                if (Str(rc, "address") is { } address) { _byAddress[address] = (i, rc); }
                if (Str(rc, "type") is { } type && IamTypes.Contains(type)) { iam++; }
                i++;
            }
            i = 0;
            foreach (var rc in changes.EnumerateArray())
            {
                if (Str(rc, "mode") == "managed" && Str(rc, "type") is { } type && rc.TryGetProperty("change", out var change)) { ReadResource(i, type, Str(rc, "address") ?? $"#{i}", change); }
                i++;
            }
            ApplyMemberships();
            i = 0;
            foreach (var rc in changes.EnumerateArray())
            {
                if (Str(rc, "mode") == "managed" && Str(rc, "type") == "aws_iam_policy" && Str(rc, "address") is { } address && !_attachedPolicies.Contains(address) && rc.TryGetProperty("change", out var change))
                {
                    // A managed policy attached to nothing in the plan is checked on its own.
                    var name = Side(change, "after") is { } a ? Str(a, "name") : Side(change, "before") is { } b ? Str(b, "name") : null;
                    var builder = Get(GatePrincipalKind.Policy, name ?? address, i);
                    if (PolicyOf(i, change, "before", "policy", address) is { } pb) { builder.Before.Add(pb); }
                    if (PolicyOf(i, change, "after", "policy", address) is { } pa) { builder.After.Add(pa); }
                }
                i++;
            }
            var result = _principals.Values.Select(b => b.Build(file)).OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal).ToImmutableArray();
            var clouds = ReadClouds();
            return new IacReadResult(result, iam, diags.ToImmutable()) { Clouds = clouds };
        }

        private void IndexModule(JsonElement module, string prefix)
        {
            if (module.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in resources.EnumerateArray())
                {
                    if (Str(r, "address") is { } a && r.TryGetProperty("expressions", out var e)) { _expressions[prefix + a] = e; }
                }
            }
            if (module.TryGetProperty("module_calls", out var calls) && calls.ValueKind == JsonValueKind.Object)
            {
                foreach (var call in calls.EnumerateObject())
                {
                    if (call.Value.TryGetProperty("module", out var inner)) { IndexModule(inner, $"{prefix}module.{call.Name}."); }
                }
            }
        }

        private void ReadResource(int i, string type, string address, JsonElement change)
        {
            foreach (var side in new[] { "before", "after" })
            {
                if (Side(change, side) is not { } values) { continue; }
                var before = side == "before";
                switch (type)
                {
                    case "aws_iam_role" or "aws_iam_user" or "aws_iam_group":
                    {
                        var kind = type == "aws_iam_role" ? GatePrincipalKind.Role : type == "aws_iam_user" ? GatePrincipalKind.User : GatePrincipalKind.Group;
                        var b = Get(kind, Str(values, "name") ?? address, i);
                        if (kind == GatePrincipalKind.Role)
                        {
                            var trust = PolicyOf(i, change, side, "assume_role_policy", $"{address} trust", PolicyKind.Trust);
                            if (before) { b.TrustBefore = trust; } else { b.TrustAfter = trust; }
                            if (values.TryGetProperty("inline_policy", out var inline) && inline.ValueKind == JsonValueKind.Array)
                            {
                                var n = 0;
                                foreach (var block in inline.EnumerateArray())
                                {
                                    var name = Str(block, "name") ?? $"inline_policy[{n}]";
                                    if (Str(block, "policy") is { Length: > 0 } text) { b.Side(before).Add(Parse(text, $"{address}#{name}", PolicyKind.Identity, $"$.resource_changes[{i}].change.{side}.inline_policy[{n}].policy")); }
                                    n++;
                                }
                            }
                            if (values.TryGetProperty("managed_policy_arns", out var arns) && arns.ValueKind == JsonValueKind.Array)
                            {
                                var n = 0;
                                foreach (var arn in arns.EnumerateArray())
                                {
                                    if (arn.ValueKind == JsonValueKind.String) { b.Side(before).Add(ManagedByArn(arn.GetString()!, side, $"$.resource_changes[{i}].change.{side}.managed_policy_arns[{n}]")); }
                                    n++;
                                }
                            }
                        }
                        if (kind != GatePrincipalKind.Group && Str(values, "permissions_boundary") is { Length: > 0 } boundary)
                        {
                            var p = ManagedByArn(boundary, side, $"$.resource_changes[{i}].change.{side}.permissions_boundary");
                            if (before) { b.BoundaryBefore = p; } else { b.BoundaryAfter = p; }
                        }
                        break;
                    }
                    case "aws_iam_role_policy" or "aws_iam_user_policy" or "aws_iam_group_policy":
                    {
                        var (kind, attr) = Target(type);
                        var b = Get(kind, TargetName(i, address, change, side, attr), i);
                        if (PolicyOf(i, change, side, "policy", $"{address}") is { } p) { b.Side(before).Add(p); }
                        break;
                    }
                    case "aws_iam_role_policy_attachment" or "aws_iam_user_policy_attachment" or "aws_iam_group_policy_attachment":
                    {
                        var (kind, attr) = Target(type);
                        var p = AttachedPolicy(i, address, change, side);
                        Get(kind, TargetName(i, address, change, side, attr), i).Side(before).Add(p);
                        break;
                    }
                    case "aws_iam_group_membership":
                    {
                        var group = TargetName(i, address, change, side, "group");
                        foreach (var user in Strings(values, "users")) { _memberships.Add((i, before, group, user)); }
                        break;
                    }
                    case "aws_iam_user_group_membership":
                    {
                        var user = TargetName(i, address, change, side, "user");
                        foreach (var group in Strings(values, "groups")) { _memberships.Add((i, before, group, user)); }
                        break;
                    }
                    case "aws_iam_policy_attachment":
                    {
                        var p = AttachedPolicy(i, address, change, side);
                        foreach (var (attr, kind) in new[] { ("roles", GatePrincipalKind.Role), ("users", GatePrincipalKind.User), ("groups", GatePrincipalKind.Group) })
                        {
                            foreach (var name in Strings(values, attr))
                            {
                                Get(kind, name, i).Side(before).Add(p);
                            }
                        }
                        break;
                    }
                }
            }
        }

        /// <summary>A user in a group has the group's policies: those of the plan's group on the same side, else unknown content.</summary>
        private void ApplyMemberships()
        {
            foreach (var (index, before, group, user) in _memberships)
            {
                var side = before ? "before" : "after";
                var policies = _principals.TryGetValue((GatePrincipalKind.Group, group), out var g)
                    ? g.Side(before).ToList()
                    : [new GatePolicy($"group/{group}", null, Loc($"$.resource_changes[{index}].change.{side}"))];
                Get(GatePrincipalKind.User, user, index).Side(before).AddRange(policies);
            }
        }

        private static IEnumerable<string> Strings(JsonElement values, string attribute) =>
            values.TryGetProperty(attribute, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).Where(n => n.Length > 0)
                : [];

        private static (GatePrincipalKind Kind, string Attribute) Target(string type) => type switch
        {
            _ when type.StartsWith("aws_iam_role", StringComparison.Ordinal) => (GatePrincipalKind.Role, "role"),
            _ when type.StartsWith("aws_iam_user", StringComparison.Ordinal) => (GatePrincipalKind.User, "user"),
            _ => (GatePrincipalKind.Group, "group"),
        };

        /// <summary>The name of the role, user or group a resource applies to: its value, else the resource it references.</summary>
        private string TargetName(int i, string address, JsonElement change, string side, string attribute)
        {
            if (Side(change, side) is { } values && Str(values, attribute) is { Length: > 0 } name) { return name; }
            foreach (var reference in References(address, attribute))
            {
                if (_byAddress.TryGetValue(reference, out var target) && target.Change.TryGetProperty("change", out var tc) && Side(tc, side == "before" ? "before" : "after") is { } tv && Str(tv, "name") is { } n) { return n; }
            }
            var symbolic = References(address, attribute).FirstOrDefault() ?? $"{address}.{attribute}";
            diags.Warning(DiagnosticCodes.GateUnresolvedReference, $"`{attribute}` of `{address}` is known only after apply; the principal is named `${{{symbolic}}}`", Loc($"$.resource_changes[{i}].change.{side}.{attribute}"));
            return "${" + symbolic + "}";
        }

        private GatePolicy AttachedPolicy(int i, string address, JsonElement change, string side)
        {
            var path = $"$.resource_changes[{i}].change.{side}.policy_arn";
            if (Side(change, side) is { } values && Str(values, "policy_arn") is { Length: > 0 } arn) { return ManagedByArn(arn, side, path); }
            foreach (var reference in References(address, "policy_arn"))
            {
                if (_byAddress.TryGetValue(reference, out var target) && Str(target.Change, "type") == "aws_iam_policy" && target.Change.TryGetProperty("change", out var tc))
                {
                    _attachedPolicies.Add(reference);
                    return PolicyOf(target.Index, tc, side, "policy", reference) ?? new GatePolicy(reference, null, Loc(path));
                }
            }
            return new GatePolicy(References(address, "policy_arn").FirstOrDefault() ?? $"{address}.policy_arn", null, Loc(path));
        }

        /// <summary>A managed policy named by ARN: the plan's own `aws_iam_policy` when it has that ARN, else a reference the inventory may resolve.</summary>
        private GatePolicy ManagedByArn(string arn, string side, string path)
        {
            foreach (var (address, (index, rc)) in _byAddress)
            {
                if (Str(rc, "type") != "aws_iam_policy" || !rc.TryGetProperty("change", out var tc)) { continue; }
                if ((Side(tc, "before") is { } b && Str(b, "arn") == arn) || (Side(tc, "after") is { } a && Str(a, "arn") == arn))
                {
                    _attachedPolicies.Add(address);
                    return PolicyOf(index, tc, side, "policy", address) ?? new GatePolicy(arn, null, Loc(path), arn);
                }
            }
            return new GatePolicy(arn[(arn.LastIndexOf('/') + 1)..], null, Loc(path), arn);
        }

        /// <summary>A policy attribute on one side: parsed when known, resolved through an `aws_iam_policy_document` when referenced, else unknown.</summary>
        private GatePolicy? PolicyOf(int i, JsonElement change, string side, string attribute, string name, PolicyKind kind = PolicyKind.Identity)
        {
            var path = $"$.resource_changes[{i}].change.{side}.{attribute}";
            var address = _byAddress.FirstOrDefault(kv => kv.Value.Index == i).Key ?? "";
            if (Side(change, side) is { } values && values.TryGetProperty(attribute, out var v) && v.ValueKind == JsonValueKind.String)
            {
                var text = v.GetString()!;
                return text.Length == 0 ? null : Parse(text, name, kind, path);
            }
            var unknown = side == "after" && change.TryGetProperty("after_unknown", out var au) && au.ValueKind == JsonValueKind.Object && au.TryGetProperty(attribute, out var flag) && flag.ValueKind == JsonValueKind.True;
            if (!unknown) { return null; }
            foreach (var reference in References(address, attribute))
            {
                if (_byAddress.TryGetValue(reference, out var data) && Str(data.Change, "type") == "aws_iam_policy_document" && data.Change.TryGetProperty("change", out var dc) && Side(dc, "after") is { } dv && Str(dv, "json") is { Length: > 0 } json)
                {
                    return Parse(json, name, kind, $"$.resource_changes[{data.Index}].change.after.json");
                }
            }
            return new GatePolicy(name, null, Loc(path));
        }

        private GatePolicy Parse(string text, string name, PolicyKind kind, string path)
        {
            var parsed = PolicyParser.Parse(text, name, kind, Loc(path));
            diags.AddRange(parsed.Diagnostics);
            return new GatePolicy(name, parsed.Document, Loc(path));
        }

        /// <summary>Resource addresses an attribute's configuration expression references (`aws_iam_role.x.name` → `aws_iam_role.x`).</summary>
        private IEnumerable<string> References(string address, string attribute)
        {
            if (!_expressions.TryGetValue(address, out var expressions))
            {
                // Resources with count/for_each have an index in resource_changes (`x[0]`) but not in configuration.
                var bracket = address.IndexOf('[', StringComparison.Ordinal);
                if (bracket < 0 || !_expressions.TryGetValue(address[..bracket], out expressions)) { yield break; }
            }
            if (!expressions.TryGetProperty(attribute, out var expr) || !expr.TryGetProperty("references", out var refs) || refs.ValueKind != JsonValueKind.Array) { yield break; }
            // References are relative to the module the resource is in (`module.a.module.b.`).
            var segments = address.Split('.');
            var depth = 0;
            while (depth + 1 < segments.Length && segments[depth] == "module") { depth += 2; }
            var prefix = depth == 0 ? "" : string.Join('.', segments.Take(depth)) + ".";
            foreach (var r in refs.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!))
            {
                var parts = r.Split('.');
                var n = parts[0] == "data" ? 3 : 2;
                if (parts.Length >= n) { yield return prefix + string.Join('.', parts.Take(n)); }
            }
        }

        private Builder Get(GatePrincipalKind kind, string name, int index)
        {
            if (!_principals.TryGetValue((kind, name), out var b)) { _principals[(kind, name)] = b = new Builder(kind, name, index); }
            return b;
        }

        private SourceLocation Loc(string path) => new(File: file, JsonPath: path);

        private static JsonElement? Side(JsonElement change, string side) =>
            change.TryGetProperty(side, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

        private static string? Str(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    private sealed class Builder(GatePrincipalKind kind, string name, int index)
    {
        public List<GatePolicy> Before { get; } = [];
        public List<GatePolicy> After { get; } = [];
        public GatePolicy? TrustBefore { get; set; }
        public GatePolicy? TrustAfter { get; set; }
        public GatePolicy? BoundaryBefore { get; set; }
        public GatePolicy? BoundaryAfter { get; set; }

        public List<GatePolicy> Side(bool before) => before ? Before : After;

        public PrincipalChange Build(string file) => new(kind, name, null, [.. Before], [.. After], TrustBefore, TrustAfter, BoundaryBefore, BoundaryAfter,
            new SourceLocation(File: file, JsonPath: $"$.resource_changes[{index}]"));
    }
}
