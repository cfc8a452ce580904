using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Aws;

/// <summary>
/// Reads resource-based policies from a JSON object keyed by resource ARN. Each value is the policy document
/// (an object, or a string holding it), or the output of the service's own CLI call:
/// <c>{"Policy": "…"}</c> (s3api get-bucket-policy, kms get-key-policy, lambda get-policy),
/// <c>{"policyText": "…"}</c> (ecr get-repository-policy), <c>{"ResourcePolicy": "…"}</c>
/// (secretsmanager get-resource-policy) or <c>{"Attributes": {"Policy": "…"}}</c> (sqs get-queue-attributes,
/// sns get-topic-attributes). The service comes from the ARN.
/// </summary>
public static class ResourcePoliciesReader
{
    public static ImportResult<ImmutableArray<ResourcePolicy>> ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var state = new State();
        foreach (var path in paths)
        {
            using var stream = InputFiles.OpenRead(path);
            Read(stream, path, state);
        }
        return state.Build();
    }

    public static ImportResult<ImmutableArray<ResourcePolicy>> Read(Stream stream, string name)
    {
        var state = new State();
        Read(stream, name, state);
        return state.Build();
    }

    private static void Read(Stream stream, string name, State state)
    {
        ArgumentNullException.ThrowIfNull(stream);
        state.Files.Add(name);
        var found = new List<(ResourcePolicy Policy, SourceLocation Location)>();
        try
        {
            var json = new JsonStream(stream);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                state.Diagnostics.Error(DiagnosticCodes.ImportUnknownFormat,
                    "expected a json object keyed by resource arn, so nothing from this file was imported", new SourceLocation(name));
                return;
            }
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var key = json.Text!;
                using var value = json.ReadValue();
                var location = new SourceLocation(name, JsonPath: $"$['{key}']");
                if (Parse(key, value!.RootElement, location, state) is { } policy) { found.Add((policy, location)); }
            }
        }
        catch (JsonException ex)
        {
            state.Diagnostics.Add(PolicyText.NotJson(ex, name));
            state.Counts += new ImportCounts(0, found.Count, 0);
            return;
        }
        foreach (var (policy, location) in found)
        {
            if (state.Policies.ContainsKey(policy.Arn))
            {
                state.Diagnostics.Warning(DiagnosticCodes.ImportDuplicate, $"`{policy.Arn}` appears again; this later policy replaces the earlier one", location);
                state.Counts += new ImportCounts(0, 1, 0);
            }
            else
            {
                state.Counts += new ImportCounts(1, 0, 0);
            }
            state.Policies[policy.Arn] = policy;
        }
    }

    private static ResourcePolicy? Parse(string key, JsonElement value, SourceLocation location, State state)
    {
        if (!Arn.TryParse(key, out var arn))
        {
            return state.Quarantine(DiagnosticCodes.ImportBadArn, $"`{key}` is not an arn", location, value);
        }
        var document = Unwrap(value, out var sub);
        var at = sub is null ? location : location.Under($"{location.JsonPath}.{sub}");
        if (!PolicyText.TryGet(document, out var text, out var error))
        {
            return state.Quarantine(DiagnosticCodes.ImportBadPolicy, $"resource policy of `{key}`: {error}", at, value);
        }
        return new ResourcePolicy(key, arn.Service, text);
    }

    /// <summary>Finds the policy inside a service CLI call's output, or returns the value itself.</summary>
    private static JsonElement Unwrap(JsonElement value, out string? sub)
    {
        sub = null;
        if (value.ValueKind != JsonValueKind.Object || value.TryGetProperty("Statement", out _)) { return value; }
        foreach (var wrapper in (string[])["Policy", "policyText", "ResourcePolicy"])
        {
            if (value.Property(wrapper) is { } inner) { sub = wrapper; return inner; }
        }
        if (value.Property("Attributes")?.Property("Policy") is { } attribute) { sub = "Attributes.Policy"; return attribute; }
        return value;
    }

    private sealed class State
    {
        public DiagnosticBag Diagnostics { get; } = new();
        public List<string> Files { get; } = [];
        public Dictionary<string, ResourcePolicy> Policies { get; } = new(StringComparer.Ordinal);
        public List<QuarantinedRecord> Quarantined { get; } = [];
        public ImportCounts Counts { get; set; }

        public ResourcePolicy? Quarantine(string code, string message, SourceLocation location, JsonElement value)
        {
            Diagnostics.Error(code, $"{message}; the record was quarantined", location);
            Quarantined.Add(new QuarantinedRecord(location, code, value.GetRawText()));
            Counts += new ImportCounts(0, 0, 1);
            return null;
        }

        public ImportResult<ImmutableArray<ResourcePolicy>> Build() =>
            new([.. Policies.Values.OrderBy(p => p.Arn, StringComparer.Ordinal)], Diagnostics, Counts, [.. Quarantined], [.. Files]);
    }
}
