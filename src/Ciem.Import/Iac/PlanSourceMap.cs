using System.Text.Json;
using System.Text.RegularExpressions;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Import.Iac;

/// <summary>
/// `ciem check --plan plan.json --source DIR` (or `--hcl DIR`): where each planned resource is written in the Terraform
/// source, so findings point at `.tf` lines instead of `plan.json`. A plan address (`aws_iam_role.app`,
/// `module.reader.aws_iam_role_policy.this["x"]`, instance keys dropped) is matched to the `resource`/`data` block of the
/// folder, or of a local module one level down; the plan's JSON path is kept as the logical location. A finding whose
/// resource is not found in the source keeps its place in the plan.
/// </summary>
public sealed partial class PlanSourceMap
{
    private readonly Dictionary<string, SourceLocation> _byAddress;

    private PlanSourceMap(Dictionary<string, SourceLocation> byAddress) => _byAddress = byAddress;

    public int Count => _byAddress.Count;

    /// <summary>
    /// The blocks of <paramref name="folder"/> and of its local modules; paths start with <paramref name="prefix"/> (the
    /// folder relative to its repository root, ending in `/` — `git rev-parse --show-prefix` — or empty outside one).
    /// </summary>
    public static PlanSourceMap Build(DirectoryInfo folder, string prefix)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(prefix);
        var map = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        Add(map, folder.FullName, prefix, "", depth: 0);
        return new PlanSourceMap(map);
    }

    private static void Add(Dictionary<string, SourceLocation> map, string folder, string prefix, string addressPrefix, int depth)
    {
        var diagnostics = new DiagnosticBag();
        foreach (var file in Directory.EnumerateFiles(folder, "*.tf", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            var path = prefix + Path.GetRelativePath(folder, file).Replace('\\', '/');
            var text = File.ReadAllText(file);
            foreach (var block in TerraformSource.ParseBlocks(path, text, diagnostics))
            {
                map.TryAdd(addressPrefix + block.Address, new SourceLocation(path, block.Line));
            }
            if (depth > 0) { continue; }
            foreach (var (name, source, _) in TerraformValues.ModuleCalls(path, text))
            {
                if (source is null || !IsLocal(source)) { continue; }
                var child = Path.GetFullPath(Path.Combine(folder, source));
                if (!Directory.Exists(child)) { continue; }
                Add(map, child, WorkTreeFiles.Combine(prefix, source), $"{addressPrefix}module.{name}.", depth + 1);
            }
        }
    }

    /// <summary>A local module source (`./…`, `../…`): the only ones found on disk.</summary>
    private static bool IsLocal(string source) =>
        source.StartsWith("./", StringComparison.Ordinal) || source.StartsWith("../", StringComparison.Ordinal);

    /// <summary>The findings with locations in <paramref name="planFile"/> moved to the `.tf` line of their resource.</summary>
    public List<GateFinding> Map(IEnumerable<GateFinding> findings, string planText, string planFile)
    {
        ArgumentNullException.ThrowIfNull(findings);
        using var plan = JsonDocument.Parse(planText);
        var addresses = plan.RootElement.TryGetProperty("resource_changes", out var changes) && changes.ValueKind == JsonValueKind.Array
            ? changes.EnumerateArray()
                .Select(c => c.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null).ToList()
            : [];
        SourceLocation? Resolve(SourceLocation? l)
        {
            if (l is not { JsonPath: { } path } || l.File != planFile || ResourceIndex().Match(path) is not { Success: true } m)
            {
                return l;
            }
            var index = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (index >= addresses.Count || addresses[index] is not { } address) { return l; }
            return _byAddress.TryGetValue(InstanceKey().Replace(address, ""), out var source) ? source with { JsonPath = path } : l;
        }
        return [.. findings.Select(f => f with { Location = Resolve(f.Location) })];
    }

    [GeneratedRegex(@"^\$\.resource_changes\[(\d+)\]")]
    private static partial Regex ResourceIndex();

    /// <summary>`[0]`, `["key"]` after a resource or module name.</summary>
    [GeneratedRegex(@"\[(?:\d+|""(?:[^""\\]|\\.)*"")\]")]
    private static partial Regex InstanceKey();
}
