using System.Collections.Immutable;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Iac;

public static partial class TerraformHclReader
{
    /// <summary>The Azure, GCP and AWS resource-policy resources of the module on both sides, read through <see cref="HclValues"/>.</summary>
    private static CloudChanges ReadClouds(TerraformModule? before, TerraformModule after, DiagnosticBag diags)
    {
        var collector = new CloudResourceCollector(diags);
        var b = before is null ? null : new HclModule(before, diags);
        var a = new HclModule(after, diags);
        var addresses = a.Resources.Keys.Union(b?.Resources.Keys.AsEnumerable() ?? []).Order(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            var block = a.Resources.GetValueOrDefault(address) ?? b!.Resources[address];
            collector.Add(block.Type, address,
                b?.Resources.GetValueOrDefault(address) is { } x ? new HclValues(b, x, x.Attributes, null) : null,
                a.Resources.GetValueOrDefault(address) is { } y ? new HclValues(a, y, y.Attributes, null) : null);
        }
        return collector.Build();
    }

    /// <summary>One side's module: its resource and data blocks by address, and what reading policies needs.</summary>
    private sealed class HclModule
    {
        public HclModule(TerraformModule module, DiagnosticBag diags)
        {
            Texts = module.Files.ToDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);
            // The identity-policy reader has already reported the scanner's problems with these files.
            var blocks = module.Files.SelectMany(f => TerraformSource.ParseBlocks(f.Path, f.Text, new DiagnosticBag())).ToList();
            Resources = blocks.Where(x => x.Kind == "resource" && CloudResourceCollector.Handles(x.Type)).GroupBy(x => x.Address, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            Data = blocks.Where(x => x.Kind == "data").GroupBy(x => x.Address, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var documents = blocks.Where(x => x is { Kind: "data", Type: "aws_iam_policy_document" }).GroupBy(x => x.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            Diags = diags;
            Policies = new PolicyContext(module, Texts, documents, diags, new Dictionary<GatePolicy, string>(ReferenceEqualityComparer.Instance));
        }

        public Dictionary<string, string> Texts { get; }

        public Dictionary<string, HclBlock> Resources { get; }

        public Dictionary<string, HclBlock> Data { get; }

        public DiagnosticBag Diags { get; }

        public PolicyContext Policies { get; }

        public ImmutableArray<HclNestedBlock> Nested(HclBlock block) => TerraformSource.NestedBlocks(block.File, Texts[block.File], block.Span, Diags);
    }

    /// <summary>A resource (or one of its nested blocks) in HCL source: quoted strings with interpolations kept as `{…}`, references as `{reference}`.</summary>
    private sealed class HclValues(HclModule module, HclBlock owner, ImmutableArray<HclAttribute> attributes, HclNestedBlock? nested) : TfValues
    {
        private HclAttribute? Attribute(string name) => attributes.FirstOrDefault(a => a.Name == name);

        public override TfString? String(string name) => Attribute(name) is { } a ? Value(a.Value) : null;

        public override ImmutableArray<TfString>? List(string name) =>
            Attribute(name) is { } a ? a.Value.TrimStart().StartsWith('[') ? [.. ListItems(a.Value).Select(Value)] : [Value(a.Value)] : null;

        public override IEnumerable<TfValues> Blocks(string name) =>
            (nested?.Blocks ?? module.Nested(owner)).Where(b => b.Type == name).Select(b => new HclValues(module, owner, b.Attributes, b));

        public override SourceLocation At(string? name) => new(owner.File, (name is null ? null : Attribute(name)?.Line) ?? nested?.Line ?? owner.Line);

        public override GatePolicy? Policy(string name, string policyName) =>
            Attribute(name) is { } a ? ReadPolicy(module.Policies, owner, a, policyName, PolicyKind.Resource) : null;

        public override bool Configured(string name) => Attribute(name) is not null;

        public override string? Raw(string name) => Attribute(name)?.Value.Trim();

        public override TfValues? Referenced(string name) =>
            String(name)?.ReferencedAddress is { } target && module.Data.TryGetValue(target, out var data) ? new HclValues(module, data, data.Attributes, null) : null;

        /// <summary>A value as text: a literal, a string with interpolations (`{x}`), a heredoc, or a reference/expression kept whole as `{…}`.</summary>
        private static TfString Value(string value)
        {
            var t = value.Trim();
            if (TerraformSource.Literal(t) is { } literal) { return new TfString(literal, false); }
            if (t.StartsWith('"') && Symbolic(t) is { } text) { return new TfString(text, true); }
            if (t.StartsWith("<<", StringComparison.Ordinal))
            {
                string? problem = null;
                var body = Heredoc(t);
                var replaced = body is null ? null : Interpolations(body, ref problem);
                if (replaced is not null) { return new TfString(replaced.Trim(), replaced != body); }
            }
            if (t is "true" or "false" || (t.Length > 0 && t.All(c => char.IsAsciiDigit(c) || c == '.' || c == '-'))) { return new TfString(t, false); }
            return new TfString($"{{{t}}}", true);
        }

        /// <summary>The body of `<<EOT … EOT` or `<<-EOT … EOT` (indentation removed), or null.</summary>
        private static string? Heredoc(string value)
        {
            var first = value.IndexOf('\n', StringComparison.Ordinal);
            var last = value.LastIndexOf('\n');
            if (first < 0 || last <= first) { return null; }
            var lines = value[(first + 1)..last].Split('\n');
            if (!value.StartsWith("<<-", StringComparison.Ordinal)) { return string.Join('\n', lines); }
            var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        }
    }
}
