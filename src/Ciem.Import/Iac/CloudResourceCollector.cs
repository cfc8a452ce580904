using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Azure;
using Ciem.Core.Azure.Gate;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Gate;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Import.Iac;

/// <summary>
/// Reads the Azure RBAC, GCP IAM and AWS resource-policy resources of a change, side by side, from <see cref="TfValues"/>
/// (a plan or HCL source), and builds <see cref="CloudChanges"/>: references between them (an assignment of
/// `azurerm_role_definition.x`, a binding of `google_project_iam_custom_role.x`) are resolved within the input, and
/// what stays known only after apply stays symbolic (`{reference}`) so that the engines report it indeterminate.
/// </summary>
internal sealed class CloudResourceCollector(DiagnosticBag diags)
{
    private const string ResourceManager = "//cloudresourcemanager.googleapis.com/";

    /// <summary>AWS resource-policy types and the attribute that names the resource.</summary>
    private static readonly ImmutableDictionary<string, string> AwsPolicyTypes = new Dictionary<string, string>
    {
        ["aws_s3_bucket_policy"] = "bucket",
        ["aws_kms_key"] = "",
        ["aws_sqs_queue_policy"] = "queue_url",
        ["aws_sns_topic_policy"] = "arn",
        ["aws_ecr_repository_policy"] = "repository",
        ["aws_secretsmanager_secret_policy"] = "secret_arn",
        ["aws_lambda_permission"] = "function_name",
        ["aws_s3_bucket"] = "bucket",
        ["aws_sqs_queue"] = "name",
        ["aws_sns_topic"] = "name",
        ["aws_secretsmanager_secret"] = "name",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Resources whose own `policy` argument is a resource policy (`aws_ecr_repository` has none). Only a configured one is
    /// read: left out, the provider computes a default (SNS's owner-only policy) or there is none, as with no
    /// <c>aws_*_policy</c> resource.
    /// </summary>
    private static readonly ImmutableHashSet<string> InlinePolicyTypes = ImmutableHashSet.Create(StringComparer.Ordinal,
        "aws_s3_bucket", "aws_sqs_queue", "aws_sns_topic", "aws_secretsmanager_secret");

    private readonly SideBuilder _before = new();
    private readonly SideBuilder _after = new();
    private int _resources;

    public static bool Handles(string type) =>
        type is "azurerm_role_definition" or "azurerm_role_assignment" or "google_project_iam_custom_role" or "google_organization_iam_custom_role"
        || AwsPolicyTypes.ContainsKey(type)
        || (type.StartsWith("google_", StringComparison.Ordinal) && GcpMode(type) is not null && GcpResourceAttribute(type) is not null);

    /// <summary>Reads one resource; a side is null when the resource does not exist on it.</summary>
    public void Add(string type, string address, TfValues? before, TfValues? after)
    {
        if (!Handles(type)) { return; }
        if (InlinePolicyTypes.Contains(type) && before?.Configured("policy") != true && after?.Configured("policy") != true) { return; }
        _resources++;
        if (before is not null) { Read(_before, type, address, before); }
        if (after is not null) { Read(_after, type, address, after); }
    }

    public CloudChanges Build()
    {
        var azure = new AzureGateChange(_before.Azure(_after, this), _after.Azure(_before, this));
        var gcp = new GcpGateChange(_before.Gcp(_after), _after.Gcp(_before));
        var policies = _before.Policies.Keys.Union(_after.Policies.Keys).Order(StringComparer.Ordinal).Select(address =>
        {
            _before.Policies.TryGetValue(address, out var b);
            _after.Policies.TryGetValue(address, out var a);
            return (Before: b, After: a);
        })
        .Where(p => p.Before?.Raw is null || p.Before.Raw != p.After?.Raw)
        .Select(p => new ResourcePolicyChange((p.After ?? p.Before)!.Type, (p.After ?? p.Before)!.Name, p.Before?.Policy, p.After?.Policy, (p.After ?? p.Before)!.Location))
        .ToImmutableArray();
        return new CloudChanges(azure, gcp, policies, _resources);
    }

    private void Read(SideBuilder side, string type, string address, TfValues v)
    {
        switch (type)
        {
            case "azurerm_role_definition": side.Definitions[address] = RoleDefinition(address, v); break;
            case "azurerm_role_assignment": side.Assignments.Add((address, v)); break;
            case "google_project_iam_custom_role" or "google_organization_iam_custom_role": side.Roles[address] = CustomRole(type, address, v); break;
            case var aws when AwsPolicyTypes.TryGetValue(aws, out var nameAttribute):
            {
                var name = nameAttribute.Length > 0 && v.String(nameAttribute) is { Symbolic: false } n && n.Text.Length > 0 ? n.Text : address;
                var policy = type == "aws_lambda_permission" ? LambdaStatement(address, v) : v.Policy("policy", $"{address} policy");
                // A KMS key without a policy gets the default key policy (the account's root): nothing to check.
                if (policy is not null) { side.Policies[address] = new PolicyEntry(type, name, policy, v.Raw("policy") ?? Fingerprint(v), v.At(null)); }
                break;
            }
            default: ReadGcpIam(side, type, address, v); break;
        }
    }

    private static GateRoleDefinition RoleDefinition(string address, TfValues v)
    {
        var id = v.String("role_definition_id") is { Symbolic: false } literal && literal.Text.Length > 0 ? AzureScope.LastSegment(literal.Text) : $"{{{address}}}";
        var name = v.String("name")?.Text ?? address;
        string? unknown = null;
        var permissions = ImmutableArray.CreateBuilder<RolePermission>();
        foreach (var block in v.Blocks("permissions"))
        {
            ImmutableArray<string> Items(string attribute)
            {
                var list = block.List(attribute) ?? [];
                if (list.FirstOrDefault(i => i.Symbolic) is { Text: { } symbol }) { unknown ??= $"`{attribute}` has `{symbol}`, known only after apply"; }
                return [.. list.Where(i => !i.Symbolic).Select(i => i.Text)];
            }
            permissions.Add(new RolePermission(Items("actions"), Items("not_actions"), Items("data_actions"), Items("not_data_actions")));
        }
        var scopes = (v.List("assignable_scopes") ?? []).Select(s => s.Text).ToImmutableArray();
        var scope = v.String("scope")?.Text ?? "/";
        var definition = new RoleDefinition($"/providers/Microsoft.Authorization/roleDefinitions/{id}", id, name, "CustomRole", v.String("description")?.Text,
            permissions.ToImmutable(), scopes.IsEmpty ? [scope] : scopes);
        return new GateRoleDefinition(definition, v.At(null), unknown);
    }

    private GateRoleAssignment RoleAssignment(string address, TfValues v, Func<string, string?> definitionByAddress)
    {
        var (scope, scopeUnknown) = AzureScopeOf(v.String("scope"));
        var principal = v.String("principal_id")?.Text ?? $"{{{address}.principal_id}}";
        // A role is named by id or by name; the provider computes the other one, so a literal of either decides.
        var idValue = v.String("role_definition_id");
        var nameValue = v.String("role_definition_name");
        var roleId = "";
        string? roleName = null;
        if (idValue is { Symbolic: false } literalId && literalId.Text.Length > 0) { roleId = literalId.Text; }
        else if (nameValue is { Symbolic: false } literalName && literalName.Text.Length > 0) { roleName = literalName.Text; }
        else if (idValue is { } id && id.ReferencedAddress is { } target && definitionByAddress(target) is { } guid) { roleId = guid; }
        else if (idValue is not null && v.Referenced("role_definition_id")?.String("name") is { Symbolic: false } dataName) { roleName = dataName.Text; }
        else if ((idValue ?? nameValue) is { } symbolic)
        {
            var attribute = idValue is null ? "role_definition_name" : "role_definition_id";
            diags.Warning(DiagnosticCodes.GateUnresolvedReference, $"`{attribute}` of `{address}` is `{symbolic.Text}`, known only after apply: what it grants is indeterminate", v.At(attribute));
            roleId = symbolic.Text.Replace('/', '_');
        }
        else
        {
            diags.Warning(DiagnosticCodes.GateUnresolvedReference, $"`{address}` names no role: what it grants is indeterminate", v.At(null));
            roleId = $"{{{address}.role}}";
        }
        var assignment = new RoleAssignment(address, scope, roleId, principal, v.String("principal_type")?.Text, null, roleName,
            v.String("condition")?.Text is { Length: > 0 } c ? c : null, v.String("condition_version")?.Text);
        return new GateRoleAssignment(assignment, v.At(null), scopeUnknown, v.String("delegated_managed_identity_resource_id")?.Text is { Length: > 0 } d ? d : null);
    }

    /// <summary>A scope as text: literal, or a reference whose kind the referenced type tells (`data.azurerm_subscription.x.id` → a subscription).</summary>
    private static (string Scope, bool Unknown) AzureScopeOf(TfString? value)
    {
        if (value is not { } s) { return ("{scope}", true); }
        if (!s.Symbolic) { return (s.Text, false); }
        if (s.Text.StartsWith('/')) { return (s.Text, false); }
        var address = s.ReferencedAddress;
        var type = address?.Split('.') is { } parts ? (parts[0] == "data" ? parts[1] : parts[0]) : null;
        return type switch
        {
            "azurerm_subscription" => ($"/subscriptions/{{{address}}}", false),
            "azurerm_management_group" => ($"/providers/Microsoft.Management/managementGroups/{{{address}}}", false),
            "azurerm_resource_group" => ($"/subscriptions/{{{address}.subscription}}/resourceGroups/{{{address}}}", false),
            _ => (s.Text, true),
        };
    }

    private static GateCustomRole CustomRole(string type, string address, TfValues v)
    {
        var id = v.String("role_id")?.Text ?? address;
        var parent = type == "google_project_iam_custom_role"
            ? $"projects/{v.String("project")?.Text ?? "{provider.project}"}"
            : $"organizations/{v.String("org_id")?.Text ?? "{org_id}"}";
        var permissions = v.List("permissions") ?? [];
        var unknown = permissions.FirstOrDefault(p => p.Symbolic) is { Text: { } symbol } ? $"`permissions` has `{symbol}`, known only after apply" : null;
        var role = new CustomRoleDefinition($"{parent}/roles/{id}", v.String("title")?.Text ?? id, v.String("stage")?.Text ?? "GA",
            [.. permissions.Where(p => !p.Symbolic).Select(p => p.Text)], v.String("deleted")?.Text == "true");
        return new GateCustomRole(role, v.At(null), unknown);
    }

    private void ReadGcpIam(SideBuilder side, string type, string address, TfValues v)
    {
        var mode = GcpMode(type)!.Value;
        var attribute = GcpResourceAttribute(type)!;
        var resource = GcpResourceName(type, v.String(attribute));
        if (mode == GcpBindingMode.Policy)
        {
            side.PolicyResources.Add(resource);
            if (v.String("policy_data") is { Symbolic: false } data)
            {
                ReadPolicyData(side, resource, address, data.Text, v.At("policy_data"));
            }
            else if (v.Referenced("policy_data") is { } source)
            {
                if (source.String("policy_data") is { Symbolic: false } known) { ReadPolicyData(side, resource, address, known.Text, source.At("policy_data")); }
                else
                {
                    foreach (var b in source.Blocks("binding")) { side.Bindings.Add((address, GcpBindingMode.Policy, resource, b.String("role"), b.List("members") ?? [], Condition(b), b.At(null))); }
                }
            }
            else
            {
                side.UnknownPolicies.Add(new GateUnknownPolicy(resource, address, $"`policy_data` is `{v.String("policy_data")?.Text ?? "absent"}`", v.At("policy_data")));
            }
            return;
        }
        var members = mode == GcpBindingMode.Member ? (v.String("member") is { } m ? [m] : ImmutableArray<TfString>.Empty) : v.List("members") ?? [];
        side.Bindings.Add((address, mode, resource, v.String("role"), members, Condition(v), v.At(null)));
    }

    /// <summary>`policy_data`: the JSON `google_iam_policy` renders (`{"bindings":[{"role":…,"members":[…],"condition":{…}}]}`).</summary>
    private void ReadPolicyData(SideBuilder side, string resource, string address, string json, SourceLocation at)
    {
        try
        {
            var bindings = JsonNode.Parse(json)?["bindings"] as JsonArray ?? [];
            foreach (var b in bindings.OfType<JsonObject>())
            {
                var role = b["role"]?.GetValue<string>();
                var members = (b["members"] as JsonArray ?? []).Select(m => new TfString(m?.GetValue<string>() ?? "", false)).ToImmutableArray();
                var condition = b["condition"] is JsonObject c && c["expression"]?.GetValue<string>() is { } e ? new IamCondition(e, c["title"]?.GetValue<string>(), c["description"]?.GetValue<string>()) : null;
                side.Bindings.Add((address, GcpBindingMode.Policy, resource, role is null ? null : new TfString(role, false), members, condition, at));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            diags.Warning(DiagnosticCodes.GateBadPolicyValue, $"`policy_data` of `{address}` is not a policy: {ex.Message.TrimEnd('.')}", at);
            side.UnknownPolicies.Add(new GateUnknownPolicy(resource, address, "`policy_data` is not a policy", at));
        }
    }

    private static IamCondition? Condition(TfValues v) =>
        v.Blocks("condition").FirstOrDefault() is { } c && c.String("expression") is { } e ? new IamCondition(e.Text, c.String("title")?.Text, c.String("description")?.Text) : null;

    private static GcpBindingMode? GcpMode(string type) =>
        type.EndsWith("_iam_member", StringComparison.Ordinal) ? GcpBindingMode.Member
        : type.EndsWith("_iam_binding", StringComparison.Ordinal) ? GcpBindingMode.Binding
        : type.EndsWith("_iam_policy", StringComparison.Ordinal) ? GcpBindingMode.Policy : null;

    private static string? GcpResourceAttribute(string type) => type[..type.LastIndexOf("_iam_", StringComparison.Ordinal)] switch
    {
        "google_project" => "project",
        "google_folder" => "folder",
        "google_organization" => "org_id",
        "google_storage_bucket" => "bucket",
        "google_service_account" => "service_account_id",
        _ => null,
    };

    /// <summary>The full resource name a binding is attached to, as the GCP inventory names it.</summary>
    private static string GcpResourceName(string type, TfString? value)
    {
        var text = value?.Text ?? "{provider.project}";
        return type[..type.LastIndexOf("_iam_", StringComparison.Ordinal)] switch
        {
            "google_project" => $"{ResourceManager}projects/{Strip(text, "projects/")}",
            "google_folder" => $"{ResourceManager}folders/{Strip(text, "folders/")}",
            "google_organization" => $"{ResourceManager}organizations/{Strip(text, "organizations/")}",
            "google_storage_bucket" => $"//storage.googleapis.com/{Strip(text, "b/")}",
            _ => $"//iam.googleapis.com/{text}",
        };
    }

    private static string Strip(string text, string prefix) => text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;

    /// <summary>
    /// The statement Lambda adds to the function's policy for an `aws_lambda_permission` (what `GetPolicy` returns):
    /// the principal, the action, and `source_arn`/`source_account`/`principal_org_id` as conditions.
    /// </summary>
    private GatePolicy LambdaStatement(string address, TfValues v)
    {
        var principal = v.String("principal")?.Text ?? "{principal}";
        var statement = new JsonObject
        {
            ["Sid"] = v.String("statement_id")?.Text ?? address,
            ["Effect"] = "Allow",
            ["Principal"] = principal == "*" ? "*" : new JsonObject { [principal.EndsWith(".amazonaws.com", StringComparison.Ordinal) ? "Service" : "AWS"] = principal },
            ["Action"] = v.String("action")?.Text ?? "lambda:InvokeFunction",
            ["Resource"] = v.String("function_name")?.Text ?? "*",
        };
        var condition = new JsonObject();
        void Add(string op, string key, string attribute)
        {
            if (v.String(attribute) is not { } value) { return; }
            var block = condition[op] as JsonObject ?? [];
            block[key] = value.Text;
            condition[op] = block;
        }
        Add("ArnLike", "AWS:SourceArn", "source_arn");
        Add("StringEquals", "AWS:SourceAccount", "source_account");
        Add("StringEquals", "aws:PrincipalOrgID", "principal_org_id");
        Add("StringEquals", "lambda:FunctionUrlAuthType", "function_url_auth_type");
        if (condition.Count > 0) { statement["Condition"] = condition; }
        var json = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) }.ToJsonString();
        var parsed = Ciem.Core.Aws.Policies.PolicyParser.Parse(json, $"{address} permission", Ciem.Core.Aws.Policies.PolicyKind.Resource, v.At(null));
        diags.AddRange(parsed.Diagnostics);
        return new GatePolicy($"{address} permission", parsed.Document, v.At(null));
    }

    private static readonly string[] LambdaAttributes = ["principal", "action", "function_name", "source_arn", "source_account", "principal_org_id", "function_url_auth_type"];

    private static string Fingerprint(TfValues v) => string.Join('|', LambdaAttributes.Select(a => v.String(a)?.Text));

    private sealed record PolicyEntry(string Type, string Name, GatePolicy Policy, string? Raw, SourceLocation Location);

    private sealed class SideBuilder
    {
        public Dictionary<string, GateRoleDefinition> Definitions { get; } = new(StringComparer.Ordinal);
        public List<(string Address, TfValues Values)> Assignments { get; } = [];
        public Dictionary<string, GateCustomRole> Roles { get; } = new(StringComparer.Ordinal);
        public List<(string Address, GcpBindingMode Mode, string Resource, TfString? Role, ImmutableArray<TfString> Members, IamCondition? Condition, SourceLocation Location)> Bindings { get; } = [];
        public List<string> PolicyResources { get; } = [];
        public List<GateUnknownPolicy> UnknownPolicies { get; } = [];
        public Dictionary<string, PolicyEntry> Policies { get; } = new(StringComparer.Ordinal);

        public AzureGateSide Azure(SideBuilder other, CloudResourceCollector reader) =>
            new([.. Definitions.Values], [.. Assignments.Select(a => reader.RoleAssignment(a.Address, a.Values, target =>
                (Definitions.TryGetValue(target, out var d) ? d : other.Definitions.GetValueOrDefault(target))?.Definition.Name))]);

        public GcpGateSide Gcp(SideBuilder other) =>
            new([.. Bindings.Select(b => new GateBinding(b.Resource, RoleName(b.Role, other), [.. b.Members.Select(m => m.Text)], b.Condition, b.Mode, b.Address, b.Location))],
                [.. Roles.Values], [.. PolicyResources.Distinct(StringComparer.Ordinal)], [.. UnknownPolicies]);

        /// <summary>A role by name, or the custom role of the input a reference names (`google_project_iam_custom_role.x.id`).</summary>
        private string RoleName(TfString? role, SideBuilder other)
        {
            if (role is not { } r) { return "{role}"; }
            if (!r.Symbolic) { return r.Text; }
            return r.ReferencedAddress is { } target && (Roles.GetValueOrDefault(target) ?? other.Roles.GetValueOrDefault(target)) is { } custom ? custom.Role.Name : r.Text;
        }
    }
}
