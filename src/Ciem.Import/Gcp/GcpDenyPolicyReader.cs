using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Catalog;
using Ciem.Core.Gcp.Inventory;
using Ciem.Import.Json;

namespace Ciem.Import.Gcp;

/// <summary>
/// Reads IAM deny policies as `gcloud iam policies get POLICY_ID --attachment-point=… --kind=denypolicies
/// --format=json` prints them (one object, a JSON array of them, newline-delimited, or the REST list response
/// `{"policies": […]}`). `gcloud iam policies list` prints policies without their rules: such a record is
/// quarantined with a hint, never imported half. A rule with no denied principals or permissions, a permission that
/// is not in the v2 form, or a malformed condition quarantines its policy.
/// </summary>
public static class GcpDenyPolicyReader
{
    private const string Prefix = "policies/";

    public static ImportResult<GcpInventory> ReadFile(string path) => GcpRun.OpenFile(path, Read);

    public static ImportResult<GcpInventory> Read(Stream stream, string name) =>
        GcpRun.ReadRecords(stream, name, ["policies"], (record, run) => Policy(record, run.Diagnostics),
            policies => GcpInventory.Empty with { DenyPolicies = policies });

    private static DenyPolicy? Policy(GcpJsonRecord record, DiagnosticBag diagnostics)
    {
        var e = record.Element;
        var at = record.Location;
        var name = e.String("name");
        if (e.ValueKind != JsonValueKind.Object || name is null)
        {
            return Fail(diagnostics, DiagnosticCodes.GcpMissingField, "a deny policy needs a `name`", at);
        }
        if (e.String("kind") is { } kind && kind != "DenyPolicy")
        {
            return Fail(diagnostics, DiagnosticCodes.GcpUnknownRecord, $"policy `{name}` is of kind `{kind}`, not `DenyPolicy`", at.Under(at.JsonPath + ".kind"));
        }
        var slash = name.IndexOf("/denypolicies/", StringComparison.Ordinal);
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || slash < 0)
        {
            return Fail(diagnostics, DiagnosticCodes.GcpMissingField,
                $"`{name}` is not a deny policy name (`policies/ATTACHMENT_POINT/denypolicies/ID`)", at.Under(at.JsonPath + ".name"));
        }
        var attachment = GcpResource.FullName(name[Prefix.Length..slash]);
        if (e.Property("rules") is not { ValueKind: JsonValueKind.Array } rulesElement)
        {
            return Fail(diagnostics, DiagnosticCodes.GcpMissingField,
                $"deny policy `{name}` has no `rules` (`gcloud iam policies list` omits them: use `gcloud iam policies get`)", at);
        }
        var rules = ImmutableArray.CreateBuilder<DenyRule>();
        var index = 0;
        foreach (var item in rulesElement.EnumerateArray())
        {
            var path = $"{at.JsonPath}.rules[{index}]";
            var rule = item.Property("denyRule") ?? item;
            if (item.Property("denyRule") is not null) { path += ".denyRule"; }
            var where = at.Under(path);
            var denied = Strings(rule, "deniedPrincipals", where, diagnostics);
            var excepted = Strings(rule, "exceptionPrincipals", where, diagnostics);
            var permissions = Strings(rule, "deniedPermissions", where, diagnostics);
            var exceptions = Strings(rule, "exceptionPermissions", where, diagnostics);
            if (denied is null || excepted is null || permissions is null || exceptions is null) { return null; }
            if (denied.Value.IsEmpty || permissions.Value.IsEmpty)
            {
                return Fail(diagnostics, DiagnosticCodes.GcpBadDenyRule, $"rule {index} of `{name}` needs `deniedPrincipals` and `deniedPermissions`", where);
            }
            foreach (var permission in permissions.Value.Concat(exceptions.Value))
            {
                if (!GcpPermission.TryToV1Pattern(permission, out _) || !permission.Contains('/', StringComparison.Ordinal) && permission != "*")
                {
                    return Fail(diagnostics, DiagnosticCodes.GcpBadDenyRule,
                        $"`{permission}` in rule {index} of `{name}` is not a v2 permission (`service.googleapis.com/resource.verb`)", where);
                }
            }
            IamCondition? condition = null;
            if (rule.Property("denialCondition") is { } c)
            {
                condition = GcpFields.Condition(c, where.Under(path + ".denialCondition"), diagnostics);
                if (condition is null) { return null; }
            }
            rules.Add(new DenyRule(denied.Value, excepted.Value, permissions.Value, exceptions.Value, condition));
            index++;
        }
        return new DenyPolicy(name, attachment, e.String("displayName"), rules.ToImmutable());
    }

    private static ImmutableArray<string>? Strings(JsonElement rule, string field, SourceLocation at, DiagnosticBag diagnostics)
    {
        if (rule.Property(field) is not { } value) { return []; }
        if (value.ValueKind != JsonValueKind.Array)
        {
            Fail(diagnostics, DiagnosticCodes.GcpBadDenyRule, $"`{field}` must be an array of strings", at.Under($"{at.JsonPath}.{field}"));
            return null;
        }
        if (field.EndsWith("Permissions", StringComparison.Ordinal))
        {
            // Permissions are not members: the caller checks each one's form.
            var strings = value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : null).ToList();
            if (strings.Any(string.IsNullOrEmpty))
            {
                Fail(diagnostics, DiagnosticCodes.GcpBadDenyRule, $"`{field}` must be an array of non-empty strings", at.Under($"{at.JsonPath}.{field}"));
                return null;
            }
            return [.. strings.OfType<string>()];
        }
        return GcpFields.Members(value, at.Under($"{at.JsonPath}.{field}"), diagnostics) is { } list ? list : null;
    }

    private static DenyPolicy? Fail(DiagnosticBag diagnostics, string code, string message, SourceLocation at)
    {
        diagnostics.Error(code, $"{message}; the record was quarantined", at);
        return null;
    }
}
