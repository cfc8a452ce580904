// INTERIM: minimal stand-ins replaced by the full condition engine on merge of branch `conditions`.
using System.Collections.Immutable;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Matching;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Conditions;

public enum ConditionOutcome { False, True, Indeterminate }

public sealed class CompiledConditionBlock
{
    private readonly ImmutableArray<ConditionEntry> _entries;
    private readonly PolicyLanguageVersion _version;
    internal CompiledConditionBlock(ImmutableArray<ConditionEntry> entries, PolicyLanguageVersion version) { _entries = entries; _version = version; }
    public bool IsEmpty => _entries.IsEmpty;
    public IReadOnlyList<string> Keys => [.. _entries.Select(e => e.Key)];
    public ConditionOutcome Evaluate(RequestContext context)
    {
        foreach (var e in _entries)
        {
            var op = e.Operator;
            if (!context.TryGet(e.Key, out var v)) { if (op.Contains("Not", StringComparison.Ordinal) || op.EndsWith("IfExists", StringComparison.Ordinal)) { continue; } return ConditionOutcome.False; }
            var ok = op switch
            {
                "StringEquals" => v.Values.Any(x => e.Values.Contains(x)),
                "StringNotEquals" => !v.Values.Any(x => e.Values.Contains(x)),
                "StringLike" => v.Values.Any(x => e.Values.Any(p => Wildcard.IsMatch(p, x, false))),
                "Bool" => v.Values.Any(x => e.Values.Any(p => string.Equals(p, x, StringComparison.OrdinalIgnoreCase))),
                _ => (bool?)null,
            };
            if (ok is null) { return ConditionOutcome.Indeterminate; }
            if (ok == false) { return ConditionOutcome.False; }
        }
        return ConditionOutcome.True;
    }
}

public static class ConditionCompiler
{
    public static CompiledConditionBlock Compile(ImmutableArray<ConditionEntry> entries, PolicyLanguageVersion version, DiagnosticBag diagnostics) => new(entries, version);
}

public static class PolicyVariables
{
    public static bool TryExpand(string template, RequestContext context, PolicyLanguageVersion version, out string pattern)
    {
        pattern = template;
        if (version != PolicyLanguageVersion.V20121017 || !template.Contains("${", StringComparison.Ordinal)) { return true; }
        var sb = new System.Text.StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var start = template.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0) { sb.Append(template, i, template.Length - i); break; }
            sb.Append(template, i, start - i);
            var end = template.IndexOf('}', start);
            if (end < 0) { sb.Append(template, start, template.Length - start); break; }
            var key = template[(start + 2)..end];
            if (key == "*") { sb.Append("\\*"); }
            else if (key == "?") { sb.Append("\\?"); }
            else if (key == "$") { sb.Append('$'); }
            else if (context.TryGet(key, out var v) && v.Values.Length == 1) { sb.Append(Wildcard.Escape(v.Values[0])); }
            else { return false; }
            i = end + 1;
        }
        pattern = sb.ToString();
        return true;
    }
}
