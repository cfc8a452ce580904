using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Aws;

/// <summary>
/// Reads an AWS Organizations bundle: one JSON object whose members are the outputs of specific
/// <c>aws organizations</c> CLI calls, keyed by the command name (and by parent or policy id for the calls made
/// per parent or per policy). See <c>docs/import-formats.md</c> for the exact calls and a script that writes it.
/// Only SCPs and RCPs are kept; other policy types are counted as skipped.
/// </summary>
public static class OrganizationsReader
{
    public const string DescribeOrganization = "describe-organization";
    public const string ListRoots = "list-roots";
    public const string ListOrganizationalUnitsForParent = "list-organizational-units-for-parent";
    public const string ListAccountsForParent = "list-accounts-for-parent";
    public const string ListAccounts = "list-accounts";
    public const string ListPolicies = "list-policies";
    public const string DescribePolicy = "describe-policy";
    public const string ListTargetsForPolicy = "list-targets-for-policy";
    public const string ListTagsForResource = "list-tags-for-resource";

    private static readonly string[] KnownMembers =
    [
        DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent, ListAccounts,
        ListPolicies, DescribePolicy, ListTargetsForPolicy, ListTagsForResource, "Format",
    ];

    public static ImportResult<AwsOrganization?> ReadFile(string path, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = InputFiles.OpenRead(path);
        return Read(stream, path, takenAt);
    }

    public static ImportResult<AwsOrganization?> Read(Stream stream, string name, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var run = new Run(name);
        AwsOrganization? organization = null;
        try
        {
            using var document = JsonText.Parse(stream);
            organization = run.Read(document.RootElement, takenAt);
        }
        catch (JsonException ex)
        {
            run.Diagnostics.Add(PolicyText.NotJson(ex, name));
        }
        return new ImportResult<AwsOrganization?>(organization, run.Diagnostics, run.Counts, [.. run.Quarantined], [name]);
    }

    private sealed class Run(string file)
    {
        public DiagnosticBag Diagnostics { get; } = new();
        public List<QuarantinedRecord> Quarantined { get; } = [];
        public ImportCounts Counts { get; private set; }

        public AwsOrganization? Read(JsonElement root, DateTimeOffset takenAt)
        {
            if (root.ValueKind != JsonValueKind.Object || root.Property(DescribeOrganization) is not { } describe)
            {
                Diagnostics.Error(DiagnosticCodes.ImportUnknownFormat,
                    $"not an organizations bundle: no `{DescribeOrganization}` member, so nothing was imported", At("$"));
                return null;
            }
            foreach (var member in root.EnumerateObject().Where(m => !KnownMembers.Contains(m.Name)))
            {
                Diagnostics.Warning(DiagnosticCodes.ImportUnknownFormat, $"unknown member `{member.Name}` ignored", At($"$['{member.Name}']"));
            }
            var org = describe.Property("Organization");
            var orgId = org?.String("Id");
            var management = org?.String("MasterAccountId") ?? org?.String("ManagementAccountId");
            if (orgId is null || management is null)
            {
                Diagnostics.Error(DiagnosticCodes.ImportMissingField,
                    "`Organization.Id` or `Organization.MasterAccountId` is missing, so nothing was imported", At($"$['{DescribeOrganization}']"));
                return null;
            }
            var rootUnit = Pages(root.Property(ListRoots), "Roots").Select(r => r.Item).FirstOrDefault();
            if (rootUnit.ValueKind != JsonValueKind.Object || rootUnit.String("Id") is not { } rootId)
            {
                Diagnostics.Error(DiagnosticCodes.ImportMissingField, $"`{ListRoots}` has no root with an `Id`, so nothing was imported", At($"$['{ListRoots}']"));
                return null;
            }
            var units = new List<OrgUnit> { new(rootId, rootUnit.String("Name") ?? "Root", null, true) };
            units.AddRange(PerKey(root, ListOrganizationalUnitsForParent, "OrganizationalUnits",
                (item, parent, path) => item.String("Id") is { } id ? Counted(new OrgUnit(id, item.String("Name") ?? id, parent, false)) : Missing<OrgUnit>("Id", path, item)));
            var accounts = PerKey(root, ListAccountsForParent, "Accounts",
                (item, parent, path) => Account(item, parent, path)).ToList();
            var placed = accounts.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (item, path) in Pages(root.Property(ListAccounts), "Accounts").Select(p => (p.Item, $"$['{ListAccounts}']{p.Path}")))
            {
                if (item.String("Id") is { } id && placed.Contains(id)) { continue; }
                if (Account(item, null, path) is { } account)
                {
                    Diagnostics.Warning(DiagnosticCodes.ImportDanglingReference,
                        $"account `{account.Id}` is not under any parent in `{ListAccountsForParent}`; its SCPs and RCPs cannot be resolved", At(path));
                    accounts.Add(account);
                }
            }
            var policies = Policies(root);
            CheckTargets(policies, units, accounts);
            var tags = Tags(root, units, accounts);
            units = [.. units.Select(u => tags.TryGetValue(u.Id, out var t) ? u with { Tags = t } : u)];
            accounts = [.. accounts.Select(a => tags.TryGetValue(a.Id, out var t) ? a with { Tags = t } : a)];
            return new AwsOrganization(orgId, management, takenAt, rootId, [.. units], [.. accounts],
                [.. policies.OrderBy(p => p.Kind).ThenBy(p => p.Id, StringComparer.Ordinal)]);
        }

        /// <summary>
        /// `list-tags-for-resource` outputs keyed by resource id (account, OU or root): a tag without a `Key` is skipped
        /// with a located warning; tags of an id that is not in the organization are reported and ignored.
        /// </summary>
        private Dictionary<string, ImmutableArray<KeyValuePair<string, string>>> Tags(JsonElement root, List<OrgUnit> units, List<OrgAccount> accounts)
        {
            var result = new Dictionary<string, ImmutableArray<KeyValuePair<string, string>>>(StringComparer.Ordinal);
            if (root.Property(ListTagsForResource) is not { ValueKind: JsonValueKind.Object } perResource) { return result; }
            var known = units.Select(u => u.Id).Concat(accounts.Select(a => a.Id)).ToHashSet(StringComparer.Ordinal);
            foreach (var resource in perResource.EnumerateObject())
            {
                if (!known.Contains(resource.Name))
                {
                    Diagnostics.Warning(DiagnosticCodes.ImportDanglingReference,
                        $"tags of `{resource.Name}`, which is not an account, OU or root of the organization, were ignored", At($"$['{ListTagsForResource}']['{resource.Name}']"));
                    continue;
                }
                var tags = new List<KeyValuePair<string, string>>();
                foreach (var (item, path) in Pages(resource.Value, "Tags"))
                {
                    if (item.String("Key") is { } key) { tags.Add(new(key, item.String("Value") ?? "")); }
                    else
                    {
                        Diagnostics.Warning(DiagnosticCodes.ImportMissingField, "a tag has no `Key`; it was skipped", At($"$['{ListTagsForResource}']['{resource.Name}']{path}"));
                    }
                }
                result[resource.Name] = [.. tags];
            }
            return result;
        }

        private OrgAccount? Account(JsonElement item, string? parent, string path) =>
            item.String("Id") is { } id
                ? Counted(new OrgAccount(id, item.String("Name") ?? id, item.String("Email"), item.String("State") ?? item.String("Status"), parent))
                : Missing<OrgAccount>("Id", path, item);

        private List<OrgPolicy> Policies(JsonElement root)
        {
            var targets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            if (root.Property(ListTargetsForPolicy) is { ValueKind: JsonValueKind.Object } perPolicy)
            {
                foreach (var policy in perPolicy.EnumerateObject())
                {
                    targets[policy.Name] = [.. Pages(policy.Value, "Targets").Select(t => t.Item.String("TargetId")).OfType<string>()];
                }
            }
            var result = new List<OrgPolicy>();
            var describedIds = new HashSet<string>(StringComparer.Ordinal);
            var described = root.Property(DescribePolicy) is { ValueKind: JsonValueKind.Object } d ? d : default;
            if (described.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in described.EnumerateObject())
                {
                    describedIds.Add(entry.Name);
                    var path = $"$['{DescribePolicy}']['{entry.Name}']";
                    if (Policy(entry.Value, path, targets) is { } policy) { result.Add(policy); }
                }
            }
            foreach (var listed in ListedPolicies(root))
            {
                if (listed.Id is not null && !describedIds.Contains(listed.Id) && listed.Kind is not null)
                {
                    Diagnostics.Error(DiagnosticCodes.ImportMissingField,
                        $"policy `{listed.Id}` is listed but has no `{DescribePolicy}` entry, so its content is unknown; the policy was quarantined", At(listed.Path));
                    Quarantined.Add(new QuarantinedRecord(At(listed.Path), DiagnosticCodes.ImportMissingField, listed.Json));
                    Counts += new ImportCounts(0, 0, 1);
                }
            }
            foreach (var orphan in targets.Keys.Where(id => !describedIds.Contains(id) && ListedPolicies(root).All(l => l.Id != id)))
            {
                Diagnostics.Warning(DiagnosticCodes.ImportDanglingReference,
                    $"`{ListTargetsForPolicy}` names policy `{orphan}`, which has no `{DescribePolicy}` entry", At($"$['{ListTargetsForPolicy}']['{orphan}']"));
            }
            return result;
        }

        private IEnumerable<(string? Id, OrgPolicyKind? Kind, string Path, string Json)> ListedPolicies(JsonElement root)
        {
            if (root.Property(ListPolicies) is not { ValueKind: JsonValueKind.Object } byFilter) { yield break; }
            foreach (var filter in byFilter.EnumerateObject())
            {
                foreach (var (item, path) in Pages(filter.Value, "Policies"))
                {
                    yield return (item.String("Id"), Kind(item.String("Type") ?? filter.Name), $"$['{ListPolicies}']['{filter.Name}']{path}", item.GetRawText());
                }
            }
        }

        private OrgPolicy? Policy(JsonElement value, string path, Dictionary<string, List<string>> targets)
        {
            var summary = value.Property("Policy")?.Property("PolicySummary");
            var id = summary?.String("Id");
            if (id is null) { return Missing<OrgPolicy>("Policy.PolicySummary.Id", path, value); }
            var type = summary!.Value.String("Type");
            if (Kind(type) is not { } kind)
            {
                Diagnostics.Add(Diagnostic.Info(DiagnosticCodes.ImportUnknownFormat, $"policy `{id}` is a `{type}`, not an scp or rcp; skipped", At(path)));
                Counts += new ImportCounts(0, 1, 0);
                return null;
            }
            var content = value.Property("Policy")?.Property("Content");
            if (content is null) { return Missing<OrgPolicy>("Policy.Content", path, value); }
            if (!PolicyText.TryGet(content.Value, out var text, out var error))
            {
                Diagnostics.Error(DiagnosticCodes.ImportBadPolicy, $"content of policy `{id}`: {error}; the policy was quarantined", At($"{path}.Policy.Content"));
                Quarantined.Add(new QuarantinedRecord(At(path), DiagnosticCodes.ImportBadPolicy, value.GetRawText()));
                Counts += new ImportCounts(0, 0, 1);
                return null;
            }
            if (!targets.TryGetValue(id, out var policyTargets))
            {
                Diagnostics.Warning(DiagnosticCodes.ImportMissingField,
                    $"policy `{id}` has no `{ListTargetsForPolicy}` entry; it is imported as attached to nothing", At(path));
                policyTargets = [];
            }
            return Counted(new OrgPolicy(id, summary.Value.String("Name") ?? id, kind, text, summary.Value.Bool("AwsManaged") ?? false, [.. policyTargets]));
        }

        private void CheckTargets(List<OrgPolicy> policies, List<OrgUnit> units, List<OrgAccount> accounts)
        {
            var known = units.Select(u => u.Id).Concat(accounts.Select(a => a.Id)).ToHashSet(StringComparer.Ordinal);
            foreach (var policy in policies)
            {
                foreach (var target in policy.TargetIds.Where(t => !known.Contains(t)))
                {
                    Diagnostics.Warning(DiagnosticCodes.ImportDanglingReference,
                        $"policy `{policy.Id}` is attached to `{target}`, which is not in the bundle", At($"$['{ListTargetsForPolicy}']['{policy.Id}']"));
                }
            }
        }

        private static OrgPolicyKind? Kind(string? type) => type switch
        {
            "SERVICE_CONTROL_POLICY" => OrgPolicyKind.Scp,
            "RESOURCE_CONTROL_POLICY" => OrgPolicyKind.Rcp,
            _ => null,
        };

        private IEnumerable<T> PerKey<T>(JsonElement root, string member, string list, Func<JsonElement, string, string, T?> map)
            where T : class
        {
            if (root.Property(member) is not { ValueKind: JsonValueKind.Object } perParent) { yield break; }
            foreach (var parent in perParent.EnumerateObject())
            {
                foreach (var (item, path) in Pages(parent.Value, list))
                {
                    if (map(item, parent.Name, $"$['{member}']['{parent.Name}']{path}") is { } value) { yield return value; }
                }
            }
        }

        /// <summary>The items of a list in one CLI output, or in an array of outputs (pages fetched by hand).</summary>
        private static IEnumerable<(JsonElement Item, string Path)> Pages(JsonElement? output, string list)
        {
            if (output is not { } value) { yield break; }
            var pages = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToArray() : [value];
            for (var p = 0; p < pages.Length; p++)
            {
                var prefix = value.ValueKind == JsonValueKind.Array ? $"[{p}]" : "";
                foreach (var (item, index) in pages[p].Items(list)) { yield return (item, $"{prefix}.{list}[{index}]"); }
            }
        }

        private T Counted<T>(T value)
        {
            Counts += new ImportCounts(1, 0, 0);
            return value;
        }

        private T? Missing<T>(string field, string path, JsonElement item)
            where T : class
        {
            Diagnostics.Error(DiagnosticCodes.ImportMissingField, $"`{field}` is missing; the record was quarantined", At(path));
            Quarantined.Add(new QuarantinedRecord(At(path), DiagnosticCodes.ImportMissingField, item.GetRawText()));
            Counts += new ImportCounts(0, 0, 1);
            return null;
        }

        private SourceLocation At(string path) => new(file, JsonPath: path);
    }
}
