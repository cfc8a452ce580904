using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

public static partial class TerraformPlanReader
{
    private sealed partial class Plan
    {
        /// <summary>The Azure, GCP and AWS resource-policy resources of `resource_changes`, read through <see cref="PlanValues"/>.</summary>
        private CloudChanges ReadClouds()
        {
            var collector = new CloudResourceCollector(diags);
            var i = 0;
            foreach (var rc in changes.EnumerateArray())
            {
                if (Str(rc, "mode") == "managed" && Str(rc, "type") is { } type && CloudResourceCollector.Handles(type) && rc.TryGetProperty("change", out var change))
                {
                    var address = Str(rc, "address") ?? $"#{i}";
                    var expressions = Expressions(address);
                    var unknown = change.TryGetProperty("after_unknown", out var au) && au.ValueKind == JsonValueKind.Object ? au : (JsonElement?)null;
                    collector.Add(type, address,
                        Side(change, "before") is { } b ? new PlanValues(this, i, address, change, "before", b, null, expressions, "") : null,
                        Side(change, "after") is { } a ? new PlanValues(this, i, address, change, "after", a, unknown, expressions, "") : null);
                }
                i++;
            }
            return collector.Build();
        }

        private string FileName => file;

        private JsonElement? Expressions(string address)
        {
            if (_expressions.TryGetValue(address, out var e)) { return e; }
            var bracket = address.IndexOf('[', StringComparison.Ordinal);
            return bracket > 0 && _expressions.TryGetValue(address[..bracket], out e) ? e : null;
        }

        /// <summary>A data source's values: from `resource_changes` (read during apply) or `prior_state` (read during plan).</summary>
        private JsonElement? DataValues(string address)
        {
            if (_byAddress.TryGetValue(address, out var data) && data.Change.TryGetProperty("change", out var dc) && Side(dc, "after") is { } after) { return after; }
            if (root.TryGetProperty("prior_state", out var prior) && prior.TryGetProperty("values", out var values) && values.TryGetProperty("root_module", out var module))
            {
                return FindInModule(module, address);
            }
            return null;
        }

        private static JsonElement? FindInModule(JsonElement module, string address)
        {
            if (module.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in resources.EnumerateArray())
                {
                    if (Str(r, "address") == address && r.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Object) { return v; }
                }
            }
            if (module.TryGetProperty("child_modules", out var children) && children.ValueKind == JsonValueKind.Array)
            {
                foreach (var child in children.EnumerateArray())
                {
                    if (FindInModule(child, address) is { } found) { return found; }
                }
            }
            return null;
        }

        /// <summary>
        /// One side of a resource in the plan. A value known only after apply (`after_unknown`) becomes the first reference of
        /// its `configuration` expression, kept symbolic (`{azurerm_role_definition.x.role_definition_resource_id}`).
        /// </summary>
        private sealed class PlanValues(Plan plan, int index, string address, JsonElement change, string side, JsonElement values, JsonElement? unknown, JsonElement? expressions, string path) : TfValues
        {
            public override TfString? String(string name)
            {
                if (values.TryGetProperty(name, out var v))
                {
                    switch (v.ValueKind)
                    {
                        case JsonValueKind.String: return new TfString(v.GetString()!, false);
                        case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: return new TfString(v.GetRawText(), false);
                        default: break;
                    }
                }
                return IsUnknown(unknown, name) ? Symbol(name) : null;
            }

            public override ImmutableArray<TfString>? List(string name)
            {
                if (IsUnknown(unknown, name)) { return [Symbol(name)]; }
                if (!values.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array) { return null; }
                var flags = unknown is { } u && u.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.Array ? f : (JsonElement?)null;
                var result = ImmutableArray.CreateBuilder<TfString>();
                var k = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (flags is { } fl && k < fl.GetArrayLength() && fl[k].ValueKind == JsonValueKind.True) { result.Add(Symbol(name)); }
                    else if (item.ValueKind == JsonValueKind.String) { result.Add(new TfString(item.GetString()!, false)); }
                    k++;
                }
                // Items known only after apply are absent from `after` and flagged in `after_unknown`.
                if (flags is { } all) { for (; k < all.GetArrayLength(); k++) { if (all[k].ValueKind == JsonValueKind.True) { result.Add(Symbol(name)); } } }
                return result.ToImmutable();
            }

            public override IEnumerable<TfValues> Blocks(string name)
            {
                if (!values.TryGetProperty(name, out var list)) { yield break; }
                var items = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : list.ValueKind == JsonValueKind.Object ? [list] : [];
                for (var k = 0; k < items.Count; k++)
                {
                    if (items[k].ValueKind != JsonValueKind.Object) { continue; }
                    yield return new PlanValues(plan, index, address, change, side, items[k], Nth(unknown, name, k), Nth(expressions, name, k), $"{path}.{name}[{k}]");
                }
            }

            public override SourceLocation At(string? name) =>
                new(File: plan.FileName, JsonPath: $"$.resource_changes[{index}].change.{side}{path}{(name is null ? "" : "." + name)}");

            public override GatePolicy? Policy(string name, string policyName) => plan.PolicyOf(index, change, side, name, policyName, PolicyKind.Resource);

            public override bool Configured(string name) => expressions is { ValueKind: JsonValueKind.Object } e
                ? e.TryGetProperty(name, out _)
                : (values.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0) || IsUnknown(unknown, name);

            public override string? Raw(string name) =>
                values.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetRawText() : IsUnknown(unknown, name) ? "(known after apply)" : null;

            public override TfValues? Referenced(string name)
            {
                foreach (var reference in References(name))
                {
                    var target = new TfString("{" + reference + "}", true).ReferencedAddress;
                    if (target is not null && plan.DataValues(target) is { } data)
                    {
                        var i = plan._byAddress.TryGetValue(target, out var t) ? t.Index : index;
                        return new PlanValues(plan, i, target, change, "after", data, null, null, "");
                    }
                }
                return null;
            }

            private TfString Symbol(string name) =>
                References(name).FirstOrDefault() is { } reference ? new TfString($"{{{reference}}}", true) : new TfString($"{{{address}.{name}}}", true);

            /// <summary>The references of an attribute's expression, prefixed by the resource's module path.</summary>
            private IEnumerable<string> References(string name)
            {
                if (expressions is not { } e || e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var expr) || expr.ValueKind != JsonValueKind.Object
                    || !expr.TryGetProperty("references", out var refs) || refs.ValueKind != JsonValueKind.Array) { yield break; }
                var segments = address.Split('.');
                var depth = 0;
                while (depth + 1 < segments.Length && segments[depth] == "module") { depth += 2; }
                var prefix = depth == 0 ? "" : string.Join('.', segments.Take(depth)) + ".";
                foreach (var r in refs.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String)) { yield return prefix + r.GetString(); }
            }

            private static bool IsUnknown(JsonElement? unknown, string name) =>
                unknown is { } u && u.ValueKind == JsonValueKind.Object && u.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.True;

            private static JsonElement? Nth(JsonElement? parent, string name, int k) =>
                parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var list)
                    ? list.ValueKind == JsonValueKind.Array && k < list.GetArrayLength() ? list[k] : list.ValueKind == JsonValueKind.Object ? list : null
                    : null;
        }
    }
}
