using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Aws;

/// <summary>
/// Maps one record of <c>get-account-authorization-details</c> to the inventory model. A record with a missing
/// identity or a malformed policy document yields null (quarantine) with a diagnostic at the offending path.
/// </summary>
internal sealed class RecordReader(JsonElement element, string file, string path, long? page)
{
    private readonly List<Diagnostic> _diagnostics = [];

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public string? Arn { get; private set; }

    public string? Account { get; private set; }

    public string FailureCode { get; private set; } = DiagnosticCodes.ImportBadRecord;

    public SourceLocation Location(string? sub = null) => new(file, JsonPath: sub is null ? path : $"{path}.{sub}", Record: page);

    public IamUser? User()
    {
        if (!Identity("user", "UserName", out var name)) { return null; }
        var inline = InlinePolicies("UserPolicyList");
        if (inline is null) { return null; }
        return new IamUser(Arn!, name, element.String("UserId") ?? "", element.String("Path") ?? "/",
            Date("CreateDate"), Strings("GroupList"), inline.Value, Attached(), Boundary(), Tags(), Date("PasswordLastUsed"));
    }

    public IamGroup? Group()
    {
        if (!Identity("group", "GroupName", out var name)) { return null; }
        var inline = InlinePolicies("GroupPolicyList");
        if (inline is null) { return null; }
        return new IamGroup(Arn!, name, element.String("GroupId") ?? "", element.String("Path") ?? "/",
            Date("CreateDate"), inline.Value, Attached());
    }

    public IamRole? Role()
    {
        if (!Identity("role", "RoleName", out var name)) { return null; }
        if (element.Property("AssumeRolePolicyDocument") is not { } trustElement)
        {
            return Fail<IamRole>(DiagnosticCodes.ImportMissingField, $"role `{Arn}` has no `AssumeRolePolicyDocument`", "AssumeRolePolicyDocument");
        }
        if (!PolicyText.TryGet(trustElement, out var trust, out var error))
        {
            return Fail<IamRole>(DiagnosticCodes.ImportBadPolicy, $"trust policy of role `{Arn}`: {error}", "AssumeRolePolicyDocument");
        }
        var inline = InlinePolicies("RolePolicyList");
        if (inline is null) { return null; }
        var profiles = element.Items("InstanceProfileList")
            .Where(p => p.Item.String("Arn") is not null)
            .Select(p => new InstanceProfile(p.Item.String("Arn")!, p.Item.String("InstanceProfileName") ?? "",
                p.Item.String("InstanceProfileId") ?? "", p.Item.String("Path") ?? "/"))
            .ToImmutableArray();
        RoleLastUsed? lastUsed = null;
        if (element.Property("RoleLastUsed") is { } used && DateAt(used, "LastUsedDate", "RoleLastUsed.LastUsedDate") is { } usedDate)
        {
            lastUsed = new RoleLastUsed(usedDate, used.String("Region"));
        }
        return new IamRole(Arn!, name, element.String("RoleId") ?? "", element.String("Path") ?? "/", Date("CreateDate"),
            trust, inline.Value, Attached(), Boundary(), Tags(), profiles, lastUsed,
            element.Int("MaxSessionDuration"), element.String("Description"));
    }

    public ManagedPolicy? Policy()
    {
        if (!Identity("policy", "PolicyName", out var name)) { return null; }
        var defaultVersion = element.String("DefaultVersionId");
        JsonElement? document = null;
        string? documentPath = null;
        foreach (var (version, index) in element.Items("PolicyVersionList"))
        {
            if (version.Bool("IsDefaultVersion") == true || (defaultVersion is not null && version.String("VersionId") == defaultVersion))
            {
                defaultVersion ??= version.String("VersionId");
                document = version.Property("Document");
                documentPath = $"PolicyVersionList[{index}].Document";
                break;
            }
        }
        if (document is null || defaultVersion is null)
        {
            return Fail<ManagedPolicy>(DiagnosticCodes.ImportMissingField,
                $"managed policy `{Arn}` has no default version document in `PolicyVersionList`", "PolicyVersionList");
        }
        if (!PolicyText.TryGet(document.Value, out var text, out var error))
        {
            return Fail<ManagedPolicy>(DiagnosticCodes.ImportBadPolicy, $"default version of managed policy `{Arn}`: {error}", documentPath);
        }
        return new ManagedPolicy(Arn!, name, element.String("PolicyId") ?? "", element.String("Path") ?? "/",
            defaultVersion, text, Date("CreateDate"), Date("UpdateDate"));
    }

    private bool Identity(string kind, string nameField, out string name)
    {
        name = "";
        if (element.ValueKind != JsonValueKind.Object)
        {
            Fail<object>(DiagnosticCodes.ImportBadRecord, $"a {kind} record must be an object, not {element.ValueKind}", null);
            return false;
        }
        Arn = element.String("Arn");
        if (Arn is null)
        {
            var named = element.String(nameField) is { } n ? $" `{n}`" : "";
            Fail<object>(DiagnosticCodes.ImportMissingField, $"{kind}{named} has no `Arn`", null);
            return false;
        }
        if (!Core.Aws.Inventory.Arn.TryParse(Arn, out var arn))
        {
            Fail<object>(DiagnosticCodes.ImportBadArn, $"`{Arn}` is not an arn", "Arn");
            return false;
        }
        var awsManagedPolicy = kind == "policy" && arn.Account == Core.Aws.Inventory.Arn.AwsAccount;
        if (!awsManagedPolicy && !Core.Aws.Inventory.Arn.IsAccountId(arn.Account))
        {
            Fail<object>(DiagnosticCodes.ImportBadArn,
                $"{kind} `{Arn}` names account `{arn.Account}`, not a 12-digit account id", "Arn");
            return false;
        }
        Account = arn.Account;
        if (element.String(nameField) is not { } recordName)
        {
            Fail<object>(DiagnosticCodes.ImportMissingField, $"{kind} `{Arn}` has no `{nameField}`", null);
            return false;
        }
        name = recordName;
        // Names end up in generated Terraform, reports and terminals: a name AWS would not accept did not come from AWS.
        var maxLength = kind is "user" or "role" ? 64 : 128;
        if (!IamNames.IsName(recordName, maxLength))
        {
            Fail<object>(DiagnosticCodes.InputBadName,
                $"{kind} `{Arn}` has a `{nameField}` outside IAM's characters (1 to {maxLength} of letters, digits and `_+=,.@-`)", nameField);
            return false;
        }
        if (element.String("Path") is { Length: > 0 } iamPath && !IamNames.IsPath(iamPath))
        {
            Fail<object>(DiagnosticCodes.InputBadName,
                $"{kind} `{Arn}` has a `Path` outside IAM's form (`/`, or `/` … `/` of printable ASCII, at most 512 characters)", "Path");
            return false;
        }
        return true;
    }

    private ImmutableArray<InlinePolicy>? InlinePolicies(string list)
    {
        var builder = ImmutableArray.CreateBuilder<InlinePolicy>();
        foreach (var (item, index) in element.Items(list))
        {
            var name = item.String("PolicyName") ?? "";
            var sub = $"{list}[{index}].PolicyDocument";
            if (!IamNames.IsName(name, 128))
            {
                    return Fail(DiagnosticCodes.InputBadName,
                    $"inline policy {index} of `{Arn}` has a `PolicyName` outside IAM's characters (1 to 128 of letters, digits and `_+=,.@-`)",
                    $"{list}[{index}].PolicyName");
            }
            if (item.Property("PolicyDocument") is not { } document)
            {
                return Fail(DiagnosticCodes.ImportMissingField, $"inline policy `{name}` of `{Arn}` has no `PolicyDocument`", sub);
            }
            if (!PolicyText.TryGet(document, out var text, out var error))
            {
                return Fail(DiagnosticCodes.ImportBadPolicy, $"inline policy `{name}` of `{Arn}`: {error}", sub);
            }
            builder.Add(new InlinePolicy(name, text));
        }
        return builder.ToImmutable();
    }

    private ImmutableArray<string> Attached() =>
        [.. element.Items("AttachedManagedPolicies").Select(p => p.Item.String("PolicyArn")).OfType<string>()];

    private ImmutableArray<string> Strings(string list) =>
        [.. element.Items(list).Where(p => p.Item.ValueKind == JsonValueKind.String).Select(p => p.Item.GetString()!)];

    private string? Boundary() => element.Property("PermissionsBoundary")?.String("PermissionsBoundaryArn");

    private ImmutableArray<KeyValuePair<string, string>> Tags() =>
        [.. element.Items("Tags").Where(t => t.Item.String("Key") is not null)
            .Select(t => KeyValuePair.Create(t.Item.String("Key")!, t.Item.String("Value") ?? ""))];

    private DateTimeOffset? Date(string field) => DateAt(element, field, field);

    private DateTimeOffset? DateAt(JsonElement owner, string field, string sub)
    {
        var text = owner.String(field);
        if (JsonFields.TryDate(text, out var date)) { return date; }
        _diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.ImportBadRecord, $"`{text}` is not a date; `{field}` was left empty", Location(sub)));
        return null;
    }

    private T? Fail<T>(string code, string message, string? sub)
    {
        FailureCode = code;
        _diagnostics.Add(Diagnostic.Error(code, $"{message}; the record was quarantined", Location(sub)));
        return default;
    }

    private ImmutableArray<InlinePolicy>? Fail(string code, string message, string? sub)
    {
        Fail<object>(code, message, sub);
        return null;
    }
}
