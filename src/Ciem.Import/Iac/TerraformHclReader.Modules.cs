using Ciem.Core.Aws.Gate;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

/// <summary>
/// Local modules: a `module` block whose `source` is a folder of the repository (`./…`, `../…`) is read one level deep,
/// its variables taken from the block's arguments, and its principals join the caller's. Anything else — a registry or
/// git source, a module inside a module, `count`/`for_each` on the block, a folder that cannot be read — is reported
/// as not followed (CIEM6461), so the reader never pretends it checked what it did not.
/// </summary>
public static partial class TerraformHclReader
{
    private static readonly HashSet<string> MetaArguments = new(StringComparer.Ordinal) { "source", "version", "providers", "depends_on", "count", "for_each" };

    private static int FollowModules(TerraformModule module, DiagnosticBag diags, Dictionary<(GatePrincipalKind, string), Side> result, int depth)
    {
        var iamResources = 0;
        foreach (var (path, text) in module.Files)
        {
            foreach (var (kind, labels, open, close) in TerraformValues.TopLevelBlocks(text))
            {
                if (kind != "module" || labels.Count != 1) { continue; }
                var at = new SourceLocation(path, TerraformSource.LineOf(text, open));
                var attributes = TerraformSource.Attributes(path, text, open + 1, close, new DiagnosticBag());
                var sourceValue = attributes.FirstOrDefault(a => a.Name == "source")?.Value;
                var source = TerraformSource.Literal(sourceValue);
                string? why = null;
                TerraformModule? child = null;
                if (source is null || !(source.StartsWith("./", StringComparison.Ordinal) || source.StartsWith("../", StringComparison.Ordinal)))
                {
                    why = $"only local folders (`./…`, `../…`) are read, not `{source ?? sourceValue?.Trim() ?? "no source"}`";
                }
                else if (depth > 0) { why = "it is called from a module: one level is followed"; }
                else if (attributes.FirstOrDefault(a => a.Name is "count" or "for_each") is { } repeat) { why = $"it uses `{repeat.Name}`"; }
                else if (module.ReadModule?.Invoke(source) is not { } read || read.Files.Count == 0) { why = $"`{source}` has no `.tf` file that can be read"; }
                else { child = read; }
                if (child is null)
                {
                    diags.Warning(DiagnosticCodes.HclModuleNotFollowed, $"module `{labels[0]}` is not followed: {why}; its IAM resources are not checked", at);
                    continue;
                }
                var inputs = attributes.Where(a => !MetaArguments.Contains(a.Name)).GroupBy(a => a.Name, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
                var principals = ReadModule(child, diags, out var count, inputs, depth + 1);
                iamResources += count;
                diags.Add(Diagnostic.Info(DiagnosticCodes.HclModuleFollowed, $"module `{labels[0]}` (`{source}`) followed with {inputs.Count} input(s): {count} IAM resource(s)", at));
                foreach (var (key, side) in principals)
                {
                    if (!result.TryGetValue(key, out var existing))
                    {
                        result[key] = side;
                        continue;
                    }
                    existing.Policies.AddRange(side.Policies);
                    existing.Trust ??= side.Trust;
                    existing.Boundary ??= side.Boundary;
                }
            }
        }
        return iamResources;
    }
}
